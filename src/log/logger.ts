// The one logger type: structured, details first, then the message (pino's and probot's methods
// fit it as they are). Details may hold an `err`; code and secrets never go in them.

export interface Logger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Drops everything: for callers that were given no logger. */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
