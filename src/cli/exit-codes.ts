// The exit codes of `seccoder`, one table for every command, and how a command that printed its
// report asks for one of them without printing anything more.

export const EXIT_CODES = {
  /** It ran and did its job (`harden`: every target got a suggestion or an explained "no change"). */
  ok: 0,
  /** A user error: a bad flag or input, printed as one line on stderr. */
  userError: 1,
  /** A bug in SecCoder, printed with its stack trace. */
  bug: 2,
  /** `harden`: some target failed at the model or an analyzer; the failures are on stderr. */
  targetFailed: 3,
} as const;

/** Thrown after a command printed its report, to end with `code` (main prints nothing for it). */
export class CommandExit extends Error {
  override name = 'CommandExit';
  constructor(readonly code: number) {
    super(`exit code ${code}`);
  }
}
