// `npm run bench:app`: the App under a burst of webhooks, end to end. A throwaway redis-server, the
// stand-in GitHub and model (bench/stand-in/), the App's webhook server (SECCODER_WORKERS=0, only
// answering and enqueueing) and N worker processes (SECCODER_WORKERS=1 each), all from dist/. Once
// everything is ready, 50 signed deliveries over 10 pull requests go out at once: per pull request
// an `opened`, a `synchronize` with the same head, a redelivery of the `opened` (same delivery id)
// and two more `opened` with new ids (the same event delivered twice). Measured: the webhook
// answers' latency, the time until every pull request has its review and a completed check run,
// duplicates (a second review on a pull request, or the same suggestion comment twice), check runs
// left in progress (counted once the queue has drained, so retries are seen), and the throughput
// with 1 worker against 4 (the model, 2 s a request, is the bottleneck). Prints one JSON object; `--out <dir>` also writes it to <dir>/app.json.
//
// The pull requests are spread over 10 installations by default (`--installations`): the App's
// Octokit spaces one installation's writes a second apart (GitHub's advice against secondary rate
// limits), shared across processes through Redis, so with 3 writes a review one installation
// cannot take more than ~20 reviews a minute however many workers run; `--installations 1` shows it.
// Usage: node dist/bench/app.js [--workers 1,4] [--pulls 10] [--installations 10] [--model-latency-ms 2000] [--out dir] [--keep-logs]
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, setPriority } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeCorpus, vulnerableView } from './stand-in/corpus.js';
import { startStandInGitHub, type StandInGitHub, type StoredPullRequest } from './stand-in/github.js';
import { startStandInModel } from './stand-in/model.js';
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
} from './stand-in/processes.js';
import { deliver, delivery, pullRequestEvent, warmUpSender, type Delivery, type DeliveryResult } from './stand-in/webhooks.js';

const WEBHOOK_SECRET = 'bench-webhook-secret';
const WEBHOOK_PATH = '/api/github/webhooks';
/** Installation ids are this plus 0, 1, 2, … */
const FIRST_INSTALLATION_ID = 4242;
const MODEL_NAME = 'stand-in-coder';
/** The floors a run must meet. */
const FLOORS = { webhookP99Ms: 100, duplicates: 0, checkRunsInProgress: 0, throughputRatio: 3 };
/** After the last pull request is done and the queue drained, how long to keep watching for a late duplicate. */
const SETTLE_MS = 2_000;

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '1,4' },
    pulls: { type: 'string', default: '10' },
    installations: { type: 'string', default: '10' },
    'model-latency-ms': { type: 'string', default: '2000' },
    'worker-nice': { type: 'string', default: '10' },
    out: { type: 'string' },
    'keep-logs': { type: 'boolean', default: false },
  },
});

const USAGE =
  'usage: node dist/bench/app.js [--workers 1,4] [--pulls 10] [--installations 10] [--model-latency-ms 2000] [--worker-nice 10] [--out dir] [--keep-logs]';

const log = (line: string) => console.error(`[bench:app] ${line}`);
const workerNice = Number(values['worker-nice']);

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The five deliveries of one pull request: opened, synchronize (same head), the opened again (same id), and two more opened (new ids). */
function deliveriesFor(pull: BenchPull): Delivery[] {
  const opened = pullRequestEvent(pull, 'opened', pull.installationId);
  const first = delivery('pull_request', opened);
  return [
    first,
    delivery('pull_request', pullRequestEvent(pull, 'synchronize', pull.installationId)),
    delivery('pull_request', opened, first.id),
    delivery('pull_request', opened),
    delivery('pull_request', opened),
  ];
}

type BenchPull = StoredPullRequest & { installationId: number };

interface RunResult {
  workers: number;
  pulls: number;
  deliveries: number;
  webhook: { statuses: Record<string, number>; p50Ms: number; p99Ms: number; maxMs: number };
  /** From the first delivery sent until every pull request has its review and no running check run. */
  allReviewedSeconds: number;
  /** From the first delivery until the queue was empty (no job waiting, running or delayed for a retry); undefined when /metrics does not say. */
  queueDrainedSeconds: number | undefined;
  /** Pull requests reviewed per minute. */
  throughputPerMinute: number;
  reviews: number;
  suggestionComments: number;
  duplicates: { extraReviews: number; repeatedComments: number; total: number };
  /** `extra`: check runs beyond one per pull request (a job run again, e.g. retried after an error). */
  checkRuns: { total: number; extra: number; inProgress: number; conclusions: Record<string, number> };
  model: { requests: number; maxConcurrent: number; samplesPerRequest: number | undefined };
  /** Each pull request's job from its check run opening to its review posted (seconds), and when the last one started (since the burst). */
  jobs: { p50Seconds: number; maxSeconds: number; lastStartS: number; timeline: [startS: number, seconds: number][] };
  unknownGitHubRoutes: string[];
}

function tally(items: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

/** Every pull request has a review and at least one check run, none still running. */
function allReviewed(github: StandInGitHub, pulls: readonly StoredPullRequest[]): boolean {
  return pulls.every((pull) => {
    const runs = github.checkRunsOf(pull.owner, pull.repo, pull.number);
    return github.reviewsOf(pull.owner, pull.repo, pull.number).length > 0 && runs.length > 0 && runs.every((run) => run.status === 'completed');
  });
}

interface RunSettings {
  privateKey: string;
  corpusDir: string;
  modelLatencyMs: number;
  logDir: string;
  /** Pull requests are spread over this many installations (each its own organization). */
  installations: number;
}

async function run(workerCount: number, pullCount: number, settings: RunSettings): Promise<RunResult> {
  const stops: (() => Promise<void>)[] = [];
  const processes: AppProcess[] = [];
  try {
    const redis: RedisServer = await startRedis(settings.logDir);
    stops.push(() => redis.stop());
    const github = await startStandInGitHub();
    stops.push(() => github.close());
    const model = await startStandInModel({ latencyMs: settings.modelLatencyMs, reply: 'secure' });
    stops.push(() => model.close());

    const pulls: BenchPull[] = Array.from({ length: pullCount }, (_, index) => {
      const view = vulnerableView(index);
      // Installation k is organization org-k; within it, two repositories, so that pull request numbers repeat across them.
      const tenant = index % settings.installations;
      const nth = Math.floor(index / settings.installations);
      const installationId = FIRST_INSTALLATION_ID + tenant;
      const pull = github.addPullRequest({
        owner: `org-${tenant}`,
        repo: nth % 2 === 0 ? 'shop' : 'billing',
        number: 100 + Math.floor(nth / 2),
        installationId,
        title: `Look ${view.functionName.replace(/_by_key$/, '')} up by key`,
        files: [{ path: view.path, content: view.content }],
      });
      return Object.assign(pull, { installationId });
    });

    const env: AppEnvironment = {
      appId: 123,
      privateKey: settings.privateKey,
      githubHost: github.host,
      modelUrl: model.url,
      modelName: MODEL_NAME,
      redisUrl: redis.url,
      corpusDir: settings.corpusDir,
    };
    const app = await startApp(`app-w${workerCount}`, { ...env, webhookSecret: WEBHOOK_SECRET }, settings.logDir, { workers: 0 });
    processes.push(app);
    for (let i = 0; i < workerCount; i += 1) {
      const worker = await startWorker(`worker-w${workerCount}-${i + 1}`, env, settings.logDir, { workers: 1 });
      // Here the workers share 2 cores with the webhook server; deployed, they run in their own
      // containers or hosts. A lower CPU priority stands in for that, so the burst's answer times
      // measure the server, not the analyzers running beside it (0 turns it off).
      if (workerNice > 0 && worker.process.pid !== undefined) setPriority(worker.process.pid, workerNice);
      processes.push(worker);
    }
    await Promise.all(processes.map((started) => waitForReady(started)));
    log(`${workerCount} worker(s) ready; sending ${pullCount * 5} deliveries`);

    const deliveries = pulls.flatMap(deliveriesFor);
    await warmUpSender(deliveries.length);
    const started = performance.now();
    const burstAt = github.elapsedMs();
    const answers: DeliveryResult[] = await Promise.all(deliveries.map((event) => deliver(`${app.url}${WEBHOOK_PATH}`, WEBHOOK_SECRET, event)));
    await waitUntil(() => allReviewed(github, pulls), `every pull request reviewed with ${workerCount} worker(s)`, 600_000, 25);
    const allReviewedSeconds = (performance.now() - started) / 1000;
    log(`${workerCount} worker(s): all ${pullCount} pull requests reviewed in ${round(allReviewedSeconds)} s; waiting for the queue to drain`);
    // A job retried after its backoff, or run twice, writes after this point: count only once the queue is empty.
    const drained = await waitForQueueDrained(app, 180_000);
    const drainedSeconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, drained ? SETTLE_MS : 20_000));

    const latencies = answers.map((answer) => answer.ms);
    let extraReviews = 0;
    let repeatedComments = 0;
    for (const pull of pulls) {
      extraReviews += Math.max(0, github.reviewsOf(pull.owner, pull.repo, pull.number).length - 1);
      const comments = github.reviewCommentsOf(pull.owner, pull.repo, pull.number).filter((comment) => comment.in_reply_to_id === undefined);
      const seen = tally(comments.map((comment) => `${comment.path}:${comment.start_line ?? ''}-${comment.line}\n${comment.body}`));
      repeatedComments += Object.values(seen).reduce((sum, count) => sum + count - 1, 0);
    }
    const runs = github.state.checkRuns;
    // Each pull request's job, from the stand-in's request log: its check run opened, its review posted.
    const jobs = pulls.map((pull) => {
      const at = (method: string, suffix: string) =>
        github.state.requests.find((request) => request.method === method && request.path.startsWith(`/repos/${pull.owner}/${pull.repo}/${suffix}`))?.at;
      const opened = github.state.checkRuns.find((checkRun) => checkRun.head_sha === pull.headSha)?.history[0]?.at;
      const posted = at('POST', `pulls/${pull.number}/reviews`);
      return { startS: ((opened ?? burstAt) - burstAt) / 1000, seconds: opened !== undefined && posted !== undefined ? (posted - opened) / 1000 : Number.NaN };
    });
    const stats = model.stats();
    return {
      workers: workerCount,
      pulls: pullCount,
      deliveries: deliveries.length,
      webhook: {
        statuses: tally(answers.map((answer) => String(answer.status))),
        p50Ms: round(percentile(latencies, 50)),
        p99Ms: round(percentile(latencies, 99)),
        maxMs: round(Math.max(...latencies)),
      },
      allReviewedSeconds: round(allReviewedSeconds, 2),
      queueDrainedSeconds: drained ? round(drainedSeconds, 2) : undefined,
      throughputPerMinute: round((pullCount / allReviewedSeconds) * 60, 2),
      reviews: github.state.reviews.length,
      suggestionComments: github.state.reviewComments.filter((comment) => comment.in_reply_to_id === undefined).length,
      duplicates: { extraReviews, repeatedComments, total: extraReviews + repeatedComments },
      checkRuns: {
        total: runs.length,
        extra: pulls.reduce((sum, pull) => sum + Math.max(0, github.checkRunsOf(pull.owner, pull.repo, pull.number).length - 1), 0),
        inProgress: runs.filter((checkRun) => checkRun.status !== 'completed').length,
        conclusions: tally(runs.map((checkRun) => checkRun.conclusion ?? checkRun.status)),
      },
      model: { requests: stats.requests, maxConcurrent: stats.maxConcurrent, samplesPerRequest: model.received[0]?.n },
      jobs: {
        p50Seconds: round(
          percentile(
            jobs.map((job) => job.seconds),
            50,
          ),
          2,
        ),
        maxSeconds: round(Math.max(...jobs.map((job) => job.seconds)), 2),
        lastStartS: round(Math.max(...jobs.map((job) => job.startS)), 2),
        timeline: jobs.map((job) => [round(job.startS, 2), round(job.seconds, 2)] as [number, number]).sort((a, b) => a[0] - b[0]),
      },
      unknownGitHubRoutes: github.state.unknownRoutes.map((request) => `${request.method} ${request.path}`),
    };
  } catch (error) {
    for (const started of processes) log(`--- ${started.name} (${started.process.logFile}) ---\n${started.process.tail(30)}`);
    throw error;
  } finally {
    await Promise.all(processes.map((started) => started.process.stop()));
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const workerCounts = (values.workers ?? '1,4').split(',').map(Number);
  const pullCount = Number(values.pulls);
  const modelLatencyMs = Number(values['model-latency-ms']);
  const installations = Number(values.installations);
  const positive = (n: number) => Number.isInteger(n) && n >= 1;
  if (
    !workerCounts.every(positive) ||
    !positive(pullCount) ||
    !positive(installations) ||
    !(modelLatencyMs >= 0) ||
    !(Number.isInteger(workerNice) && workerNice >= 0 && workerNice <= 19)
  )
    throw new Error(USAGE);
  const folder = runFolder('seccoder-bench-app-');
  let failed = true;
  try {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const corpusDir = join(folder.dir, 'corpus');
    await mkdir(corpusDir);
    const entries = await writeCorpus(corpusDir);
    log(`corpus of ${entries} entries in ${corpusDir}; logs in ${folder.dir}`);

    const runs: RunResult[] = [];
    for (const workers of workerCounts) {
      runs.push(
        await run(workers, pullCount, {
          privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
          corpusDir,
          modelLatencyMs,
          logDir: folder.dir,
          installations,
        }),
      );
    }
    const fewest = runs.find((r) => r.workers === Math.min(...workerCounts));
    const most = runs.find((r) => r.workers === Math.max(...workerCounts));
    const throughputRatio = fewest && most && fewest !== most ? round(most.throughputPerMinute / fewest.throughputPerMinute, 2) : undefined;
    const checks = {
      webhookP99: runs.every((r) => r.webhook.p99Ms < FLOORS.webhookP99Ms),
      duplicates: runs.every((r) => r.duplicates.total <= FLOORS.duplicates),
      checkRunsInProgress: runs.every((r) => r.checkRuns.inProgress <= FLOORS.checkRunsInProgress),
      allAccepted: runs.every((r) => Object.keys(r.webhook.statuses).every((status) => status === '202')),
      noUnknownRoutes: runs.every((r) => r.unknownGitHubRoutes.length === 0),
      ...(throughputRatio !== undefined ? { throughputRatio: throughputRatio >= FLOORS.throughputRatio } : {}),
    };
    const report = {
      bench: 'app',
      id: randomUUID(),
      date: new Date().toISOString(),
      setup: {
        pulls: pullCount,
        deliveriesPerPull: 5,
        /** The bench's own HTTP client is warmed on a local sink first; the App is not warmed (its first burst after /readyz is measured). */
        senderWarmedUp: true,
        installations,
        modelLatencyMs,
        /** CPU niceness of the worker processes (the webhook server runs at 0). */
        workerNice,
        corpusEntries: entries,
        cpus: availableParallelism(),
      },
      floors: FLOORS,
      runs,
      throughputRatio,
      checks,
      pass: Object.values(checks).every(Boolean),
    };
    console.log(JSON.stringify(report));
    if (values.out) {
      await mkdir(values.out, { recursive: true });
      await writeFile(join(values.out, 'app.json'), `${JSON.stringify(report, null, 2)}\n`);
    }
    failed = false;
  } finally {
    if (values['keep-logs'] || failed) log(`logs kept in ${folder.dir}`);
    else folder.cleanup();
  }
}

await main();
