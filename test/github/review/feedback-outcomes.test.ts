// What became of posted suggestions (checkSuggestionOutcomes): GitHub mocked over HTTP with
// answers shaped like its own, the feedback log in a temp local corpus store.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { suggestionStates, type FeedbackRecord } from '../../../src/corpus/feedback.js';
import type { LocalCorpusStore } from '../../../src/corpus/local-store.js';
import { silentLogger } from '../../../src/log/logger.js';
import { createOctokit } from '../../../src/github/octokit.js';
import { checkSuggestionOutcomes, type OutcomeCheckInput } from '../../../src/github/review/feedback-outcomes.js';
import { renderFingerprint } from '../../../src/github/review/fingerprint.js';
import { fingerprintOf } from '../../../src/github/review/fingerprint.js';
import { BOT_LOGIN, HEAD_SHA, OWNER, PULL_NUMBER, REPO, SECOND_HEAD_SHA } from '../../fixtures/github/app-events.js';
import { useHttpMocks } from '../../helpers/http-mocks.js';
import {
  feedbackOf,
  feedbackStores,
  GITHUB,
  mockContent,
  mockReviewComments,
  NOW,
  PATH,
  PATH_FIXED_LINE,
  postedComment,
  postedRecord,
  PULL_PATH,
  REPO_PATH,
  reviewComment,
  SQL_FIXED_LINE,
  SQL_LINE,
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

const sql = suggestionFor('user_by_email');
const download = suggestionFor('download');
const sqlComment = postedComment(sql);
const downloadComment = postedComment(download);

/** The app's two inline comments as GitHub lists them: 7001 (the query) and 7002 (the download). */
function botComments(options: { sqlThumbsDown?: number; downloadThumbsDown?: number } = {}) {
  return [
    reviewComment(7001, sqlComment.body, { line: sqlComment.line, ...(options.sqlThumbsDown ? { thumbsDown: options.sqlThumbsDown } : {}) }),
    reviewComment(7002, downloadComment.body, {
      line: downloadComment.line,
      ...(options.downloadThumbsDown ? { thumbsDown: options.downloadThumbsDown } : {}),
    }),
  ];
}

/** A store whose log holds the review's two posted records (and `more`). */
async function postedStore(more: FeedbackRecord[] = []): Promise<LocalCorpusStore> {
  const store = stores.make();
  const lines = [postedRecord(sql), postedRecord(download), ...more].map((record) => JSON.stringify(record));
  await store.updateLog('feedback', () => lines);
  return store;
}

function check(store: LocalCorpusStore, overrides: Partial<OutcomeCheckInput> = {}) {
  return checkSuggestionOutcomes({
    octokit: createOctokit({ auth: 'ghs_test', retry: false, throttle: false }),
    store,
    owner: OWNER,
    repo: REPO,
    pullNumber: PULL_NUMBER,
    headSha: SECOND_HEAD_SHA,
    botLogin: BOT_LOGIN,
    now: () => NOW,
    log: silentLogger,
    ...overrides,
  });
}

async function statesOf(store: LocalCorpusStore) {
  return [...suggestionStates(await feedbackOf(store)).values()].map((state) => state.state);
}

const SQL_APPLIED = VIEWS.replace(SQL_LINE, SQL_FIXED_LINE);

describe('no posted suggestion on the pull request', () => {
  it('reads the feedback log and asks GitHub nothing', async () => {
    const store = stores.make();
    // Another pull request's suggestion does not count.
    await store.updateLog('feedback', () => [JSON.stringify(postedRecord(sql, PULL_NUMBER + 1))]);
    let reads = 0;
    const counted = Object.assign(Object.create(store) as LocalCorpusStore, {
      readLog: (log: 'audit' | 'feedback') => {
        reads += 1;
        return store.readLog(log);
      },
    });

    const result = await check(counted, { headSha: async () => Promise.reject(new Error('the head is not asked for')) });

    expect(result).toEqual({ pending: 0, written: [] });
    expect(reads).toBe(1);
    expect(unmatched).toEqual([]);
  });
});

describe('applied', () => {
  it('a push whose head holds the suggested lines: applied once, the other suggestion stays left; a second check writes nothing', async () => {
    const store = await postedStore();
    mockReviewComments(botComments());
    mockContent(PATH, SQL_APPLIED, SECOND_HEAD_SHA);

    const first = await check(store);

    expect(unmatched).toEqual([]);
    expect(first.pending).toBe(2);
    expect(first.written).toEqual([
      {
        at: NOW.toISOString(),
        event: 'applied',
        suggestion: { ...postedRecord(sql).suggestion, commentId: 7001 },
        reason: 'suggested lines in head',
      },
    ]);

    // The same check again (a redelivery, or the next push): the download is still left, nothing new is written.
    mockReviewComments(botComments());
    mockContent(PATH, SQL_APPLIED, SECOND_HEAD_SHA);
    const second = await check(store);
    expect(second).toEqual({ pending: 1, written: [] });
    expect(await statesOf(store)).toEqual(['applied', 'left']);
  });

  it('trailing whitespace and CRLF line ends do not hide applied lines', async () => {
    const store = await postedStore();
    mockReviewComments(botComments());
    mockContent(PATH, VIEWS.replace(SQL_LINE, `${SQL_FIXED_LINE}   `).replace(/\n/g, '\r\n'), SECOND_HEAD_SHA);

    const result = await check(store);

    expect(result.written.map((record) => [record.event, record.suggestion?.fingerprint])).toEqual([['applied', postedRecord(sql).suggestion?.fingerprint]]);
  });

  it("GitHub's apply-suggestion commit naming the app counts when the code changed again since (closed pull request, resolved thread)", async () => {
    const store = await postedStore();
    mockReviewComments(botComments());
    // The head no longer holds the applied line: someone rewrote it after applying.
    mockContent(PATH, VIEWS.replace(SQL_LINE, '    cur.execute(QUERY, (email,))'), SECOND_HEAD_SHA);
    nock(GITHUB)
      .get(`${PULL_PATH}/commits`)
      .query({ per_page: 100 })
      .reply(200, [
        { sha: 'a'.repeat(40), commit: { message: 'Look users up by email' } },
        {
          sha: 'b'.repeat(40),
          commit: { message: 'Apply suggestion from @seccoder[bot]\n\nCo-authored-by: seccoder[bot] <1+seccoder[bot]@users.noreply.github.com>' },
        },
        { sha: 'c'.repeat(40), commit: { message: 'Apply suggestion from @octocat' } },
        { sha: 'd'.repeat(40), commit: { message: 'Use a named query' } },
      ]);
    nock(GITHUB)
      .get(`${REPO_PATH}/commits/${'b'.repeat(40)}`)
      .reply(200, {
        sha: 'b'.repeat(40),
        files: [
          {
            filename: PATH,
            status: 'modified',
            patch: `@@ -10,6 +10,6 @@ def user_by_email(email):\n     conn = sqlite3.connect("app.db")\n     cur = conn.cursor()\n-${SQL_LINE}\n+${SQL_FIXED_LINE}\n     return jsonify(cur.fetchone())`,
          },
        ],
      });

    const result = await check(store, { applyCommits: true });

    expect(unmatched).toEqual([]);
    expect(result.written).toEqual([
      {
        at: NOW.toISOString(),
        event: 'applied',
        suggestion: { ...postedRecord(sql).suggestion, commentId: 7001 },
        reason: `apply-suggestion commit ${'b'.repeat(7)}`,
      },
    ]);
  });
});

describe('dismissed', () => {
  it('a 👎 on the comment (the reactions rollup): dismissed once, the other stays left', async () => {
    const store = await postedStore();
    mockReviewComments(botComments({ downloadThumbsDown: 1 }));
    mockContent(PATH, VIEWS, HEAD_SHA);

    const result = await check(store, { headSha: HEAD_SHA });

    expect(unmatched).toEqual([]);
    expect(result.written).toEqual([
      { at: NOW.toISOString(), event: 'dismissed', suggestion: { ...postedRecord(download).suggestion, commentId: 7002 }, reason: 'thumbs-down' },
    ]);
    expect(await statesOf(store)).toEqual(['left', 'dismissed']);
  });

  it('the thread resolved without the lines in the code: dismissed, with who resolved it', async () => {
    const store = await postedStore();
    mockReviewComments(botComments());
    mockContent(PATH, VIEWS, HEAD_SHA);
    nock(GITHUB)
      .get(`${PULL_PATH}/commits`)
      .query({ per_page: 100 })
      .reply(200, [{ sha: 'a'.repeat(40), commit: { message: 'Look users up by email' } }]);

    const result = await check(store, { headSha: HEAD_SHA, resolved: { commentIds: [7001], by: 'octocat' }, applyCommits: true });

    expect(unmatched).toEqual([]);
    expect(result.written).toEqual([
      {
        at: NOW.toISOString(),
        event: 'dismissed',
        suggestion: { ...postedRecord(sql).suggestion, commentId: 7001 },
        reason: 'thread resolved unapplied',
        actor: 'octocat',
      },
    ]);
  });

  it('a thread resolved by applying the suggestion (GitHub resolves it then) is applied, not dismissed', async () => {
    const store = await postedStore();
    mockReviewComments(botComments());
    mockContent(PATH, SQL_APPLIED, SECOND_HEAD_SHA);
    // The download is not in the head: the commits are asked whether it was applied and changed since.
    nock(GITHUB).get(`${PULL_PATH}/commits`).query({ per_page: 100 }).reply(200, []);

    const result = await check(store, { resolved: { commentIds: [7001], by: 'octocat' }, applyCommits: true });

    expect(result.written.map((record) => [record.event, record.reason])).toEqual([['applied', 'suggested lines in head']]);
  });

  it('a 👎 and a copied marker on a comment by someone else change nothing (only the bot is read)', async () => {
    const store = await postedStore();
    const marker = renderFingerprint(fingerprintOf(download));
    mockReviewComments([
      ...botComments(),
      reviewComment(7100, `I disagree.\n\n${marker}`, { thumbsDown: 3, user: { login: 'mallory', id: 666, type: 'User' } }),
      reviewComment(7101, `Impostor\n\n${marker}`, { thumbsDown: 3, user: { login: 'seccoder[bot]', id: 667, type: 'User' } }),
    ]);
    mockContent(PATH, VIEWS, HEAD_SHA);

    const result = await check(store, { headSha: HEAD_SHA });

    expect(result).toEqual({ pending: 2, written: [] });
  });
});

describe('applied is final', () => {
  it('a 👎 after the suggestion was applied changes nothing, even once the lines are gone again', async () => {
    const store = await postedStore();
    mockReviewComments(botComments());
    mockContent(PATH, SQL_APPLIED, SECOND_HEAD_SHA);
    await check(store);

    mockReviewComments(botComments({ sqlThumbsDown: 2 }));
    mockContent(PATH, VIEWS, HEAD_SHA);
    const later = await check(store, { headSha: HEAD_SHA, resolved: { commentIds: [7001] } });

    expect(unmatched).toEqual([]);
    // Only the download was still left, and nothing happened to it.
    expect(later).toEqual({ pending: 1, written: [] });
    expect(await statesOf(store)).toEqual(['applied', 'left']);
  });

  it('two checks at once write each change once (decided while the writer holds the log)', async () => {
    const store = await postedStore();
    for (let i = 0; i < 2; i += 1) {
      mockReviewComments(botComments({ downloadThumbsDown: 1 }));
      mockContent(PATH, SQL_APPLIED, SECOND_HEAD_SHA);
    }

    const results = await Promise.all([check(store), check(store)]);

    expect(results.flatMap((result) => result.written)).toHaveLength(2);
    const records = await feedbackOf(store);
    expect(records.map((record) => record.event)).toEqual(['posted', 'posted', 'applied', 'dismissed']);
  });
});

describe('suggestions the check cannot judge', () => {
  it('a suggestion whose comment is gone, or whose block proves nothing, stays left; no file is read for it', async () => {
    const store = await postedStore();
    const emptyBlock = reviewComment(7002, downloadComment.body.replace(PATH_FIXED_LINE, '    }'), { line: downloadComment.line });
    mockReviewComments([emptyBlock]);

    const result = await check(store, { headSha: async () => Promise.reject(new Error('no file to read, no head to ask for')) });

    expect(unmatched).toEqual([]);
    expect(result).toEqual({ pending: 2, written: [] });
  });
});
