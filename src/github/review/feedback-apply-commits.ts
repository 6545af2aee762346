// The commits GitHub makes when someone clicks "Commit suggestion" on the app's comments: a second
// sign a suggestion was applied, for when the code has changed again since (so the head no longer
// holds the suggested lines). GitHub writes, as the default message (the person committing may
// edit it, so this sign can be missing):
//   - one suggestion:        `Apply suggestion from @seccoder[bot]`
//   - a batch of several:    `Apply suggestions from code review`, with a trailer per suggester,
//                            `Co-authored-by: seccoder[bot] <…+seccoder[bot]@users.noreply.github.com>`
// A commit counts only when it names the app's bot in one of these ways, and only for the lines
// its patch adds (a commit applying another reviewer's suggestion in the same file is not ours).
import type { GitHubClient } from './gather.js';

/** Commits read at most per check, newest first: each costs one request. */
export const MAX_APPLY_COMMITS = 5;

const SINGLE = /^Apply suggestion from @(\S+)\s*$/;
const BATCH = /^Apply suggestions from code review\s*$/;
/** `Co-authored-by: name <email>`. */
const TRAILER = /^co-authored-by:\s*(.*?)\s*<([^>]*)>$/i;

/** Whether a commit message is GitHub's for applying a suggestion of `botLogin`. */
export function isApplySuggestionMessage(message: string, botLogin: string): boolean {
  const [subject = '', ...rest] = message.split(/\r?\n/);
  const login = botLogin.toLowerCase();
  const single = SINGLE.exec(subject)?.[1];
  if (single !== undefined) return single.toLowerCase() === login;
  if (!BATCH.test(subject)) return false;
  return rest.some((line) => {
    const trailer = TRAILER.exec(line.trim());
    if (!trailer) return false;
    const [, name = '', email = ''] = trailer;
    return name.toLowerCase() === login || email.toLowerCase().endsWith(`+${login}@users.noreply.github.com`);
  });
}

/** One file of an apply-suggestion commit: its path and the new side of its patch, one text per hunk. */
export interface AppliedFile {
  sha: string;
  path: string;
  patch?: string;
}

/**
 * The files of the pull request's apply-suggestion commits naming the app (at most
 * MAX_APPLY_COMMITS, newest first): one list of the pull request's commits, then one read per
 * matching commit.
 */
export async function applySuggestionCommits(
  octokit: GitHubClient,
  where: { owner: string; repo: string; pullNumber: number },
  botLogin: string,
): Promise<AppliedFile[]> {
  const commits = await octokit.paginate(octokit.rest.pulls.listCommits, {
    owner: where.owner,
    repo: where.repo,
    pull_number: where.pullNumber,
    per_page: 100,
  });
  const matching = commits
    .filter((commit) => isApplySuggestionMessage(commit.commit.message, botLogin))
    .reverse()
    .slice(0, MAX_APPLY_COMMITS);
  const files: AppliedFile[] = [];
  for (const commit of matching) {
    const { data } = await octokit.rest.repos.getCommit({ owner: where.owner, repo: where.repo, ref: commit.sha });
    for (const file of data.files ?? []) files.push({ sha: commit.sha, path: file.filename, ...(file.patch !== undefined ? { patch: file.patch } : {}) });
  }
  return files;
}
