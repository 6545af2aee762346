// A SARIF document that cannot be used at all (unreadable, not JSON, no `runs`), naming it. Items
// inside a readable document that do not fit are dropped with a reason instead (AlertProblem).
import { SecCoderError, type SecCoderErrorOptions } from '../errors/seccoder-error.js';

const DEFAULT_HINT = 'give a SARIF 2.1.0 log as analyzers write it, e.g. CodeQL with --format=sarif-latest or Semgrep with --sarif';

export class SarifReadError extends SecCoderError {
  override name = 'SarifReadError';
  constructor(
    /** The file (or, for a document not read from disk, the name it was given) that failed. */
    readonly file: string,
    /** What is wrong with it, without the file's name: `invalid JSON (...)`. */
    readonly reason: string,
    options: SecCoderErrorOptions = {},
  ) {
    super(`cannot read SARIF from ${file}: ${reason}`, { ...options, hint: options.hint ?? DEFAULT_HINT });
  }
}
