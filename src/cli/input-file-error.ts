// A file the user named that cannot be read: says which and why instead of a stack trace.
import { SecCoderError } from '../errors/seccoder-error.js';

export class InputFileError extends SecCoderError {
  override name = 'InputFileError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}
