// The outcome check outside a review: which deliveries ask for it (a closed pull request, a
// resolved thread holding a SecCoder suggestion), and one run of it through the corpus provider the
// App uses, GitHub mocked over HTTP.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalCorpusStore } from '../../../src/corpus/local-store.js';
import { createCorpusProvider } from '../../../src/github/corpus-provider.js';
import { createOctokit } from '../../../src/github/octokit.js';
import { feedbackCheckForEvent, runFeedbackCheck, type FeedbackCheck } from '../../../src/github/review/feedback-check.js';
import { silentLogger } from '../../../src/log/logger.js';
import { BOT_LOGIN, BOT_USER, INSTALLATION_ID, OWNER, PULL_NUMBER, pullRequestJson, REPO, SECOND_HEAD_SHA } from '../../fixtures/github/app-events.js';
import { tempDirs } from '../../fixtures/retrieval-corpus.js';
import { useHttpMocks } from '../../helpers/http-mocks.js';
import {
  feedbackOf,
  GITHUB,
  mockContent,
  mockReviewComments,
  NOW,
  PATH,
  postedComment,
  postedRecord,
  PULL_PATH,
  reviewComment,
  suggestionFor,
  VIEWS,
} from './feedback-fixtures.js';

useHttpMocks();
const temp = tempDirs('seccoder-feedback-check-');
afterAll(() => temp.cleanup());
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

const repository = { id: 1296269, name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER, id: 1, type: 'Organization' }, default_branch: 'main' };
const installation = { id: INSTALLATION_ID, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==' };
const sql = suggestionFor('user_by_email');
const download = suggestionFor('download');
const sqlComment = reviewComment(7001, postedComment(sql).body, { line: postedComment(sql).line });

/** A `pull_request_review_thread` webhook as GitHub sends it (the fields read, and a few more). */
function threadEvent(action: 'resolved' | 'unresolved', comments: object[]) {
  return {
    action,
    thread: { node_id: 'PRRT_kwDOABCDEF4AAAAB', comments },
    pull_request: { number: PULL_NUMBER, state: 'open', head: { sha: SECOND_HEAD_SHA, ref: 'user-by-email' }, base: { ref: 'main' } },
    repository,
    installation,
    sender: { login: 'octocat', id: 583231, type: 'User' },
  };
}

describe('feedbackCheckForEvent', () => {
  it('a resolved thread holding a SecCoder suggestion: a check with its comments and who resolved it', () => {
    const reply = reviewComment(7010, 'Fixed differently.', { user: { login: 'octocat', id: 583231, type: 'User' } });
    expect(feedbackCheckForEvent('pull_request_review_thread', threadEvent('resolved', [sqlComment, reply]), 'delivery-t')).toEqual({
      check: {
        installationId: INSTALLATION_ID,
        owner: OWNER,
        repo: REPO,
        pullNumber: PULL_NUMBER,
        deliveryId: 'delivery-t',
        trigger: 'thread-resolved',
        thread: { commentIds: [7001, 7010], resolvedBy: 'octocat' },
      },
    });
  });

  it('an unresolved thread, a thread of people only, or an unreadable payload: no check, with why', () => {
    const people = reviewComment(7020, 'Nit: rename this.', { user: { login: 'octocat', id: 583231, type: 'User' } });
    expect(feedbackCheckForEvent('pull_request_review_thread', threadEvent('unresolved', [sqlComment]), 'd')).toEqual({
      ignored: 'review thread unresolved: only a resolved thread is checked',
    });
    expect(feedbackCheckForEvent('pull_request_review_thread', threadEvent('resolved', [people]), 'd')).toEqual({
      ignored: 'not checking suggestions: the resolved thread holds no SecCoder suggestion',
    });
    expect(feedbackCheckForEvent('pull_request_review_thread', { action: 'resolved' }, 'd')).toMatchObject({
      ignored: expect.stringContaining('not a review thread'),
    });
  });

  it('a closed pull request, merged or not: a check; other pull request activities and events: none', () => {
    const closed = {
      action: 'closed',
      number: PULL_NUMBER,
      pull_request: { ...pullRequestJson({ state: 'closed' }), merged: false },
      repository,
      installation,
    };
    expect(feedbackCheckForEvent('pull_request', closed, 'delivery-c')).toEqual({
      check: { installationId: INSTALLATION_ID, owner: OWNER, repo: REPO, pullNumber: PULL_NUMBER, deliveryId: 'delivery-c', trigger: 'closed' },
    });
    expect(feedbackCheckForEvent('pull_request', { ...closed, action: 'synchronize' }, 'd')).toMatchObject({ ignored: expect.any(String) });
    expect(feedbackCheckForEvent('issue_comment', {}, 'd')).toEqual({ ignored: 'issue_comment events check no suggestion' });
  });
});

describe('runFeedbackCheck', () => {
  /** The App's corpus provider over a temp folder; its local store holds `records` in feedback.jsonl. */
  async function provider(records: object[]) {
    const root = join(temp.make(), 'corpus');
    mkdirSync(root);
    const store = new LocalCorpusStore(root);
    if (records.length > 0) await store.updateLog('feedback', () => records.map((record) => JSON.stringify(record)));
    return { corpus: createCorpusProvider({ root }), store };
  }

  const deps = (corpus: ReturnType<typeof createCorpusProvider>) => ({
    octokit: createOctokit({ auth: 'ghs_test', retry: false, throttle: false }),
    readConfig: async () => null,
    corpus,
    botLogin: async () => BOT_LOGIN,
    log: silentLogger,
    now: () => NOW,
  });

  const check = (overrides: Partial<FeedbackCheck> = {}): FeedbackCheck => ({
    installationId: INSTALLATION_ID,
    owner: OWNER,
    repo: REPO,
    pullNumber: PULL_NUMBER,
    deliveryId: 'delivery-x',
    trigger: 'closed',
    ...overrides,
  });

  it('closed with no posted suggestion: the config names the corpus, its feedback log says none, and GitHub is asked nothing more', async () => {
    const { corpus } = await provider([]);

    const result = await runFeedbackCheck(check(), deps(corpus));

    expect(result).toEqual({ status: 'checked', pending: 0, written: [] });
    expect(unmatched).toEqual([]);
  });

  it('a resolved thread of an unapplied suggestion: reads the head, the comments, the file and the commits, and records it dismissed', async () => {
    const { corpus, store } = await provider([postedRecord(sql), postedRecord(download)]);
    nock(GITHUB, { reqheaders: { accept: 'application/vnd.github.v3+json' } })
      .get(PULL_PATH)
      .reply(200, pullRequestJson({ headSha: SECOND_HEAD_SHA }));
    mockReviewComments([sqlComment, reviewComment(7002, postedComment(download).body, { line: postedComment(download).line, user: BOT_USER })]);
    mockContent(PATH, VIEWS, SECOND_HEAD_SHA);
    nock(GITHUB).get(`${PULL_PATH}/commits`).query({ per_page: 100 }).reply(200, []);

    const result = await runFeedbackCheck(check({ trigger: 'thread-resolved', thread: { commentIds: [7001], resolvedBy: 'octocat' } }), deps(corpus));

    expect(unmatched).toEqual([]);
    expect(result).toMatchObject({ status: 'checked', pending: 2 });
    expect((await feedbackOf(store)).slice(2)).toEqual([
      {
        at: NOW.toISOString(),
        event: 'dismissed',
        suggestion: { ...postedRecord(sql).suggestion, commentId: 7001 },
        reason: 'thread resolved unapplied',
        actor: 'octocat',
      },
    ]);
  });

  it('an invalid config: skipped, nothing read', async () => {
    const { corpus } = await provider([postedRecord(sql)]);

    const result = await runFeedbackCheck(check(), { ...deps(corpus), readConfig: async () => ({ corpus: { store: 'nowhere' } }) });

    expect(result).toEqual({ status: 'skipped', reason: 'invalid .github/seccoder.yml' });
  });
});
