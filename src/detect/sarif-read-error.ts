// A SARIF file that cannot be used at all (unreadable, not JSON, no `runs`), naming the file.

export class SarifReadError extends Error {
  override name = 'SarifReadError';
  constructor(
    /** The file that failed. */
    readonly file: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot read SARIF from ${file}: ${reason}`, options);
  }
}
