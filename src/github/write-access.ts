// Whether a user may write to a repository, asked of GitHub. Only people trusted to push code may
// put code into the secure corpus: everything in it is shown to the model as an example to follow.
import type { GitHubClient } from './review/gather.js';
import { httpStatus } from '../errors/http-status.js';

/** `permission` values of GET /repos/{owner}/{repo}/collaborators/{username}/permission that can push (maintain reads as write). */
const CAN_WRITE = new Set(['admin', 'write']);

export type AccessVerdict = { ok: true } | { ok: false; reason: string };

export async function hasWriteAccess(octokit: GitHubClient, owner: string, repo: string, username: string): Promise<AccessVerdict> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
    if (CAN_WRITE.has(data.permission)) return { ok: true };
    return { ok: false, reason: `@${username} has ${data.permission} access to ${owner}/${repo}, not write` };
  } catch (error) {
    // 404: not a collaborator (or no such user).
    if (httpStatus(error) === 404) return { ok: false, reason: `@${username} is not a collaborator of ${owner}/${repo}` };
    throw error;
  }
}
