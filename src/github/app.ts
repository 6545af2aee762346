// The GitHub App: which webhooks SecCoder answers (event-jobs.ts decides, from the payload alone)
// and one enqueue: the work runs later in a worker (this process's, or `npm run worker` processes sharing
// Redis), so GitHub gets its answer at once. `productionDependencies` builds the real
// collaborators from the operator's environment.
import type { Probot } from 'probot';
import { defaultAnalyzers } from '../analyze/registry.js';
import { resolveCorpusDir } from '../corpus/location.js';
import type { Logger } from '../log/logger.js';
import { readOperatorModelSettings } from '../model/operator-settings.js';
import { DEFAULT_WORKERS, type AppDependencies } from './app-dependencies.js';
import { createCorpusProvider } from './corpus-provider.js';
import { jobsForEvent } from './event-jobs.js';
import { createJobHandler } from './jobs/run-job.js';
import { InProcessQueue } from './queue/in-process-queue.js';
import type { JobQueue } from './queue/job-queue.js';

export type { AppDependencies } from './app-dependencies.js';

/** A function of no arguments whose promise is kept once it resolves (and forgotten when it rejects). */
export function once<T>(open: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= open().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** The app's bot login, asked of GitHub once (`GET /app`). */
export function botLoginOf(app: Pick<Probot, 'auth'>): () => Promise<string> {
  return once(async () => {
    const octokit = await app.auth();
    const { data } = await octokit.rest.apps.getAuthenticated();
    if (!data?.slug) throw new Error('GitHub did not say which app this is (GET /app has no slug)');
    return `${data.slug}[bot]`;
  });
}

/** Starts this process's workers on `queue`: jobs run as their installation, through probot's Octokit. */
export function startWorkers(app: Pick<Probot, 'auth' | 'log'>, queue: JobQueue, deps: AppDependencies, workers: number): void {
  const handler = createJobHandler({
    ...deps,
    auth: (installationId) => app.auth(installationId),
    botLogin: deps.botLogin ?? botLoginOf(app),
    log: deps.log ?? app.log,
  });
  queue.process(handler, workers);
}

/** What became of a delivery: its job queued, a duplicate of one already queued (or done), or nothing to do. */
export type IntakeOutcome = 'queued' | 'duplicate' | 'ignored';

/**
 * Takes a verified delivery: the job it asks for (`jobForEvent`) is queued; the rest is ignored
 * with the reason logged. Throws when the queue cannot take the job (the server answers 503).
 */
export function eventIntake(queue: JobQueue, deps: Pick<AppDependencies, 'metrics'>, log: Logger) {
  return async (event: string, deliveryId: string, payload: unknown): Promise<IntakeOutcome> => {
    const asked = jobsForEvent(event, payload, deliveryId);
    if ('ignored' in asked) {
      log.info({ event, delivery: deliveryId }, asked.ignored);
      deps.metrics?.webhookReceived(event, 'ignored');
      return 'ignored';
    }
    try {
      let outcome: 'queued' | 'duplicate' = 'duplicate';
      for (const job of asked.jobs) {
        const one = await queue.enqueue(job);
        if (one === 'queued') outcome = 'queued';
        log.info(
          { event, delivery: deliveryId, kind: job.kind, pull: job.pullNumber, outcome: one },
          one === 'queued' ? 'job queued' : 'duplicate job dropped',
        );
      }
      deps.metrics?.webhookReceived(event, outcome);
      return outcome;
    } catch (error) {
      deps.metrics?.webhookReceived(event, 'failed');
      throw error;
    }
  };
}

/** `deps` with its queue: the one given, or a new in-process queue. */
export function withQueue(deps: AppDependencies, log: Logger): AppDependencies & { queue: JobQueue } {
  return { ...deps, queue: deps.queue ?? new InProcessQueue({ log }) };
}

export function createApp(deps: AppDependencies) {
  return (app: Probot): void => {
    const log: Logger = deps.log ?? app.log;
    const full = withQueue(deps, log);
    const workers = deps.workers ?? DEFAULT_WORKERS;
    if (workers > 0) startWorkers(app, full.queue, full, workers);
    // The webhook server calls the intake itself, straight after the signature check; this is the
    // way in for events given to probot (`probot.receive`).
    const intake = eventIntake(full.queue, deps, log);
    app.onAny(async (context) => {
      await intake(context.name, context.id, context.payload);
    });
  };
}

/**
 * The real collaborators from the operator's environment: the corpus folder (`SECCODER_CORPUS`,
 * else `./corpus`, else the bundled seed; org-repository corpora mirrored in
 * `SECCODER_CORPUS_CACHE`), indexed on first use, with the cwe-aware retriever; the
 * model from `SECCODER_MODEL_URL` (a URL or preset name), `SECCODER_MODEL` and
 * `SECCODER_MODEL_API_KEY_ENV` (the name of the variable holding the key); the default analyzers.
 */
export function productionDependencies(env: NodeJS.ProcessEnv = process.env): AppDependencies {
  const corpusDir = resolveCorpusDir(undefined, env);
  const corpus = createCorpusProvider({ root: corpusDir, ...(env.SECCODER_CORPUS_CACHE ? { cacheDir: env.SECCODER_CORPUS_CACHE } : {}) });
  const settings = readOperatorModelSettings({}, { environment: 'app', env });
  return {
    corpus,
    ...(settings ? { model: { settings } } : {}),
    analyzers: defaultAnalyzers(),
  };
}
