// The durable queue: BullMQ on Redis (REDIS_URL), shared by any number of App instances and
// `npm run worker` processes. BullMQ gives retries with backoff and stalled-job recovery (a job
// whose worker died is taken up by another once its lock expires); on top of it, Redis keys give
// what BullMQ's open-source queue has not:
//   seccoder:queued:<job id>  SET NX: the one instance whose enqueue wins queues the job; the rest
//                             answer "duplicate" (concurrent deliveries, several instances).
//   seccoder:head:<pull key>  the newest head commit a review was queued for (supersedes older ones).
//   seccoder:running:<key>    the run id holding the pull request, with a lease renewed while it runs:
//                             one pull request's jobs never overlap, and a dead worker's lease lapses.
import { randomUUID } from 'node:crypto';
import { DelayedError, Queue, Worker, type Job as BullJob } from 'bullmq';
import { Redis } from 'ioredis';
import { silentLogger, type Logger } from '../../log/logger.js';
import { jobId, jobKey, reviewedSha, type Job } from './job.js';
import { QUEUE_DEFAULTS, ShutdownError, type EnqueueOutcome, type JobHandler, type JobQueue, type QueueDepth } from './job-queue.js';

export const QUEUE_NAME = 'seccoder-jobs';
const PREFIX = 'seccoder';

export interface RedisQueueOptions {
  url: string;
  attempts?: number;
  backoffMs?: number;
  rememberDoneMs?: number;
  /**
   * How long a job's lock (BullMQ's and the pull request's) lasts without renewal: a killed
   * worker's job is taken up by another after about this long. Default 30 s.
   */
  lockMs?: number;
  /** How long a job waits before trying again when its pull request is busy. Default 1 s. */
  busyRetryMs?: number;
  log?: Logger;
}

/** `redis://user:pass@host:port/db` without the password, for logs. */
export function redactedRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://(unparsable REDIS_URL)';
  }
}

// Renews the lease only while this run still holds it; releases it only if it does.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** How long a command of the webhook side may wait for Redis' answer (a frozen Redis fails it, not hangs it). */
const COMMAND_TIMEOUT_MS = 3_000;

/** Whether `promise` settles within `ms`. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const over = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([promise.then(() => true as const), over]).finally(() => clearTimeout(timer));
}

export class RedisQueue implements JobQueue {
  readonly description: string;
  readonly #options: Required<Omit<RedisQueueOptions, 'log'>>;
  readonly #log: Logger;
  /** Commands of the webhook side: fail fast when Redis is down instead of queueing them in memory. */
  readonly #client: Redis;
  readonly #queue: Queue;
  #worker: Worker | undefined;
  readonly #running = new Map<string, AbortController>();
  /** The connections made for BullMQ: it does not close a connection it was given. */
  readonly #connections: Redis[] = [];

  constructor(options: RedisQueueOptions) {
    this.#options = {
      url: options.url,
      attempts: options.attempts ?? QUEUE_DEFAULTS.attempts,
      backoffMs: options.backoffMs ?? QUEUE_DEFAULTS.backoffMs,
      rememberDoneMs: options.rememberDoneMs ?? QUEUE_DEFAULTS.rememberDoneMs,
      lockMs: options.lockMs ?? 30_000,
      busyRetryMs: options.busyRetryMs ?? 1_000,
    };
    this.#log = options.log ?? silentLogger;
    this.description = `redis ${redactedRedisUrl(options.url)}`;
    this.#client = new Redis(options.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false, commandTimeout: COMMAND_TIMEOUT_MS });
    this.#client.on('error', (error) => this.#log.warn({ err: error }, 'Redis connection error'));
    this.#queue = new Queue(QUEUE_NAME, { connection: this.#connection(), prefix: PREFIX });
    this.#queue.on('error', (error) => this.#log.warn({ err: error }, 'BullMQ queue error'));
  }

  /** A connection as BullMQ wants it for blocking commands: retry forever, never give up on a command. */
  #connection(): Redis {
    const connection = new Redis(this.#options.url, { maxRetriesPerRequest: null });
    connection.on('error', (error) => this.#log.warn({ err: error }, 'Redis connection error'));
    this.#connections.push(connection);
    return connection;
  }

  /**
   * The webhook side's client, once its first connection is made: without an offline queue a
   * command sent while it is still connecting fails at once, and a just-started instance must not
   * turn its first webhooks away. Later, a lost connection fails commands at once (by design).
   */
  async #redis(): Promise<Redis> {
    const client = this.#client;
    if (client.status === 'connecting' || client.status === 'connect') {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          client.off('ready', done);
          client.off('close', done);
          resolve();
        };
        const timer = setTimeout(done, COMMAND_TIMEOUT_MS);
        client.once('ready', done);
        client.once('close', done);
      });
    }
    return client;
  }

  async enqueue(job: Job): Promise<EnqueueOutcome> {
    const id = jobId(job);
    const key = jobKey(job);
    const sha = reviewedSha(job);
    const client = await this.#redis();
    const claimed = await client.set(`${PREFIX}:queued:${id}`, '1', 'PX', this.#options.rememberDoneMs, 'NX');
    if (claimed === null) return 'duplicate';
    if (sha !== undefined) await client.set(`${PREFIX}:head:${key}`, sha, 'PX', 7 * 24 * 3600 * 1000);
    try {
      // A job that failed for good stays in BullMQ (removeOnFail) under the same id, and BullMQ
      // takes an add with a known id as a duplicate and drops it: remove it, or it never runs again.
      if ((await this.#queue.getJobState(id)) === 'failed') await this.#queue.remove(id);
      await this.#queue.add(job.kind, job, {
        jobId: id,
        attempts: this.#options.attempts,
        backoff: { type: 'exponential', delay: this.#options.backoffMs },
        removeOnComplete: { age: Math.ceil(this.#options.rememberDoneMs / 1000) },
        removeOnFail: { age: 24 * 3600 },
      });
    } catch (error) {
      // Not queued after all: a redelivery must be able to try again.
      await client.del(`${PREFIX}:queued:${id}`).catch(() => undefined);
      throw error;
    }
    return 'queued';
  }

  process(handler: JobHandler, concurrency: number): void {
    if (this.#worker) throw new Error('RedisQueue.process was called twice');
    const lockMs = this.#options.lockMs;
    this.#worker = new Worker(QUEUE_NAME, (bullJob: BullJob<Job>, token?: string) => this.#run(bullJob, token, handler), {
      connection: this.#connection(),
      prefix: PREFIX,
      concurrency: Math.max(1, concurrency),
      lockDuration: lockMs,
      stalledInterval: lockMs,
      // A job whose worker died twice is failed rather than retried for ever.
      maxStalledCount: 2,
    });
    this.#worker.on('error', (error) => this.#log.warn({ err: error }, 'BullMQ worker error'));
    this.#worker.on('failed', (bullJob, error) => {
      if (!bullJob) return;
      const final = bullJob.attemptsMade >= (bullJob.opts.attempts ?? 1);
      this.#log.error({ job: bullJob.id, attempt: bullJob.attemptsMade, err: error }, final ? 'job failed' : 'job failed; it will be retried');
      // A job that failed for good may be asked for again (a redelivery, "Re-run").
      if (final && bullJob.id) void this.#client.del(`${PREFIX}:queued:${bullJob.id}`).catch(() => undefined);
    });
  }

  async #run(bullJob: BullJob<Job>, token: string | undefined, handler: JobHandler): Promise<void> {
    const job = bullJob.data;
    const key = jobKey(job);
    const runId = randomUUID();
    const runningKey = `${PREFIX}:running:${key}`;
    const { lockMs, busyRetryMs } = this.#options;
    const held = await (await this.#redis()).set(runningKey, runId, 'PX', lockMs, 'NX');
    if (held === null) {
      // Another job of this pull request is running (or its dead worker's lease has not lapsed yet).
      await bullJob.moveToDelayed(Date.now() + busyRetryMs, token);
      throw new DelayedError();
    }
    const renew = setInterval(() => void this.#client.eval(RENEW, 1, runningKey, runId, String(lockMs)).catch(() => undefined), Math.max(100, lockMs / 3));
    const abort = new AbortController();
    this.#running.set(runId, abort);
    try {
      await handler(job, {
        runId,
        attempt: bullJob.attemptsMade + 1,
        attempts: bullJob.opts.attempts ?? 1,
        signal: abort.signal,
        newerHead: async () => {
          const mine = reviewedSha(job);
          if (mine === undefined) return undefined;
          const latest = await (await this.#redis()).get(`${PREFIX}:head:${key}`);
          return latest !== null && latest !== mine ? latest : undefined;
        },
        isLive: async (otherKey, otherRunId) => (await (await this.#redis()).get(`${PREFIX}:running:${otherKey}`)) === otherRunId,
      });
    } catch (error) {
      // Whatever a run stopped by the shutdown throws (a ShutdownError, or an error of the step it aborted), it is handed back.
      if (!(error instanceof ShutdownError) && !abort.signal.aborted) throw error;
      // Handed back: another worker takes it at once, and it does not count as a failed attempt.
      await bullJob.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    } finally {
      clearInterval(renew);
      this.#running.delete(runId);
      await this.#client.eval(RELEASE, 1, runningKey, runId).catch(() => undefined);
    }
  }

  async depth(): Promise<QueueDepth> {
    const counts = await this.#queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
    return { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0), active: counts.active ?? 0, delayed: counts.delayed ?? 0 };
  }

  async ping(): Promise<void> {
    await (await this.#redis()).ping();
  }

  async #answers(): Promise<boolean> {
    try {
      await this.ping();
      return true;
    } catch {
      return false;
    }
  }

  async close(graceMs: number = QUEUE_DEFAULTS.graceMs): Promise<void> {
    const worker = this.#worker;
    if (worker) {
      // Stop taking jobs; give the running ones the grace period, then ask them to hand back.
      const closed = worker.close().catch((error: unknown) => this.#log.warn({ err: error }, 'BullMQ worker did not close cleanly'));
      if (!(await settlesWithin(closed, graceMs))) {
        for (const abort of this.#running.values()) abort.abort(new ShutdownError());
      }
      // BullMQ's close waits for ever once Redis is gone: wait while Redis answers (handing back
      // needs it); without Redis nothing can be handed back, and the jobs' locks lapse instead.
      while (!(await settlesWithin(closed, 1_000))) {
        if (!(await this.#answers())) {
          this.#log.warn(
            { jobs: this.#running.size },
            'Redis is unreachable: not waiting for the worker to close; its jobs are taken up elsewhere once their locks lapse',
          );
          break;
        }
      }
    }
    await settlesWithin(
      this.#queue.close().catch(() => undefined),
      COMMAND_TIMEOUT_MS,
    );
    for (const connection of this.#connections) connection.disconnect();
    this.#client.disconnect();
  }
}
