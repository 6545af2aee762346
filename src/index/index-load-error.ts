// Raised when a persisted index cannot be trusted, so callers can tell "rebuild it" apart from bugs.

export class IndexLoadError extends Error {
  constructor(
    /** The file or directory that was missing, corrupt or inconsistent. */
    readonly path: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`Cannot load vector index from ${path}: ${reason}`, options);
    this.name = 'IndexLoadError';
  }
}
