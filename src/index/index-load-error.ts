// Raised when a persisted index cannot be trusted, so callers can tell "rebuild it" apart from bugs.
import { SecCoderError } from '../errors/seccoder-error.js';

export class IndexLoadError extends SecCoderError {
  override name = 'IndexLoadError';
  constructor(
    /** The file or directory that was missing, corrupt or inconsistent. */
    readonly path: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`Cannot load vector index from ${path}: ${reason}`, { ...options, hint: 'rebuild it with `seccoder index --rebuild`' });
  }
}
