// Everything a SecCoder process needs beside its HTTP routes, built once from its settings: the
// job queue (BullMQ on REDIS_URL, else in process), the metrics, the model metered, probot with
// the App's Octokit, and readiness (the default corpus indexed; Redis answering when configured).
// `npm start` and `npm run worker` both build one and differ only in what they serve.
import { randomBytes } from 'node:crypto';
import { Probot } from 'probot';
import type { AppDependencies } from '../app-dependencies.js';
import { appOctokitClass } from '../app-octokit.js';
import type { GitHubClient } from '../review/gather.js';
import { meteredModel } from '../ops/metered-model.js';
import { warmUp } from '../ops/warm-up.js';
import { createMetrics, type AppMetrics } from '../ops/metrics.js';
import type { Readiness } from '../ops/ops-routes.js';
import { InProcessQueue } from '../queue/in-process-queue.js';
import type { JobQueue } from '../queue/job-queue.js';
import { RedisQueue } from '../queue/redis-queue.js';
import { endpointModelClient } from '../review/review-pull-request.js';
import type { ModelEndpoint } from '../../config/options.js';
import { DEFAULT_JOB_LOCK_MS, DEFAULT_LOG_FORMAT, DEFAULT_LOG_LEVEL, DEFAULT_REVIEW_DEADLINE_SECONDS, type ServerSettings } from './server-settings.js';
import { DEFAULT_WORKERS } from '../app-dependencies.js';

export interface Runtime {
  probot: Probot;
  queue: JobQueue;
  metrics: AppMetrics;
  /** The collaborators with the queue, the worker count, the deadline and the metrics filled in. */
  deps: AppDependencies;
  readiness: Readiness;
}

/** probot for these settings: GitHub Enterprise's API when set, SecCoder's Octokit policy, and Redis-shared throttling with REDIS_URL. */
export function createProbot(settings: ServerSettings): Probot {
  return new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    // A worker verifies no webhook; probot still wants a secret.
    secret: settings.webhookSecret || randomBytes(32).toString('hex'),
    logLevel: settings.logLevel ?? DEFAULT_LOG_LEVEL,
    logFormat: settings.logFormat ?? DEFAULT_LOG_FORMAT,
    Octokit: appOctokitClass(),
    ...(settings.apiBaseUrl ? { baseUrl: settings.apiBaseUrl } : {}),
    ...(settings.redisUrl ? { redisConfig: settings.redisUrl } : {}),
  });
}

export async function createRuntime(settings: ServerSettings, base: AppDependencies, probot: Probot = createProbot(settings)): Promise<Runtime> {
  // probot makes its logger (and its Octokit) in an asynchronous start-up; until then `probot.log` is null.
  await probot.load(() => undefined);
  const metrics = createMetrics();
  const log = base.log ?? probot.log;
  const queue: JobQueue = settings.redisUrl
    ? new RedisQueue({ url: settings.redisUrl, lockMs: settings.jobLockMs ?? DEFAULT_JOB_LOCK_MS, log })
    : new InProcessQueue({ log });
  metrics.queueDepth(() => queue.depth());
  const model = base.model;
  const deps: AppDependencies = {
    ...base,
    ...(model
      ? {
          model: {
            ...model,
            create: (endpoint: ModelEndpoint) => meteredModel((model.create ?? endpointModelClient)(endpoint), metrics),
          },
        }
      : {}),
    queue,
    workers: settings.workers ?? DEFAULT_WORKERS,
    deadlineMs: (settings.reviewDeadlineSeconds ?? DEFAULT_REVIEW_DEADLINE_SECONDS) * 1000,
    metrics,
    log,
  };
  // The default corpus is indexed at start, so the first review does not wait for it and /readyz can tell.
  let corpus: { ok: boolean; detail: string } = { ok: false, detail: 'indexing' };
  base.corpus
    .corpusFor({ store: 'local' }, undefined as unknown as GitHubClient)
    .retrieval()
    .then(
      (retrieval) => {
        const unsaved = retrieval.notSaved ? `; index not saved, built again at every start: ${retrieval.notSaved}` : '';
        corpus = { ok: true, detail: `${retrieval.corpusSize} secure examples${unsaved}` };
        if (retrieval.notSaved) log.warn({ reason: retrieval.notSaved }, 'the corpus index cannot be saved: it is built again at every start');
      },
      (error: unknown) => {
        corpus = { ok: false, detail: error instanceof Error ? error.message : String(error) };
        log.error({ err: error }, 'could not open the corpus');
      },
    );
  // A process that runs reviews checks its analyzers and loads its grammars before it is ready; one
  // that only answers webhooks (SECCODER_WORKERS=0) runs no review and needs neither.
  const warmth =
    (deps.workers ?? DEFAULT_WORKERS) > 0
      ? warmUp(base.analyzers, (check) =>
          check.ok ? log.info({ analyzers: check.detail }, 'analyzers checked') : log.error({ reason: check.detail }, 'warm-up failed'),
        )
      : undefined;
  const readiness: Readiness = async () => {
    const checks: Awaited<ReturnType<Readiness>> = { corpus, ...(warmth ? { analyzers: warmth() } : {}) };
    try {
      await queue.ping();
      checks.queue = { ok: true, detail: queue.description };
    } catch (error) {
      checks.queue = { ok: false, detail: `${queue.description}: ${error instanceof Error ? error.message : String(error)}` };
    }
    return checks;
  };
  return { probot, queue, metrics, deps, readiness };
}
