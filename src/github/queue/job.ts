// What the webhook handlers hand to the queue: plain JSON (BullMQ stores it in Redis), enough to
// do the work later in any process. The handler does no GitHub call: the job reads what it needs.
import type { GrowthPull } from '../growth/grow-corpus.js';
import type { FeedbackCheck } from '../review/feedback-check.js';

interface JobBase {
  installationId: number;
  owner: string;
  repo: string;
  pullNumber: number;
  /** The `X-GitHub-Delivery` id of the webhook that asked for the job (for logs). */
  deliveryId: string;
}

/** Review a pull request at a head commit. */
export interface ReviewJob extends JobBase {
  kind: 'review';
  /** The head commit the event saw. The job confirms it with GitHub first: a newer head supersedes it. */
  headSha: string;
  /**
   * A re-requested check run: review the commit again even if it was reviewed before. A
   * `pull_request` event for a commit already queued, running or done is a duplicate.
   */
  rerun: boolean;
}

/** Add what a merged pull request fixed to the corpus. */
export interface GrowthJob extends JobBase {
  kind: 'growth';
  pull: GrowthPull;
}

/** Check what became of the app's suggestions on a pull request: closed, or one of its review threads resolved. */
export type FeedbackJob = FeedbackCheck & { kind: 'feedback' };

export type Job = ReviewJob | GrowthJob | FeedbackJob;

/**
 * Jobs of one key never run at once, and a newer review of a key supersedes an older one: one key
 * per pull request (GitHub's owner and repository names are case-insensitive).
 */
export function jobKey(job: Pick<Job, 'owner' | 'repo' | 'pullNumber'>): string {
  return `${job.owner}/${job.repo}#${job.pullNumber}`.toLowerCase();
}

/**
 * The job's identity: a second job with the same id, queued, running or done lately, is the same
 * work (a redelivery, or the same event delivered to several instances) and is dropped.
 */
export function jobId(job: Job): string {
  // No ':' in an id: BullMQ keeps that for its repeatable jobs.
  if (job.kind === 'growth') return `growth ${jobKey(job)}@${job.pull.mergeCommitSha}`;
  // Each closing or resolved thread is its own check; a redelivery of the same one is dropped.
  if (job.kind === 'feedback') return `feedback ${jobKey(job)} ${job.deliveryId.replaceAll(':', '_')}`;
  const review = `review ${jobKey(job)}@${job.headSha}`;
  return job.rerun ? `${review} rerun ${job.deliveryId.replaceAll(':', '_')}` : review;
}

/** The head commit a review job is for, or undefined for other jobs (used to supersede). */
export function reviewedSha(job: Job): string | undefined {
  return job.kind === 'review' ? job.headSha : undefined;
}
