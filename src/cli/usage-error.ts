// A flag, argument or environment variable a command cannot use. The message names it and what it
// takes, so the user can fix the call without reading the code.
import { SecCoderError } from '../errors/seccoder-error.js';

export class UsageError extends SecCoderError {
  override name = 'UsageError';
}
