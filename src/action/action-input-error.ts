/** An input of the Action (or the event it runs on) that it cannot use; the message says what to set. */
export class ActionInputError extends Error {
  override name = 'ActionInputError';
  constructor(
    /** The input's name as action.yml declares it (`max-targets`), or `event`. */
    readonly input: string,
    message: string,
  ) {
    super(`${input}: ${message}`);
  }
}
