// The one growth comment on a merged pull request, whichever run gets there: a run that died after
// adding (or proposing) the functions leaves the comment to the redelivery, which finds the bot's
// comment by its hidden marker before posting.
import { GROWTH_MARKER } from './growth-comment.js';
import type { GrowthRequest } from './growth-types.js';

/** Whether the bot's growth comment (its hidden marker) is on the pull request. */
async function hasGrowthComment(request: GrowthRequest, botLogin: string): Promise<boolean> {
  const { octokit, owner, repo, pull } = request;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pull.number, per_page: 100 });
  return comments.some((comment) => comment.user?.login === botLogin && (comment.body ?? '').includes(GROWTH_MARKER));
}

/** Posts `body` unless the growth comment is there already; true when it posted. */
export async function postGrowthCommentOnce(request: GrowthRequest, botLogin: string, body: string): Promise<boolean> {
  if (await hasGrowthComment(request, botLogin)) return false;
  const { octokit, owner, repo, pull } = request;
  await octokit.rest.issues.createComment({ owner, repo, issue_number: pull.number, body });
  return true;
}
