// A proposal of corpus entries (growth.mode: pull-request) that could not be made: the corpus
// repository has no branch to propose to, concurrent writers kept winning, or GitHub refused the
// pull request. Carries the repository and what GitHub said, never a file's content.
import { SecCoderError, type SecCoderErrorOptions } from '../../errors/seccoder-error.js';

export class ProposalError extends SecCoderError {
  override name = 'ProposalError';
  constructor(
    /** `owner/repo` of the corpus repository. */
    readonly repository: string,
    message: string,
    options?: SecCoderErrorOptions,
  ) {
    super(`could not propose corpus entries in ${repository}: ${message}`, options);
  }
}
