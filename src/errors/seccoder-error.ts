// The one base class of SecCoder's errors (ky's shape: a named class per failure, carrying what a
// caller needs). `hint` says what the user can do about it; the CLI, the Action and the App print
// a SecCoderError as one line (message, then the hint) and anything else as a bug, with its stack.

export interface SecCoderErrorOptions extends ErrorOptions {
  /** What the user can do about it, e.g. "set SECCODER_MODEL or pass --model". */
  hint?: string;
}

export class SecCoderError extends Error {
  override name = 'SecCoderError';
  /** What the user can do about it; absent when the message already says. */
  readonly hint: string | undefined;

  constructor(message: string, options: SecCoderErrorOptions = {}) {
    const { hint, ...rest } = options;
    super(message, rest);
    this.hint = hint;
  }
}

/**
 * The line a user sees for an error: a SecCoderError's message and hint, else undefined (a bug: show its stack).
 * A message may already say its hint (check runs and PR comments show only the message); it is not repeated.
 */
export function userErrorLine(error: unknown): string | undefined {
  if (!(error instanceof SecCoderError)) return undefined;
  return error.hint && !error.message.includes(error.hint) ? `${error.message} (${error.hint})` : error.message;
}

/** What is shown for an error that is not a SecCoderError: a bug, so its stack, for whoever fixes it. */
export function bugReport(error: unknown): string {
  if (!(error instanceof Error)) return `non-error thrown: ${String(error)}`;
  return error.stack ?? `${error.name}: ${error.message}`;
}
