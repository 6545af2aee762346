// The App on its Redis queue, end to end and from the built dist/: its own redis-server on a free
// loopback port, the stand-in GitHub and model (bench/stand-in/), App instances that only answer
// webhooks and enqueue (SECCODER_WORKERS=0) and worker processes (`worker-main.js`). The fixture
// pull request adds app/views.py, a Flask view with a SQL injection.
// (a) The same `pull_request.opened` delivered 5 times at once with 5 delivery ids, split across two
//     App instances: one review, one check run, completed.
// (b) A worker SIGKILLed while the model answers its job: once the job's lock lapses
//     (SECCODER_JOB_LOCK_MS=3000) another worker takes it up; one review, the dead worker's check
//     run completed as cancelled, none left in progress.
// Needs `npm run build` first (the processes run dist/) and /usr/bin/redis-server.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeCorpus } from '../../../bench/stand-in/corpus.js';
import { startStandInGitHub, type StandInGitHub, type StoredCheckRun } from '../../../bench/stand-in/github.js';
import { startStandInModel, type StandInModel } from '../../../bench/stand-in/model.js';
import {
  runFolder,
  startApp,
  startRedis,
  startWorker,
  waitForQueueDrained,
  waitForReady,
  waitUntil,
  type AppEnvironment,
  type AppProcess,
  type RedisServer,
} from '../../../bench/stand-in/processes.js';
import { deliver, delivery, type DeliveryResult } from '../../../bench/stand-in/webhooks.js';
import { CHECK_RUN_NAME } from '../../../src/github/review/review-pull-request.js';
import { HEAD_SHA, INSTALLATION_ID, OWNER, PULL_NUMBER, pullRequestOpened, REPO } from '../../fixtures/github/app-events.js';
import { FIXED_LINE, VIEWS, VIEWS_PATH } from '../../fixtures/review/flask-app.js';

const WEBHOOK_SECRET = 'e2e-webhook-secret';
const WEBHOOK_PATH = '/api/github/webhooks';
/** A killed worker's job is taken up by another after about this long (BullMQ's lock and stalled check). */
const JOB_LOCK_MS = 3_000;
/** E2E_LOG_LEVEL=debug logs every GitHub request the processes make. */
const LOG_LEVEL = (process.env.E2E_LOG_LEVEL ?? 'info') as AppEnvironment['logLevel'];
/** After the review is done and the queue drained, how long to keep watching for a late duplicate. */
const SETTLE_MS = 2_000;

const folder = runFolder('seccoder-e2e-queue-');
let redis: RedisServer;
let privateKey: string;
let corpusDir: string;
/** Each test's processes and stand-ins, stopped after it. */
let started: AppProcess[] = [];
let github: StandInGitHub;
let model: StandInModel;

beforeAll(async () => {
  privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  corpusDir = join(folder.dir, 'corpus');
  mkdirSync(corpusDir);
  await writeCorpus(corpusDir);
  redis = await startRedis(folder.dir);
}, 120_000);

afterAll(async () => {
  await redis?.stop();
  // E2E_KEEP_LOGS=1 keeps every process's log (one file per process) for a look afterwards.
  if (process.env.E2E_KEEP_LOGS) console.error(`logs kept in ${folder.dir}`);
  else folder.cleanup();
});

beforeEach(async () => {
  // The queue remembers jobs it has done: each test starts from an empty Redis.
  expect(await redis.command('FLUSHALL')).toBe('+OK');
  github = await startStandInGitHub();
  github.addPullRequest({
    owner: OWNER,
    repo: REPO,
    number: PULL_NUMBER,
    headSha: HEAD_SHA,
    installationId: INSTALLATION_ID,
    files: [{ path: VIEWS_PATH, content: VIEWS }],
  });
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    for (const app of started) console.error(`--- ${app.name} ---\n${app.process.tail(60)}`);
    const requests = github.state.requests.map((request) => `${request.at} ms ${request.method} ${request.path} ${request.status}`);
    console.error(`--- stand-in GitHub requests ---\n${requests.join('\n')}`);
    console.error(`--- check runs ---\n${JSON.stringify(github.state.checkRuns.map(({ output: _output, ...run }) => run))}`);
  }
  await Promise.all(started.map((app) => app.process.stop()));
  started = [];
  await github.close();
  await model?.close();
});

function environment(): AppEnvironment {
  return {
    appId: 123,
    privateKey,
    githubHost: github.host,
    modelUrl: model.url,
    modelName: 'stand-in-coder',
    redisUrl: redis.url,
    corpusDir,
    jobLockMs: JOB_LOCK_MS,
    logLevel: LOG_LEVEL,
  };
}

async function app(name: string): Promise<AppProcess> {
  const instance = await startApp(name, { ...environment(), webhookSecret: WEBHOOK_SECRET }, folder.dir, { workers: 0 });
  started.push(instance);
  return instance;
}

async function worker(name: string): Promise<AppProcess> {
  const instance = await startWorker(name, environment(), folder.dir, { workers: 1 });
  started.push(instance);
  return instance;
}

const send = (target: AppProcess, id: string): Promise<DeliveryResult> =>
  deliver(`${target.url}${WEBHOOK_PATH}`, WEBHOOK_SECRET, delivery('pull_request', pullRequestOpened(), id));

/** A check run in brief, for readable failures. */
const summary = (run: StoredCheckRun) => ({ status: run.status, conclusion: run.conclusion, title: run.output.title });
const checkRuns = () => github.checkRunsOf(OWNER, REPO, PULL_NUMBER).filter((run) => run.name === CHECK_RUN_NAME);
const reviews = () => github.reviewsOf(OWNER, REPO, PULL_NUMBER);

/**
 * The review is posted and a check run completed; then the queue has drained (no job waiting,
 * running, or delayed for a retry, as `instance`'s /metrics says), so a retry or a second run of
 * the job, or a stranded check run's completion, has been written by the time the test looks.
 */
async function reviewed(instance: AppProcess, timeoutMs: number): Promise<void> {
  await waitUntil(() => reviews().length > 0 && checkRuns().some((run) => run.status === 'completed'), 'the review and a completed check run', timeoutMs, 50);
  expect(await waitForQueueDrained(instance, 60_000), 'the App reports its queue depth on /metrics').toBe(true);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

/** The review's suggestion fixes the query on line 12, and is posted once. */
function expectOneReviewWithTheFix(): void {
  expect(reviews()).toHaveLength(1);
  const comments = github.reviewCommentsOf(OWNER, REPO, PULL_NUMBER);
  expect(comments.length).toBeGreaterThan(0);
  expect(comments.every((comment) => comment.pull_request_review_id === reviews()[0]?.id)).toBe(true);
  expect(
    comments.some((comment) => comment.path === VIEWS_PATH && comment.line === 12 && comment.body.includes(`\`\`\`suggestion\n${FIXED_LINE}\n\`\`\``)),
  ).toBe(true);
  expect(github.state.unknownRoutes).toEqual([]);
}

describe('the App on a Redis queue', () => {
  it('reviews once when the same event is delivered 5 times at once to two App instances', async () => {
    model = await startStandInModel({ latencyMs: 500, reply: 'secure' });
    const [first, second, onlyWorker] = await Promise.all([app('app-1'), app('app-2'), worker('worker')]);
    await Promise.all([first, second, onlyWorker].map((instance) => waitForReady(instance)));

    const ids = Array.from({ length: 5 }, () => randomUUID());
    const answers = await Promise.all(ids.map((id, i) => send(i % 2 === 0 ? first : second, id)));
    for (const answer of answers) expect(answer.status, answer.body).toBeGreaterThanOrEqual(200);
    for (const answer of answers) expect(answer.status, answer.body).toBeLessThan(300);
    expect(answers.some((answer) => answer.status === 202)).toBe(true);

    await reviewed(first, 60_000);
    expectOneReviewWithTheFix();
    expect(checkRuns().map(summary)).toEqual([{ status: 'completed', conclusion: expect.any(String), title: expect.any(String) }]);
    expect(github.state.checkRuns.filter((run) => run.status !== 'completed').map(summary)).toEqual([]);
    expect(model.stats().requests).toBe(1);
  }, 120_000);

  it("finishes a killed worker's job on another worker and cancels the dead worker's check run", async () => {
    model = await startStandInModel({ latencyMs: 8_000, reply: 'secure' });
    const [webhooks, doomed] = await Promise.all([app('app'), worker('worker-a')]);
    await Promise.all([waitForReady(webhooks), waitForReady(doomed)]);

    const answer = await send(webhooks, randomUUID());
    expect(answer.status, answer.body).toBe(202);
    // Worker A is the only worker: the model's first request is A's, mid-job, its check run open.
    await model.waitForRequests(1, 60_000);
    expect(checkRuns().map((run) => run.status)).toEqual(['in_progress']);
    await doomed.process.kill();

    const rescuer = await worker('worker-b');
    await waitForReady(rescuer);
    await reviewed(webhooks, 90_000);

    expectOneReviewWithTheFix();
    const runs = checkRuns();
    expect(github.state.checkRuns.filter((run) => run.status !== 'completed').map(summary)).toEqual([]);
    expect(runs.map(summary)).toHaveLength(2);
    const [dead, done] = runs;
    expect(dead).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(done).toMatchObject({ status: 'completed' });
    expect(done?.conclusion).not.toBe('cancelled');
    expect(dead?.external_id).toBeTruthy();
    expect(done?.external_id).toBeTruthy();
    expect(dead?.external_id).not.toBe(done?.external_id);
    expect(model.stats().requests).toBe(2);
  }, 150_000);
});
