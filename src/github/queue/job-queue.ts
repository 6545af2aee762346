// The queue the webhook handlers put work on and the workers take it from: in process
// (in-process-queue.ts, the default) or BullMQ on Redis (redis-queue.ts, with REDIS_URL). Both
// keep the same promises: a job already queued, running or lately done is not queued again; jobs
// of one pull request never run at once; a newer head commit supersedes an older review.
import type { Job } from './job.js';

export type EnqueueOutcome = 'queued' | 'duplicate';

/** What a running job can ask of the queue. */
export interface JobControl {
  /** This run's id: unique per attempt, written on the check run it opens (`external_id`). */
  runId: string;
  /** 1-based attempt number, and how many attempts a failing job gets. */
  attempt: number;
  attempts: number;
  /** Aborted when the job must stop at its next step: the process is shutting down. */
  signal: AbortSignal;
  /**
   * The head commit a newer review of the same pull request was queued for, or undefined. The job
   * asks at each step, and stops (completing its check run as superseded) once GitHub agrees.
   */
  newerHead(): Promise<string | undefined>;
  /** Whether the run `runId` of the pull request `key` is still alive somewhere (for stranded check runs). */
  isLive(key: string, runId: string): Promise<boolean>;
}

export type JobHandler = (job: Job, control: JobControl) => Promise<void>;

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
}

export interface JobQueue {
  /** Where jobs live, for logs: `in-process` or the Redis URL without its password. */
  readonly description: string;
  enqueue(job: Job): Promise<EnqueueOutcome>;
  /** Starts taking jobs, up to `concurrency` at once in this process. Call once. */
  process(handler: JobHandler, concurrency: number): void;
  depth(): Promise<QueueDepth>;
  /** Throws when the queue cannot be used (Redis unreachable). */
  ping(): Promise<void>;
  /**
   * Stops taking jobs, waits up to `graceMs` for the running ones, then hands back what is left
   * (Redis: to another worker; in process: their check runs are completed as cancelled by the
   * handler seeing the aborted signal).
   */
  close(graceMs?: number): Promise<void>;
}

/** A review stopped because a newer head commit of its pull request is being reviewed. */
export class SupersededError extends Error {
  constructor(readonly newerSha: string) {
    super(`superseded by a newer commit (${newerSha.slice(0, 7)})`);
    this.name = 'SupersededError';
  }
}

/** A job stopped because its process is shutting down; another process (or a redelivery) takes it up. */
export class ShutdownError extends Error {
  constructor() {
    super('the process running it is shutting down');
    this.name = 'ShutdownError';
  }
}

/** Defaults shared by both queues. */
export const QUEUE_DEFAULTS = {
  /** Attempts per job, with exponential backoff from `backoffMs`. */
  attempts: 3,
  backoffMs: 5_000,
  /** How long a finished job's id is remembered to drop its redeliveries. */
  rememberDoneMs: 60 * 60 * 1000,
  /** Time given to running jobs on shutdown before they are handed back. */
  graceMs: 20_000,
} as const;
