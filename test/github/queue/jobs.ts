// What the queue tests share: jobs of a pull request, a promise to settle by hand, polling, and a
// handler that records who runs when (to see overlaps).
import type { GrowthJob, ReviewJob } from '../../../src/github/queue/job.js';
import type { JobControl } from '../../../src/github/queue/job-queue.js';

export const OWNER = 'Octo-Org';
export const REPO = 'Web-App';

/** A review of pull request `pullNumber` at `headSha`. */
export function review(headSha: string, pullNumber = 1, extra: Partial<ReviewJob> = {}): ReviewJob {
  return { kind: 'review', installationId: 7, owner: OWNER, repo: REPO, pullNumber, deliveryId: `delivery-${headSha}`, headSha, rerun: false, ...extra };
}

/** Growth from merged pull request `pullNumber` (never superseded by a review). */
export function growth(pullNumber = 1, mergeCommitSha = `merge-${pullNumber}`): GrowthJob {
  return {
    kind: 'growth',
    installationId: 7,
    owner: OWNER,
    repo: REPO,
    pullNumber,
    deliveryId: `delivery-merge-${pullNumber}`,
    pull: {
      number: pullNumber,
      mergeCommitSha,
      baseSha: `base-${pullNumber}`,
      headSha: `head-${pullNumber}`,
      labels: [],
      author: { login: 'dev' },
      mergedBy: { login: 'lead' },
    },
  };
}

export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it is true; throws naming `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Rejects with the signal's reason once `signal` aborts: a handler that only ends on shutdown. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** How many runs overlap: per pull request key and in all, now and at most. */
export class Overlap {
  readonly #now = new Map<string, number>();
  readonly maxPerKey = new Map<string, number>();
  running = 0;
  maxRunning = 0;

  enter(key: string): void {
    const count = (this.#now.get(key) ?? 0) + 1;
    this.#now.set(key, count);
    this.maxPerKey.set(key, Math.max(this.maxPerKey.get(key) ?? 0, count));
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
  }

  leave(key: string): void {
    this.#now.set(key, (this.#now.get(key) ?? 0) - 1);
    this.running--;
  }

  /** The most runs of one key ever seen at once. */
  get maxOfAnyKey(): number {
    return Math.max(0, ...this.maxPerKey.values());
  }
}

/** What a handler saw of one run. */
export interface Seen {
  id: string;
  key: string;
  control: JobControl;
}
