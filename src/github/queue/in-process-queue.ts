// The embedded queue (no Redis): the same promises as the Redis one within one process. A restart
// loses what was queued; the check runs it left in progress are completed as cancelled by the
// next review of that pull request. Several App instances need REDIS_URL to share work.
import { randomUUID } from 'node:crypto';
import { silentLogger, type Logger } from '../../log/logger.js';
import { jobId, jobKey, reviewedSha, type Job } from './job.js';
import { QUEUE_DEFAULTS, ShutdownError, type EnqueueOutcome, type JobHandler, type JobQueue, type QueueDepth } from './job-queue.js';

export interface InProcessQueueOptions {
  attempts?: number;
  backoffMs?: number;
  rememberDoneMs?: number;
  log?: Logger;
  /** Default: the clock. */
  now?: () => number;
}

interface Entry {
  id: string;
  key: string;
  job: Job;
  attempt: number;
}

interface Running extends Entry {
  runId: string;
  abort: AbortController;
  done: Promise<void>;
}

export class InProcessQueue implements JobQueue {
  readonly description = 'in-process';
  readonly #pending: Entry[] = [];
  readonly #running = new Map<string, Running>();
  /** Jobs waiting out a retry backoff. */
  readonly #retrying = new Map<string, NodeJS.Timeout>();
  /** Ids of finished jobs, with when they finished: their redeliveries are dropped for a while. */
  readonly #done = new Map<string, number>();
  /** The newest head commit a review was queued for, per pull request. */
  readonly #latestHead = new Map<string, string>();
  readonly #idleWaiters: (() => void)[] = [];
  readonly #attempts: number;
  readonly #backoffMs: number;
  readonly #rememberDoneMs: number;
  readonly #log: Logger;
  readonly #now: () => number;
  #handler: JobHandler | undefined;
  #concurrency = 0;
  #closing = false;

  constructor(options: InProcessQueueOptions = {}) {
    this.#attempts = options.attempts ?? QUEUE_DEFAULTS.attempts;
    this.#backoffMs = options.backoffMs ?? QUEUE_DEFAULTS.backoffMs;
    this.#rememberDoneMs = options.rememberDoneMs ?? QUEUE_DEFAULTS.rememberDoneMs;
    this.#log = options.log ?? silentLogger;
    this.#now = options.now ?? Date.now;
  }

  async enqueue(job: Job): Promise<EnqueueOutcome> {
    if (this.#closing) throw new ShutdownError();
    const id = jobId(job);
    this.#forgetOldDone();
    const known =
      this.#done.has(id) ||
      this.#retrying.has(id) ||
      this.#pending.some((entry) => entry.id === id) ||
      [...this.#running.values()].some((run) => run.id === id);
    if (known) return 'duplicate';
    const key = jobKey(job);
    const sha = reviewedSha(job);
    if (sha !== undefined) {
      this.#latestHead.set(key, sha);
      // A queued review of another head is not dropped here: deliveries arrive out of order, and a
      // late one for an older commit must not cost the head its review. Each job asks GitHub for the
      // head when it starts, and one that is no longer the head ends at once.
    }
    this.#pending.push({ id, key, job, attempt: 1 });
    this.#pump();
    return 'queued';
  }

  process(handler: JobHandler, concurrency: number): void {
    if (this.#handler) throw new Error('InProcessQueue.process was called twice');
    this.#handler = handler;
    this.#concurrency = Math.max(1, concurrency);
    this.#pump();
  }

  async depth(): Promise<QueueDepth> {
    return { waiting: this.#pending.length, active: this.#running.size, delayed: this.#retrying.size };
  }

  async ping(): Promise<void> {
    if (this.#closing) throw new ShutdownError();
  }

  /** Resolves once nothing is queued, running or waiting to be retried (tests wait on it). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async close(graceMs: number = QUEUE_DEFAULTS.graceMs): Promise<void> {
    this.#closing = true;
    for (const timer of this.#retrying.values()) clearTimeout(timer);
    this.#retrying.clear();
    if (this.#pending.length > 0)
      this.#log.warn({ jobs: this.#pending.map((entry) => entry.id) }, 'shutting down: queued jobs are dropped (use REDIS_URL for a durable queue)');
    this.#pending.length = 0;
    const running = [...this.#running.values()];
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(running.map((run) => run.done)), graceOver]);
    clearTimeout(timer);
    // Those still running stop at their next step and complete their check runs as cancelled.
    for (const run of this.#running.values()) run.abort.abort(new ShutdownError());
    await Promise.all(running.map((run) => run.done));
    this.#settleIdle();
  }

  #isIdle(): boolean {
    return this.#pending.length === 0 && this.#running.size === 0 && this.#retrying.size === 0;
  }

  #settleIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #forgetOldDone(): void {
    const cutoff = this.#now() - this.#rememberDoneMs;
    for (const [id, at] of this.#done) {
      if (at >= cutoff) break;
      this.#done.delete(id);
    }
  }

  #pump(): void {
    const handler = this.#handler;
    if (!handler || this.#closing) return;
    while (this.#running.size < this.#concurrency) {
      // The first job whose pull request has nothing running: one pull request's jobs never overlap.
      const index = this.#pending.findIndex((entry) => !this.#running.has(entry.key));
      if (index < 0) break;
      const [entry] = this.#pending.splice(index, 1);
      if (entry) this.#start(entry, handler);
    }
    this.#settleIdle();
  }

  #start(entry: Entry, handler: JobHandler): void {
    const abort = new AbortController();
    const runId = randomUUID();
    const control = {
      runId,
      attempt: entry.attempt,
      attempts: this.#attempts,
      signal: abort.signal,
      newerHead: async () => {
        const latest = this.#latestHead.get(entry.key);
        const mine = reviewedSha(entry.job);
        return mine !== undefined && latest !== undefined && latest !== mine ? latest : undefined;
      },
      isLive: async (key: string, otherRunId: string) => this.#running.get(key)?.runId === otherRunId,
    };
    // The run holds its pull request before the handler starts (isLive asked before the handler's
    // first await sees it), and a handler that throws at once fails the attempt instead of the
    // enqueue or pump that started it.
    const run: Running = { ...entry, runId, abort, done: Promise.resolve() };
    this.#running.set(entry.key, run);
    run.done = new Promise<void>((resolve) => resolve(handler(entry.job, control))).then(
      () => this.#finish(entry),
      (error: unknown) => this.#failed(entry, error),
    );
  }

  #finish(entry: Entry): void {
    this.#running.delete(entry.key);
    this.#done.set(entry.id, this.#now());
    this.#pump();
  }

  #failed(entry: Entry, error: unknown): void {
    this.#running.delete(entry.key);
    const retry = !this.#closing && !(error instanceof ShutdownError) && entry.attempt < this.#attempts;
    this.#log.error({ job: entry.id, attempt: entry.attempt, attempts: this.#attempts, err: error }, retry ? 'job failed; it will be retried' : 'job failed');
    if (retry) {
      const delay = this.#backoffMs * 2 ** (entry.attempt - 1);
      const timer = setTimeout(() => {
        this.#retrying.delete(entry.id);
        this.#pending.push({ ...entry, attempt: entry.attempt + 1 });
        this.#pump();
      }, delay);
      this.#retrying.set(entry.id, timer);
    }
    // A job that failed for good is not remembered: a redelivery or "Re-run" may ask for it again.
    this.#pump();
  }
}
