// What the growth tests share: the merged fix's repository (acme/shop) mocked with nock per route,
// a webhook payload turned into its job the way the App does (jobForEvent), and growth run on it
// with real tree-sitter and bandit, a real corpus provider (a local folder, or the repository store
// over the fake corpus repository) and a stub index.
import { Octokit } from '@octokit/rest';
import nock from 'nock';
import { BanditAnalyzer } from '../../../src/analyze/bandit.js';
import type { Analyzer } from '../../../src/analyze/types.js';
import { createCorpusProvider, type CorpusProvider } from '../../../src/github/corpus-provider.js';
import { jobForEvent } from '../../../src/github/event-jobs.js';
import { growCorpusFromMerge, type GrowthDependencies, type GrowthResult } from '../../../src/github/growth/grow-corpus.js';
import { BOT_LOGIN } from '../../fixtures/github/app-events.js';
import {
  AUTHOR,
  BASE_SHA,
  contentOf,
  fixedAlert,
  MERGER,
  modifiedListed,
  pullRequestClosed,
  type MergedPullFixture,
} from '../../fixtures/github/merge-events.js';

export const API = 'https://api.github.com';
export const SHOP = '/repos/acme/shop';
export const NOW = new Date('2026-03-02T10:00:00.000Z');
export { BOT_LOGIN };

export interface Logged {
  details: Record<string, unknown>;
  message: string;
}

const quiet = () => undefined;

/** A plain Octokit: no retry or throttling plugins, so every request is seen once. */
export function testOctokit(): Octokit {
  return new Octokit({ auth: 'ghs_test', userAgent: 'seccoder-test', request: { retries: 0 }, log: { debug: quiet, info: quiet, warn: quiet, error: quiet } });
}

export interface Growth {
  deps: GrowthDependencies;
  logged: Logged[];
  /** How often the index was asked to catch up with the corpus. */
  retrievals: () => number;
}

/** Growth's collaborators over a corpus root (local corpora) and whatever repository store the config names. */
export function growth(root: string, options: { analyzers?: Analyzer[]; maxEntryChars?: number } = {}): Growth {
  const provider = createCorpusProvider({ root });
  let retrievals = 0;
  // The index is not these tests' business: retrieval is counted, not built.
  const corpus: CorpusProvider = {
    corpusFor: (location, octokit) => {
      const opened = provider.corpusFor(location, octokit);
      return {
        store: opened.store,
        retrieval: () => {
          retrievals += 1;
          return Promise.resolve({ retriever: { retrieve: () => Promise.resolve([]) }, corpusSize: 0 });
        },
      };
    },
  };
  const logged: Logged[] = [];
  const record = (details: object, message: string) => logged.push({ details: details as Record<string, unknown>, message });
  return {
    deps: {
      corpus,
      analyzers: options.analyzers ?? [new BanditAnalyzer()],
      botLogin: BOT_LOGIN,
      log: { info: record, warn: record, error: record },
      now: () => NOW,
      proposals: { sleep: () => Promise.resolve() },
      ...(options.maxEntryChars !== undefined ? { maxEntryChars: options.maxEntryChars } : {}),
    },
    logged,
    retrievals: () => retrievals,
  };
}

/** A merge event as GitHub sends it, with the pull request's page. */
export function mergeEvent(pull: MergedPullFixture): object {
  const payload = pullRequestClosed(pull) as unknown as { pull_request: object };
  return { ...payload, pull_request: { ...payload.pull_request, html_url: `https://github.com/acme/shop/pull/${pull.number}` } };
}

/** Delivers `payload` as the App does: its job (jobForEvent), then growth on it. */
export async function deliver(growthOf: Growth, payload: object, deliveryId: string, config: unknown): Promise<GrowthResult> {
  const asked = jobForEvent('pull_request', payload, deliveryId);
  if (!('job' in asked) || asked.job.kind !== 'growth') throw new Error(`expected a growth job, got ${JSON.stringify(asked)}`);
  const { job } = asked;
  return growCorpusFromMerge(
    { octokit: testOctokit(), owner: job.owner, repo: job.repo, pull: job.pull, deliveryId, readConfig: () => Promise.resolve(config) },
    growthOf.deps,
  );
}

/** The author and the merger may write to acme/shop (`times`: for as many runs). */
export function mockPeople(times = 1): void {
  nock(API)
    .get(`${SHOP}/collaborators/${AUTHOR}/permission`)
    .times(times)
    .reply(200, { permission: 'write', role_name: 'write', user: { login: AUTHOR } });
  nock(API)
    .get(`${SHOP}/collaborators/${MERGER}/permission`)
    .times(times)
    .reply(200, { permission: 'admin', role_name: 'admin', user: { login: MERGER } });
}

function contentPath(path: string): string {
  return `${SHOP}/contents/${path.split('/').map(encodeURIComponent).join('%2F')}`;
}

/**
 * The reads of a merged fix: its files, the alert it fixed (a CodeQL SQL injection for `alertLine`,
 * or code scanning off), the file at the base (for an alert) and at the head (labelled), and at the
 * merge commit.
 */
export function mockMergeReads(pull: MergedPullFixture, options: { alertLine?: number } = {}): void {
  nock(API)
    .get(`${SHOP}/pulls/${pull.number}/files`)
    .query({ per_page: 100 })
    .reply(200, [modifiedListed(pull)]);
  const alerts = nock(API)
    .get(`${SHOP}/code-scanning/alerts`)
    .query({ ref: `refs/pull/${pull.number}/merge`, per_page: 100 });
  if (options.alertLine !== undefined) {
    alerts.reply(200, [fixedAlert(pull, options.alertLine)]);
    nock(API).get(contentPath(pull.path)).query({ ref: BASE_SHA }).reply(200, contentOf(pull.path, pull.before));
  } else {
    alerts.reply(403, { message: 'Advanced Security must be enabled for this repository to use code scanning.' });
    nock(API).get(contentPath(pull.path)).query({ ref: pull.headSha }).reply(200, contentOf(pull.path, pull.after));
  }
  nock(API).get(contentPath(pull.path)).query({ ref: pull.mergeSha }).reply(200, contentOf(pull.path, pull.after));
}

/** The growth comment: looked for (none, or `existing`), then posted into `posted` when there is none. */
export function mockComment(pull: MergedPullFixture, posted: string[], existing: object[] = []): void {
  nock(API).get(`${SHOP}/issues/${pull.number}/comments`).query({ per_page: 100 }).reply(200, existing);
  if (existing.length > 0) return;
  nock(API)
    .post(`${SHOP}/issues/${pull.number}/comments`, (body: { body: string }) => {
      posted.push(body.body);
      return true;
    })
    .reply(201, { id: 900 + pull.number, user: { login: BOT_LOGIN, type: 'Bot' } });
}
