// Named errors of the corpus kept in a GitHub repository. Each says which repository and what to do.
// None of them carries a request or response body: a corpus file's content never reaches a log
// through an error, and neither does a token.
import { SecCoderError } from '../errors/seccoder-error.js';

/** The repository does not exist, or the token (GitHub App installation) cannot see it. */
export class CorpusRepoNotFoundError extends SecCoderError {
  override name = 'CorpusRepoNotFoundError';
  constructor(
    /** `owner/repo`. */
    readonly repository: string,
  ) {
    super(
      `corpus repository ${repository} not found: create it (a private repository is fine, e.g. ${repository.split('/')[0] ?? 'org'}/.seccoder), ` +
        `or grant the GitHub App or token access to it; reading needs the \`contents: read\` permission, appending needs \`contents: write\``,
    );
  }
}

/** An explicitly configured branch does not exist in a repository that has commits. */
export class CorpusBranchNotFoundError extends SecCoderError {
  override name = 'CorpusBranchNotFoundError';
  constructor(
    readonly repository: string,
    readonly branch: string,
  ) {
    super(`branch ${branch} not found in corpus repository ${repository}: create it, or leave \`branch\` unset to use the repository's default branch`);
  }
}

/** GitHub refused with 403 for a reason other than rate limiting: a missing permission. */
export class CorpusRepoAccessError extends SecCoderError {
  override name = 'CorpusRepoAccessError';
  constructor(
    readonly repository: string,
    /** The route refused, e.g. `POST /repos/{owner}/{repo}/git/blobs`. */
    readonly route: string,
    readonly githubMessage: string,
  ) {
    super(
      `GitHub refused ${route} on corpus repository ${repository} (HTTP 403: ${githubMessage}): ` +
        `reading the corpus needs the \`contents: read\` permission on ${repository}, appending needs \`contents: write\``,
    );
  }
}

/** Every attempt to move the branch lost to a concurrent writer. */
export class CorpusConflictError extends SecCoderError {
  override name = 'CorpusConflictError';
  constructor(
    readonly repository: string,
    readonly branch: string,
    readonly attempts: number,
    /** GitHub's answer to the last refused update, e.g. "Update is not a fast forward". */
    readonly githubMessage: string,
  ) {
    super(
      `could not append to the corpus in ${repository} (branch ${branch}) after ${attempts} attempt${attempts === 1 ? '' : 's'}: ` +
        `another writer moved the branch each time (last answer: ${githubMessage}); try again, or raise maxAttempts`,
    );
  }
}

/** Any other failed request. Carries GitHub's message and request id, never the request body. */
export class CorpusRepoRequestError extends SecCoderError {
  override name = 'CorpusRepoRequestError';
  constructor(
    readonly repository: string,
    readonly route: string,
    readonly status: number,
    readonly githubMessage: string,
    /** `x-github-request-id`, for GitHub support. */
    readonly requestId?: string,
  ) {
    super(`GitHub answered HTTP ${status} to ${route} on corpus repository ${repository}: ${githubMessage}${requestId ? ` (request id ${requestId})` : ''}`);
  }
}

/** GitHub answered with something that is not the documented shape. */
export class CorpusRepoResponseError extends SecCoderError {
  override name = 'CorpusRepoResponseError';
  constructor(
    readonly repository: string,
    readonly route: string,
    readonly reason: string,
  ) {
    super(`unexpected answer to ${route} on corpus repository ${repository}: ${reason}`);
  }
}
