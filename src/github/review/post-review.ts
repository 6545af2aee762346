// Posting a planned review exactly once. Right before posting, the bot's earlier suggestions are
// read again from GitHub (the source of truth: another run may have posted since this one
// gathered), and the plan is made against them. A review POST is never retried blindly: GitHub
// may have applied it and still answered an error (a 502 from a proxy, a dropped connection), so
// a failed POST is followed by a read, and only a review that is really missing is posted again.
import type { Logger } from '../../log/logger.js';
import { readFingerprints, sameSuggestion, type Fingerprint } from './fingerprint.js';
import { readEarlier, type GitHubClient, type PullRequestMaterial, type PullRequestRef } from './gather.js';
import { renderReviewBody, type ReviewBodyContext, type ReviewPlan } from './plan.js';

export interface PostReviewInput {
  octokit: GitHubClient;
  ref: PullRequestRef;
  botLogin: string;
  /** Plans the review against the bot's earlier suggestions as GitHub has them now. */
  plan: (earlier: Pick<PullRequestMaterial, 'existing' | 'earlierComments'>) => ReviewPlan;
  bodyContext: ReviewBodyContext;
  /** Write nothing: plan only. */
  dryRun: boolean;
  log: Logger;
}

export interface PostedReview {
  plan: ReviewPlan;
  body: string;
  earlier: Pick<PullRequestMaterial, 'existing' | 'earlierComments'>;
  /** Whether this run's review is on the pull request (posted now, or found applied after an error). */
  posted: boolean;
}

/** Fingerprints a planned review carries (in its comments and its body). */
function plannedFingerprints(plan: ReviewPlan, body: string): Fingerprint[] {
  return readFingerprints([body, ...plan.comments.map((comment) => comment.body)]);
}

/** An error after which the request may or may not have been applied: a 5xx or no answer at all. */
function outcomeUnknown(error: unknown): boolean {
  const status = (error as { status?: unknown }).status;
  return typeof status !== 'number' || status >= 500;
}

export async function postReviewOnce(input: PostReviewInput, current: Pick<PullRequestMaterial, 'existing' | 'earlierComments'>): Promise<PostedReview> {
  const { octokit, ref, botLogin, log } = input;
  // Only what was gathered can be new: when nothing is, a fresh read (which can only add to it) is not needed.
  // In a dry run nothing is posted.
  const gathered = input.plan(current);
  if (input.dryRun || gathered.nothingNew) return { plan: gathered, body: renderReviewBody(gathered, input.bodyContext), earlier: current, posted: false };
  const earlier = await readEarlier(octokit, ref, botLogin);
  const plan = input.plan(earlier);
  const body = renderReviewBody(plan, input.bodyContext);
  if (plan.nothingNew) {
    log.info({ ...ref }, 'another run posted these suggestions since this one gathered; not posting them again');
    return { plan, body, earlier, posted: false };
  }

  const wanted = plannedFingerprints(plan, body);
  const post = () =>
    octokit.rest.pulls.createReview({
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.pullNumber,
      commit_id: plan.commitId,
      event: 'COMMENT',
      body,
      comments: plan.comments,
      // Not retried by the Octokit retry plugin: a retried POST could post the review twice.
      request: { retries: 0 },
    });
  for (let attempt = 1; ; attempt++) {
    try {
      await post();
      return { plan, body, earlier, posted: true };
    } catch (error) {
      if (!outcomeUnknown(error) || attempt >= 2) throw error;
      const after = await readEarlier(octokit, ref, botLogin);
      if (after.existing.some((fp) => wanted.some((mine) => sameSuggestion(fp, mine)))) {
        log.warn({ ...ref, err: error }, 'GitHub answered the review POST with an error but applied it; not posting again');
        return { plan, body, earlier, posted: true };
      }
      log.warn({ ...ref, err: error }, 'the review POST failed and the review is not on the pull request; posting it once more');
    }
  }
}
