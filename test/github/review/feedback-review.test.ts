// The feedback log in a review (reviewPullRequest): the suggestions it posts are recorded with the
// demonstrations they showed, once; the alerts no demonstration covered are recorded once a day;
// on a later push the suggestions its head applied are marked applied. GitHub mocked over HTTP with
// answers shaped like its own; a stand-in model and retriever; the feedback log in a temp local store.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackRecord } from '../../../src/corpus/feedback.js';
import type { CorpusStore } from '../../../src/corpus/types.js';
import type { Alert } from '../../../src/detect/types.js';
import { silentLogger } from '../../../src/log/logger.js';
import { createOctokit } from '../../../src/github/octokit.js';
import { feedbackFingerprint } from '../../../src/github/review/feedback-identity.js';
import { readFingerprints } from '../../../src/github/review/fingerprint.js';
import type { ReviewComment } from '../../../src/github/review/plan.js';
import { reviewPullRequest, type ReviewDependencies, type ReviewRequest } from '../../../src/github/review/review-pull-request.js';
import { addedFileDiff, addedFileListed, BOT_LOGIN, BOT_USER, HEAD_SHA, OWNER, PULL_NUMBER, REPO, SECOND_HEAD_SHA } from '../../fixtures/github/app-events.js';
import { useHttpMocks } from '../../helpers/http-mocks.js';
import {
  feedbackOf,
  feedbackStores,
  FULL_REPO,
  GITHUB,
  mockContent,
  mockReviewComments,
  NOW,
  PATH,
  postedComment,
  postedRecord,
  PULL_PATH,
  REPO_PATH,
  reviewComment,
  SQL_FIXED_LINE,
  SQL_LINE,
  stubModel,
  stubRetriever,
  suggestionFor,
  VIEWS,
} from './feedback-fixtures.js';

useHttpMocks();
const stores = feedbackStores();
afterAll(() => stores.cleanup());

const unmatched: string[] = [];
const recordUnmatched = (request: { method?: string; href?: string; path?: string }) =>
  unmatched.push(`${request.method ?? '?'} ${request.href ?? request.path ?? '?'}`);
beforeAll(() => {
  nock.emitter.on('no match', recordUnmatched);
});
afterAll(() => {
  nock.emitter.removeListener('no match', recordUnmatched);
});
afterEach(() => {
  unmatched.length = 0;
});

/** Code scanning's alerts on the two views: a SQL injection (the corpus has fixes of it) and a path traversal (it has none). */
const ALERTS: Alert[] = [
  { ruleId: 'py/sql-injection', message: 'This SQL query depends on a user-provided value.', cwe: ['CWE-89'], path: PATH, startLine: 13, endLine: 13 },
  { ruleId: 'py/path-injection', message: 'This path depends on a user-provided value.', cwe: ['CWE-22'], path: PATH, startLine: 20, endLine: 20 },
];

/** `.github/seccoder.yml`: two demonstrations per prompt, so a suggestion shows more than the one it cites. */
const CONFIG = { demonstrations: 2 };

function request(headSha: string, deliveryId: string): ReviewRequest {
  return {
    octokit: createOctokit({ auth: 'ghs_test', retry: false, throttle: false }),
    owner: OWNER,
    repo: REPO,
    pull: { number: PULL_NUMBER, headSha, draft: false },
    deliveryId,
    readConfig: async () => CONFIG,
  };
}

function dependencies(store: CorpusStore, options: { alerts?: Alert[] } = {}): ReviewDependencies {
  return {
    retrieval: { retriever: stubRetriever, corpusSize: 3 },
    feedback: (location) => {
      // The repository's config names the corpus; the default is the app's local folder.
      expect(location).toEqual({ store: 'local' });
      return store;
    },
    model: { settings: { url: 'https://models.example.test/v1', name: 'coder-7b', environment: 'app' }, create: () => stubModel() },
    analyzers: [],
    alerts: { name: 'test alerts', alerts: async () => options.alerts ?? [] },
    botLogin: BOT_LOGIN,
    log: silentLogger,
    now: () => NOW,
  };
}

/** The reads of one review of the pull request at `headSha`, where app/views.py holds `views`. */
function mockGather(headSha: string, views: string, earlier: { comments?: object[]; reviews?: object[] } = {}): void {
  nock(GITHUB)
    .get(`${PULL_PATH}/files`)
    .query({ per_page: 100 })
    .reply(200, [addedFileListed(PATH, views)]);
  nock(GITHUB, { reqheaders: { accept: 'application/vnd.github.v3.diff' } })
    .get(PULL_PATH)
    .reply(200, addedFileDiff(PATH, views));
  mockContent(PATH, views, headSha);
  mockReviewComments(earlier.comments ?? []);
  nock(GITHUB)
    .get(`${PULL_PATH}/reviews`)
    .query({ per_page: 100 })
    .reply(200, earlier.reviews ?? []);
}

function mockCheckRun(checkRuns: object[]): void {
  nock(GITHUB).post(`${REPO_PATH}/check-runs`).reply(201, { id: 9001, name: 'SecCoder' });
  nock(GITHUB)
    .patch(`${REPO_PATH}/check-runs/9001`, (body: object) => {
      checkRuns.push(body);
      return true;
    })
    .reply(200, { id: 9001 });
}

/** The posted review's inline comments as GitHub lists them afterwards (ids 7001, 7002, …). */
function listedAfterPosting(comments: readonly ReviewComment[]) {
  return comments.map((comment, index) =>
    reviewComment(7001 + index, comment.body, { line: comment.line, ...(comment.start_line ? { startLine: comment.start_line } : {}) }),
  );
}

describe('a review that posts suggestions', () => {
  it('writes one posted record per suggestion with the demonstrations its prompt showed, and the uncovered alert once; the same event again writes none', async () => {
    const store = stores.make();
    const checkRuns: object[] = [];
    let posted: { body: string; comments: ReviewComment[] } | undefined;
    mockCheckRun(checkRuns);
    mockGather(HEAD_SHA, VIEWS);
    // Right before posting, the earlier suggestions are read again (none yet).
    mockReviewComments([]);
    nock(GITHUB).get(`${PULL_PATH}/reviews`).query({ per_page: 100 }).reply(200, []);
    nock(GITHUB)
      .post(`${PULL_PATH}/reviews`, (body: { body: string; comments: ReviewComment[] }) => {
        posted = body;
        return true;
      })
      .reply(200, { id: 501 });

    const result = await reviewPullRequest(request(HEAD_SHA, 'delivery-1'), dependencies(store, { alerts: ALERTS }));

    expect(unmatched).toEqual([]);
    expect(result.status === 'reviewed' && result.posted).toBe(true);
    if (!posted) throw new Error('no review was posted');
    expect(posted.comments).toHaveLength(2);
    const fingerprints = readFingerprints(posted.comments.map((comment) => comment.body)).map(feedbackFingerprint);
    const records = await feedbackOf(store);
    expect(records).toEqual([
      {
        at: NOW.toISOString(),
        event: 'posted',
        suggestion: { repo: FULL_REPO, pullRequest: PULL_NUMBER, fingerprint: fingerprints[0], path: PATH, line: 13 },
        // The one the comment cites first, then the other the prompt showed.
        demonstrations: ['seed-sqli-params', 'seed-sqli-orm'],
        cwe: ['CWE-89'],
        language: 'python',
      },
      {
        at: NOW.toISOString(),
        event: 'posted',
        suggestion: { repo: FULL_REPO, pullRequest: PULL_NUMBER, fingerprint: fingerprints[1], path: PATH, line: 20 },
        demonstrations: ['seed-cmd-list'],
        cwe: ['CWE-22'],
        language: 'python',
      },
      // The path traversal was answered only by a command-injection fix: a gap in the corpus. The SQL injection was covered.
      { at: NOW.toISOString(), event: 'uncovered-alert', cwe: ['CWE-22'], language: 'python', repo: FULL_REPO },
    ]);
    expect(fingerprints[0]).toMatch(/^app\/views\.py:user_by_email:[0-9a-f]{12}:[0-9a-f]{12}$/);
    expect(JSON.stringify(checkRuns)).not.toContain('Feedback on suggestions not recorded');

    // The same event delivered again (another delivery id, so the review runs): GitHub lists the
    // suggestions now; nothing is posted, the outcome check (on what the review gathered, no
    // request of its own) finds them unapplied, nothing is written.
    const listed = listedAfterPosting(posted.comments);
    mockCheckRun(checkRuns);
    mockGather(HEAD_SHA, VIEWS, { comments: listed, reviews: [{ id: 501, user: BOT_USER, body: posted.body, state: 'COMMENTED', commit_id: HEAD_SHA }] });

    const again = await reviewPullRequest(request(HEAD_SHA, 'delivery-2'), dependencies(store, { alerts: ALERTS }));

    expect(unmatched).toEqual([]);
    expect(again.status === 'reviewed' && again.posted).toBe(false);
    expect(await feedbackOf(store)).toEqual(records);
  });
});

describe('a later push', () => {
  it('synchronize whose head holds the suggested lines: the suggestion is applied (recorded during the review, with no request of its own), the other stays left', async () => {
    const store = stores.make();
    const sql = suggestionFor('user_by_email');
    const download = suggestionFor('download');
    await store.updateLog('feedback', () => [postedRecord(sql), postedRecord(download)].map((record) => JSON.stringify(record)));
    const comments = [sql, download].map((suggestion, index) => {
      const comment = postedComment(suggestion);
      return reviewComment(7001 + index, comment.body, { line: comment.line });
    });
    const applied = VIEWS.replace(SQL_LINE, SQL_FIXED_LINE);
    const checkRuns: object[] = [];
    mockCheckRun(checkRuns);
    // The outcome check uses what the review gathers (the comments with their reactions, the file at the new head): no request of its own.
    mockGather(SECOND_HEAD_SHA, applied, { comments });
    // The applied suggestion's function changed: the review answers its thread as outdated (its existing behaviour).
    nock(GITHUB).post(`${PULL_PATH}/comments/7001/replies`).reply(201, { id: 7003, in_reply_to_id: 7001 });

    const result = await reviewPullRequest(request(SECOND_HEAD_SHA, 'delivery-push'), dependencies(store));

    expect(unmatched).toEqual([]);
    expect(result.status).toBe('reviewed');
    const records = await feedbackOf(store);
    expect(records.slice(2)).toEqual<FeedbackRecord[]>([
      { at: NOW.toISOString(), event: 'applied', suggestion: { ...postedRecord(sql).suggestion!, commentId: 7001 }, reason: 'suggested lines in head' },
    ]);
  });
});

describe('a feedback log that cannot be written', () => {
  it('does not fail the review: the check run says so, without code', async () => {
    const broken: CorpusStore = Object.assign(Object.create(stores.make()) as CorpusStore, {
      updateLog: async () => Promise.reject(new Error('EACCES: permission denied, open feedback.jsonl')),
    });
    const checkRuns: { output?: { summary?: string } }[] = [];
    mockCheckRun(checkRuns);
    mockGather(HEAD_SHA, VIEWS);
    mockReviewComments([]);
    nock(GITHUB).get(`${PULL_PATH}/reviews`).query({ per_page: 100 }).reply(200, []);
    nock(GITHUB).post(`${PULL_PATH}/reviews`).reply(200, { id: 501 });

    const result = await reviewPullRequest(request(HEAD_SHA, 'delivery-3'), dependencies(broken, { alerts: ALERTS }));

    expect(unmatched).toEqual([]);
    expect(result.status === 'reviewed' && result.posted).toBe(true);
    const summary = checkRuns[0]?.output?.summary ?? '';
    expect(summary).toContain('- Feedback on suggestions not recorded: could not record the posted suggestions');
    expect(summary).toContain('EACCES: permission denied');
    expect(summary).not.toContain('cur.execute');
  });
});
