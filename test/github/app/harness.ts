// A probot instance for the App tests (retry and throttling off, a throwaway key, silent logs),
// the real retrieval index over a small corpus, and nock routes for the GitHub API and the model.
import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createApp, type AppDependencies } from '../../../src/app.js';
import type { Demonstrations } from '../../../src/github/review-pull-request.js';
import { OpenAiCompatibleModel } from '../../../src/model/openai-client.js';
import { openRetrievalIndex } from '../../../src/retrieve/open-index.js';
import { retrieverFor } from '../../../src/cli/open-retriever.js';
import { BOT_LOGIN, HEAD_SHA, INSTALLATION_ID, OWNER, PULL_NUMBER, REPO } from '../../fixtures/github/app-events.js';
import { appendEntries, snippetEntries, tempDirs } from '../../fixtures/retrieval-corpus.js';
import { chatCompletion } from '../../fixtures/review/flask-app.js';
import { SNIPPETS } from '../../fixtures/secure-snippets.js';

export const GITHUB = 'https://api.github.com';
export const MODEL_ORIGIN = 'https://models.example.test';
export const MODEL_URL = `${MODEL_ORIGIN}/v1`;
export const MODEL_NAME = 'coder-7b';
export const WEBHOOK_SECRET = 'test-webhook-secret';
export const CHECK_RUN_ID = 9001;
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;

/** A PEM private key made for this test run. */
export function testPrivateKey(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

export function testProbot(privateKey: string): Probot {
  return new Probot({
    appId: 123,
    privateKey,
    secret: WEBHOOK_SECRET,
    Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
    log: pino({ level: 'silent' }),
  });
}

/** The real cwe-aware retriever over the test snippets, in a temp folder. */
export async function testDemonstrations(temp: ReturnType<typeof tempDirs>): Promise<Demonstrations> {
  const dir = temp.make();
  await appendEntries(dir, await snippetEntries(SNIPPETS));
  const index = await openRetrievalIndex({ corpusDir: dir, persist: false });
  return { source: retrieverFor(index, 'cwe-aware'), corpusSize: index.entries.length };
}

/** App dependencies with the operator's model at MODEL_URL (no retries, no waiting) and no analyzers. */
export function testDependencies(demonstrations: Demonstrations): AppDependencies {
  return {
    demonstrations,
    model: {
      settings: { url: MODEL_URL, name: MODEL_NAME, environment: 'app' },
      create: (endpoint) =>
        new OpenAiCompatibleModel(
          { baseUrl: endpoint.baseUrl, model: endpoint.model, temperature: endpoint.temperature, samples: endpoint.samples, retries: 0 },
          { sleep: async () => undefined, random: () => 0 },
        ),
    },
    analyzers: [],
    botLogin: BOT_LOGIN,
  };
}

export async function loadedProbot(privateKey: string, deps: AppDependencies): Promise<Probot> {
  const probot = testProbot(privateKey);
  await probot.load(createApp(deps));
  return probot;
}

/** Keeps the JSON body of each matched request, by a name. */
export class Bodies {
  readonly #seen = new Map<string, unknown[]>();

  record(name: string) {
    return (body: unknown) => {
      this.#seen.set(name, [...(this.#seen.get(name) ?? []), body]);
      return true;
    };
  }

  all(name: string): unknown[] {
    return this.#seen.get(name) ?? [];
  }

  one(name: string): unknown {
    const bodies = this.all(name);
    if (bodies.length !== 1) throw new Error(`expected one ${name} request, got ${bodies.length}`);
    return bodies[0];
  }
}

export function mockInstallationToken(): void {
  nock(GITHUB)
    .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
    .reply(201, { token: 'ghs_test', expires_at: '2099-01-01T00:00:00Z', permissions: { checks: 'write', pull_requests: 'write', contents: 'read' } });
}

/** `.github/seccoder.yml`: absent in the repository and in the organization's `.github` repository, or this YAML. */
export function mockConfig(yaml?: string): void {
  if (yaml === undefined) {
    nock(GITHUB).get(`${REPO_PATH}/contents/.github%2Fseccoder.yml`).reply(404, { message: 'Not Found' });
    nock(GITHUB).get(`/repos/${OWNER}/.github/contents/.github%2Fseccoder.yml`).reply(404, { message: 'Not Found' });
    return;
  }
  nock(GITHUB).get(`${REPO_PATH}/contents/.github%2Fseccoder.yml`).reply(200, yaml);
}

export function mockCheckRunCreate(bodies: Bodies): void {
  nock(GITHUB).post(`${REPO_PATH}/check-runs`, bodies.record('check-create')).reply(201, { id: CHECK_RUN_ID, name: 'SecCoder', head_sha: HEAD_SHA });
}

export function mockCheckRunUpdate(bodies: Bodies): void {
  nock(GITHUB).patch(`${REPO_PATH}/check-runs/${CHECK_RUN_ID}`, bodies.record('check-update')).reply(200, { id: CHECK_RUN_ID });
}

export interface GatherReplies {
  files: nock.Body[];
  diff: string;
  contents: Record<string, nock.Body>;
  alerts: { status: number; body: nock.Body };
  comments?: nock.Body[];
  reviews?: nock.Body[];
  headSha?: string;
}

export function mockGather(replies: GatherReplies): void {
  const pulls = `${REPO_PATH}/pulls/${PULL_NUMBER}`;
  nock(GITHUB).get(`${pulls}/files`).query({ per_page: 100 }).reply(200, replies.files);
  nock(GITHUB, { reqheaders: { accept: 'application/vnd.github.v3.diff' } }).get(pulls).reply(200, replies.diff);
  for (const [path, content] of Object.entries(replies.contents)) {
    nock(GITHUB)
      .get(`${REPO_PATH}/contents/${path.split('/').map(encodeURIComponent).join('%2F')}`)
      .query({ ref: replies.headSha ?? HEAD_SHA })
      .reply(200, content);
  }
  nock(GITHUB)
    .get(`${REPO_PATH}/code-scanning/alerts`)
    .query({ ref: `refs/pull/${PULL_NUMBER}/merge`, state: 'open', per_page: 100 })
    .reply(replies.alerts.status, replies.alerts.body);
  nock(GITHUB).get(`${pulls}/comments`).query({ per_page: 100 }).reply(200, replies.comments ?? []);
  nock(GITHUB).get(`${pulls}/reviews`).query({ per_page: 100 }).reply(200, replies.reviews ?? []);
}

/** One chat completion answering every sample with `reply`. */
export function mockModel(bodies: Bodies, reply: string, samples = 3): void {
  nock(MODEL_ORIGIN)
    .post('/v1/chat/completions', bodies.record('model'))
    .reply(200, chatCompletion(...Array.from({ length: samples }, () => reply)));
}

export function mockReview(bodies: Bodies): void {
  nock(GITHUB).post(`${REPO_PATH}/pulls/${PULL_NUMBER}/reviews`, bodies.record('review')).reply(200, { id: 501 });
}
