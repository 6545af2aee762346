import { SecCoderError } from '../errors/seccoder-error.js';

/** An input of the Action (or the event it runs on) that it cannot use; the message says what to set. */
export class ActionInputError extends SecCoderError {
  override name = 'ActionInputError';
  constructor(
    /** The input's name as action.yml declares it (`max-targets`), or `event`. */
    readonly input: string,
    message: string,
  ) {
    super(`${input}: ${message}`);
  }
}
