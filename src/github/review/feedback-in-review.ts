// The feedback log's part in a review: before hardening, what became of the suggestions earlier
// reviews posted on this pull request (a push may have applied them); after posting, a `posted`
// record per new suggestion and an `uncovered-alert` record per alert no demonstration answered.
// The check uses what the review gathered (the review comments, with their reactions, and the
// changed files at the head), so it adds no request of its own to a review.
// None of it may fail the review: a failure is logged (the error's name, status and first line,
// never code or a request body) and returned as one line for the check run.
import type { CorpusStore } from '../../corpus/types.js';
import type { TargetOutcome } from '../../harden/harden-target.js';
import type { Logger } from '../../log/logger.js';
import { httpStatus } from '../../errors/http-status.js';
import type { SourceFile } from '../../detect/targets.js';
import type { ListedReviewComment } from './feedback-identity.js';
import { checkSuggestionOutcomes } from './feedback-outcomes.js';
import { postedRecords, recordPosted } from './feedback-record-posted.js';
import { recordUncoveredAlerts, uncoveredAlertRecords } from './feedback-uncovered.js';
import type { GitHubClient } from './gather.js';
import type { ReviewPlan } from './plan.js';

export interface ReviewFeedback {
  octokit: GitHubClient;
  store: CorpusStore;
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  botLogin: string;
  now: () => Date;
  log: Logger;
}

/** An error as logs and the check run may show it: its kind, HTTP status and first line, nothing it carries. */
export function describeFailure(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 200) ?? '';
  const status = httpStatus(error);
  return `${name}${status !== undefined ? ` (HTTP ${status})` : ''}${message ? `: ${message}` : ''}`;
}

function failed(feedback: ReviewFeedback, what: string, error: unknown): string {
  const reason = describeFailure(error);
  feedback.log.warn({ owner: feedback.owner, repo: feedback.repo, pull: feedback.pullNumber, reason }, `could not ${what}`);
  return `could not ${what} (${reason})`;
}

/**
 * The client the review gathers with, keeping the review comments it lists (GitHub's objects,
 * reactions included), so the outcome check needs no list of its own. Only `paginate` is wrapped;
 * every request goes to `octokit` as it was.
 */
export function keepingReviewComments(octokit: GitHubClient): { octokit: GitHubClient; comments: () => ListedReviewComment[] | undefined } {
  let kept: ListedReviewComment[] | undefined;
  const paginate = octokit.paginate as unknown as (route: unknown, parameters: unknown) => Promise<unknown>;
  const keeping = async (route: unknown, parameters: unknown): Promise<unknown> => {
    const result = await paginate(route, parameters);
    if (route === octokit.rest.pulls.listReviewComments) kept = result as ListedReviewComment[];
    return result;
  };
  const wrapped = Object.assign(keeping, { iterator: octokit.paginate.iterator }) as unknown as GitHubClient['paginate'];
  return { octokit: { rest: octokit.rest, paginate: wrapped }, comments: () => kept };
}

/** Records what became of earlier suggestions, from what the review gathered; returns why it could not, if it could not. */
export async function checkOutcomesInReview(
  feedback: ReviewFeedback,
  gathered: { comments: readonly ListedReviewComment[] | undefined; files: readonly SourceFile[] },
): Promise<string | undefined> {
  // Files in a language the review does not read come without content: those are read if needed.
  const files = new Map(gathered.files.filter((file) => file.content !== '').map((file) => [file.path, file.content]));
  try {
    await checkSuggestionOutcomes({ ...feedback, known: { ...(gathered.comments ? { comments: gathered.comments } : {}), files } });
    return undefined;
  } catch (error) {
    return failed(feedback, 'check what became of earlier suggestions', error);
  }
}

/** Records the posted suggestions (when the review was posted) and the uncovered alerts; returns why it could not, if it could not. */
export async function recordReviewFeedback(
  feedback: ReviewFeedback,
  review: { outcomes: readonly TargetOutcome[]; plan: Pick<ReviewPlan, 'comments' | 'bodyFingerprints'>; posted: boolean },
): Promise<string | undefined> {
  const at = feedback.now();
  const where = { owner: feedback.owner, repo: feedback.repo, pullNumber: feedback.pullNumber, at };
  const problems: string[] = [];
  if (review.posted) {
    try {
      await recordPosted(feedback.store, postedRecords(review.outcomes, review.plan, where));
    } catch (error) {
      problems.push(failed(feedback, 'record the posted suggestions', error));
    }
  }
  try {
    await recordUncoveredAlerts(feedback.store, uncoveredAlertRecords(review.outcomes, where));
  } catch (error) {
    problems.push(failed(feedback, 'record the alerts no example covered', error));
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}
