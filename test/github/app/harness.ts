// A probot instance for the App tests (retry and throttling off, a throwaway key, silent logs),
// the real retrieval index over a small corpus, nock routes for the GitHub API and the model, and
// the per-file setup (no network, no unused mocks, unmatched requests recorded, a frozen clock).
import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { createApp, type AppDependencies } from '../../../src/github/app.js';
import { InProcessQueue } from '../../../src/github/queue/in-process-queue.js';
import { createCorpusProvider, type CorpusProvider } from '../../../src/github/corpus-provider.js';
import type { CorpusRetrieval } from '../../../src/github/corpus-provider.js';
import { OpenAiCompatibleModel } from '../../../src/model/openai-client.js';
import { openRetrievalIndex, retrieverFor } from '../../../src/retrieve/open-index.js';
import {
  addedFileDiff,
  addedFileListed,
  BOT_LOGIN,
  contentOf,
  HEAD_SHA,
  INSTALLATION_ID,
  OWNER,
  PULL_NUMBER,
  pullRequestJson,
  REPO,
  VIEWS,
  VIEWS_DIFF,
  VIEWS_LISTED,
  VIEWS_PATH,
} from '../../fixtures/github/app-events.js';
import { appendEntries, snippetEntries, tempDirs } from '../../fixtures/retrieval-corpus.js';
import { chatCompletion } from '../../fixtures/review/flask-app.js';
import { SNIPPETS } from '../../fixtures/secure-snippets.js';
import { useHttpMocks } from '../../helpers/http-mocks.js';

export const GITHUB = 'https://api.github.com';
export const MODEL_ORIGIN = 'https://models.example.test';
export const MODEL_URL = `${MODEL_ORIGIN}/v1`;
export const MODEL_NAME = 'coder-7b';
export const WEBHOOK_SECRET = 'test-webhook-secret';
export const CHECK_RUN_ID = 9001;
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;
/** The pull request's API path. */
export const PULL_PATH = `${REPO_PATH}/pulls/${PULL_NUMBER}`;
/** The clock while a test runs: check-run times are exact. */
export const NOW = new Date('2026-03-02T10:00:00.000Z');

/** A PEM private key made for this test run. */
export function testPrivateKey(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

/**
 * ProbotOctokit with retry and throttling off. The function form is needed: probot passes its own
 * `throttle` options (without `enabled`) to the constructor, which would replace an object
 * default's `throttle: { enabled: false }` and leave throttling on (bottleneck then spaces writes
 * a second apart).
 */
const UnthrottledOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object | undefined), enabled: false },
}));

export function testProbot(privateKey: string): Probot {
  return new Probot({
    appId: 123,
    privateKey,
    secret: WEBHOOK_SECRET,
    Octokit: UnthrottledOctokit,
    log: pino({ level: 'silent' }),
  });
}

/** The real cwe-aware retriever over the test snippets, in a temp folder. */
export async function testRetrieval(temp: ReturnType<typeof tempDirs>): Promise<CorpusRetrieval> {
  const dir = temp.make();
  await appendEntries(dir, await snippetEntries(SNIPPETS));
  const index = await openRetrievalIndex({ corpusDir: dir, persist: false });
  return { retriever: retrieverFor(index, 'cwe-aware'), corpusSize: index.entries.length };
}

/** The real corpus provider over a temp corpus of the test snippets (indexed on first use). */
export async function testCorpus(temp: ReturnType<typeof tempDirs>): Promise<CorpusProvider> {
  const dir = temp.make();
  await appendEntries(dir, await snippetEntries(SNIPPETS));
  return createCorpusProvider({ root: dir });
}

/**
 * App dependencies with the operator's model at MODEL_URL (no retries, no waiting), no analyzers,
 * and an in-process queue whose failed jobs are not retried (a test sees one attempt).
 */
export function testDependencies(corpus: CorpusProvider): AppDependencies & { queue: InProcessQueue } {
  return {
    corpus,
    queue: new InProcessQueue({ attempts: 1 }),
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

/** The queue of each probot the tests loaded, to wait for its jobs. */
const queues = new WeakMap<Probot, InProcessQueue>();

/**
 * `probot.receive` for a fixture payload, then waits until the job it queued (if any) has run.
 * The fixtures are typed with @octokit/webhooks-types, which describes the same events as
 * probot's own types in another type family.
 */
export async function deliver(probot: Probot, id: string, name: 'pull_request' | 'check_run', payload: object): Promise<void> {
  await probot.receive({ id, name, payload } as unknown as Parameters<Probot['receive']>[0]);
  await queues.get(probot)?.idle();
}

export async function loadedProbot(privateKey: string, deps: AppDependencies): Promise<Probot> {
  const probot = testProbot(privateKey);
  await probot.load(createApp(deps));
  if (deps.queue instanceof InProcessQueue) queues.set(probot, deps.queue);
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

/** POST check-runs; and the App's look for stranded in-progress runs of the commit (none), which a direct `reviewPullRequest` does not make. */
export function mockCheckRunCreate(bodies: Bodies): void {
  nock(GITHUB).post(`${REPO_PATH}/check-runs`, bodies.record('check-create')).reply(201, { id: CHECK_RUN_ID, name: 'SecCoder', head_sha: HEAD_SHA });
  nock(GITHUB)
    .get(new RegExp(`^${REPO_PATH}/commits/[0-9a-f]+/check-runs`))
    .query({ check_name: 'SecCoder', status: 'in_progress', filter: 'all', per_page: 100 })
    .optionally()
    .reply(200, { total_count: 0, check_runs: [] });
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
  /** What the re-read right before posting finds. Default: the same as `comments` and `reviews`. */
  reread?: { comments?: nock.Body[]; reviews?: nock.Body[] };
}

export function mockGather(replies: GatherReplies): void {
  nock(GITHUB).get(`${PULL_PATH}/files`).query({ per_page: 100 }).reply(200, replies.files);
  nock(GITHUB, { reqheaders: { accept: 'application/vnd.github.v3.diff' } })
    .get(PULL_PATH)
    .reply(200, replies.diff);
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
  // The job reads the pull request first (is this still its head?); a direct `reviewPullRequest` does not.
  nock(GITHUB, { reqheaders: { accept: 'application/vnd.github.v3+json' } })
    .get(PULL_PATH)
    .optionally()
    .reply(200, pullRequestJson({ headSha: replies.headSha ?? HEAD_SHA }));
  // Read when gathering, and again right before a review is posted (unchanged unless a test says otherwise).
  for (const [index, listed] of [replies.comments ?? [], replies.reread?.comments ?? replies.comments ?? []].entries()) {
    const interceptor = nock(GITHUB).get(`${PULL_PATH}/comments`).query({ per_page: 100 });
    (index === 0 ? interceptor : interceptor.optionally()).reply(200, listed);
  }
  for (const [index, listed] of [replies.reviews ?? [], replies.reread?.reviews ?? replies.reviews ?? []].entries()) {
    const interceptor = nock(GITHUB).get(`${PULL_PATH}/reviews`).query({ per_page: 100 });
    (index === 0 ? interceptor : interceptor.optionally()).reply(200, listed);
  }
}

/** One chat completion answering every sample with `reply`. */
export function mockModel(bodies: Bodies, reply: string, samples = 3): void {
  nock(MODEL_ORIGIN)
    .post('/v1/chat/completions', bodies.record('model'))
    .reply(200, chatCompletion(...Array.from({ length: samples }, () => reply)));
}

export function mockReview(bodies: Bodies): void {
  nock(GITHUB).post(`${PULL_PATH}/reviews`, bodies.record('review')).reply(200, { id: 501 });
}

/** What every App test file shares, filled in before its tests run. */
export interface AppFixtures {
  privateKey: string;
  retrieval: CorpusRetrieval;
  /** A corpus provider over the same snippets, for the App. */
  corpus: CorpusProvider;
  /** Requests nock had no mock for in the current test (each one also fails the request). */
  unmatched: string[];
}

/**
 * Per test file: no network and no unused mocks (useHttpMocks), one private key, the real
 * retriever over the test corpus, and `Date` frozen at NOW (only Date: timers and promises run
 * as usual).
 */
export function useAppFixtures(): AppFixtures {
  useHttpMocks();
  const temp = tempDirs('seccoder-app-');
  const fixtures = { unmatched: [] } as unknown as AppFixtures;
  const recordUnmatched = (request: { method?: string; href?: string; path?: string }) => {
    const where = request.href ?? request.path ?? '?';
    // A test's own local server (nock.enableNetConnect('127.0.0.1')) is reached on purpose.
    if (where.startsWith('http://127.0.0.1:')) return;
    fixtures.unmatched.push(`${request.method ?? '?'} ${where}`);
  };
  beforeAll(async () => {
    fixtures.privateKey = testPrivateKey();
    fixtures.retrieval = await testRetrieval(temp);
    fixtures.corpus = await testCorpus(temp);
    nock.emitter.on('no match', recordUnmatched);
  });
  beforeEach(() => {
    fixtures.unmatched = [];
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(() => {
    nock.emitter.removeListener('no match', recordUnmatched);
    temp.cleanup();
  });
  return fixtures;
}

/** POST /repos/{owner}/{repo}/pulls/{n}/comments/{id}/replies. */
export function mockReply(bodies: Bodies, commentId: number): void {
  nock(GITHUB)
    .post(`${PULL_PATH}/comments/${commentId}/replies`, bodies.record('reply'))
    .reply(201, { id: commentId + 1, in_reply_to_id: commentId });
}

/** GET /repos/{owner}/{repo}/pulls/{n} as JSON (not the diff, which has its own Accept). */
export function mockPullRequest(options: { headSha?: string; draft?: boolean; state?: 'open' | 'closed' } = {}): void {
  nock(GITHUB, { reqheaders: { accept: 'application/vnd.github.v3+json' } })
    .get(PULL_PATH)
    .reply(200, pullRequestJson(options));
}

/** The reads of a pull request adding app/views.py (`views`: its text at the head commit). */
export function mockViewsGather(options: Partial<Omit<GatherReplies, 'files' | 'diff' | 'contents'>> & { views?: string } = {}): void {
  const { views, ...rest } = options;
  mockGather({
    files: [views === undefined ? VIEWS_LISTED : addedFileListed(VIEWS_PATH, views)],
    diff: views === undefined ? VIEWS_DIFF : addedFileDiff(VIEWS_PATH, views),
    contents: { [VIEWS_PATH]: contentOf(VIEWS_PATH, views ?? VIEWS) },
    alerts: { status: 200, body: [] },
    ...rest,
  });
}
