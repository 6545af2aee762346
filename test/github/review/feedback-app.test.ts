// The outcome check through the App: a `pull_request_review_thread` webhook (resolved) and a closed
// pull request, received by probot, queued, and run by the worker as the installation. GitHub is
// mocked over HTTP; the queue, the corpus provider and its feedback log are real.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import type { Probot } from 'probot';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalCorpusStore } from '../../../src/corpus/local-store.js';
import { createCorpusProvider } from '../../../src/github/corpus-provider.js';
import { INSTALLATION_ID, OWNER, PULL_NUMBER, pullRequestJson, REPO, SECOND_HEAD_SHA } from '../../fixtures/github/app-events.js';
import { tempDirs } from '../../fixtures/retrieval-corpus.js';
import { loadedProbot, mockConfig, mockInstallationToken, testDependencies, useAppFixtures } from '../app/harness.js';
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

const fixtures = useAppFixtures();
const temp = tempDirs('seccoder-feedback-app-');
afterAll(() => temp.cleanup());

const repository = { id: 1296269, name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER, id: 1, type: 'Organization' }, default_branch: 'main' };
const installation = { id: INSTALLATION_ID, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==' };
const sql = suggestionFor('user_by_email');
const sqlComment = reviewComment(7001, postedComment(sql).body, { line: postedComment(sql).line });

/** The App over a corpus folder whose feedback log holds the query's posted suggestion. */
async function app(records: object[]): Promise<{ probot: Probot; store: LocalCorpusStore; idle: () => Promise<void> }> {
  const root = join(temp.make(), 'corpus');
  mkdirSync(root);
  const store = new LocalCorpusStore(root);
  if (records.length > 0) await store.updateLog('feedback', () => records.map((record) => JSON.stringify(record)));
  const deps = testDependencies(createCorpusProvider({ root }));
  const probot = await loadedProbot(fixtures.privateKey, deps);
  return { probot, store, idle: () => deps.queue.idle() };
}

const receive = (probot: Probot, id: string, name: string, payload: object) =>
  probot.receive({ id, name, payload } as unknown as Parameters<Probot['receive']>[0]);

describe('the App', () => {
  it('a resolved thread of its unapplied suggestion: one job, and the suggestion is recorded dismissed by who resolved it', async () => {
    const { probot, store, idle } = await app([postedRecord(sql)]);
    mockInstallationToken();
    mockConfig();
    nock(GITHUB, { reqheaders: { accept: 'application/vnd.github.v3+json' } })
      .get(PULL_PATH)
      .reply(200, pullRequestJson({ headSha: SECOND_HEAD_SHA }));
    mockReviewComments([sqlComment]);
    mockContent(PATH, VIEWS, SECOND_HEAD_SHA);
    nock(GITHUB).get(`${PULL_PATH}/commits`).query({ per_page: 100 }).reply(200, []);

    await receive(probot, 'thread-1', 'pull_request_review_thread', {
      action: 'resolved',
      thread: { node_id: 'PRRT_kwDOABCDEF4AAAAB', comments: [sqlComment] },
      pull_request: { number: PULL_NUMBER, state: 'open', head: { sha: SECOND_HEAD_SHA }, base: { ref: 'main' } },
      repository,
      installation,
      sender: { login: 'octocat', id: 583231, type: 'User' },
    });
    await idle();

    expect(fixtures.unmatched).toEqual([]);
    expect((await feedbackOf(store)).slice(1)).toEqual([
      {
        at: NOW.toISOString(),
        event: 'dismissed',
        suggestion: { ...postedRecord(sql).suggestion, commentId: 7001 },
        reason: 'thread resolved unapplied',
        actor: 'octocat',
      },
    ]);
  });

  it('a pull request closed without merging, with no posted suggestion: the config and the feedback log are read, nothing else', async () => {
    const { probot, store, idle } = await app([]);
    mockInstallationToken();
    mockConfig();

    await receive(probot, 'closed-1', 'pull_request', {
      action: 'closed',
      number: PULL_NUMBER,
      pull_request: { ...pullRequestJson({ state: 'closed' }), merged: false, labels: [] },
      repository,
      installation,
      sender: { login: 'octocat', id: 583231, type: 'User' },
    });
    await idle();

    expect(fixtures.unmatched).toEqual([]);
    expect(await feedbackOf(store)).toEqual([]);
  });
});
