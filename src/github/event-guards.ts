// Which pull-request events SecCoder acts on, decided alike for the App's webhooks and the Action's
// workflow events. A review answers the activities that change what there is to review, on an open
// pull request; the corpus grows only from code merged into the default branch, the code the
// repository ships (a merge into a release or feature branch may never reach it).

/** Pull-request activities that are reviewed: new code to review, or a draft marked ready. */
export const REVIEWED_PULL_REQUEST_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review'] as const;
export type ReviewedPullRequestAction = (typeof REVIEWED_PULL_REQUEST_ACTIONS)[number];

/** Go ahead, or why not; callers say what is not done (`not reviewing: <reason>`, `not growing the corpus: <reason>`). */
export type GuardResult<Ok extends object = object> = ({ ok: true } & Ok) | { ok: false; reason: string };

/** The fields of a pull request the review guard reads. */
export interface ReviewedPull {
  state: string;
}

/** The fields of a pull request the growth guard reads, as webhooks and `pulls.get` give them. */
export interface MergedPull {
  number: number;
  merged?: boolean | null;
  merge_commit_sha?: string | null;
  base: { ref: string };
}

export function isReviewedAction(action: string): action is ReviewedPullRequestAction {
  return (REVIEWED_PULL_REQUEST_ACTIONS as readonly string[]).includes(action);
}

function listed(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

/** Whether a `pull_request` event with this activity is reviewed: a reviewed activity, on an open pull request. */
export function reviewGuard(action: string, pull: ReviewedPull): GuardResult {
  if (!isReviewedAction(action)) return { ok: false, reason: `pull request ${action}: only ${listed(REVIEWED_PULL_REQUEST_ACTIONS)} are reviewed` };
  if (pull.state !== 'open') return { ok: false, reason: 'pull request is closed' };
  return { ok: true };
}

/** Whether a closed pull request grows the corpus: merged, with its merge commit, into `defaultBranch`. */
export function growthGuard(pull: MergedPull, defaultBranch: string): GuardResult<{ mergeCommitSha: string }> {
  if (!pull.merged) return { ok: false, reason: `pull request #${pull.number} was closed without merging` };
  if (!pull.merge_commit_sha) return { ok: false, reason: `pull request #${pull.number} has no merge commit` };
  if (pull.base.ref !== defaultBranch) {
    return { ok: false, reason: `pull request #${pull.number} was merged into ${pull.base.ref}, not the default branch ${defaultBranch}` };
  }
  return { ok: true, mergeCommitSha: pull.merge_commit_sha };
}
