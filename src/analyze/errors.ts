// Named errors for analyzer runs. An analyzer that cannot give a verdict throws one of these rather
// than returning no findings: an empty list would make broken or unchecked code look clean.
import { SecCoderError, type SecCoderErrorOptions } from '../errors/seccoder-error.js';

/** Base of every failed analysis; catch this to handle them all. */
export class AnalyzerError extends SecCoderError {
  override name = 'AnalyzerError';
  constructor(
    message: string,
    /** The analyzer's name ("bandit", "cppcheck", ...). */
    readonly analyzer: string,
    /** The command that was run, program first; no user code, only the temp file's name. */
    readonly command: readonly string[],
    options?: SecCoderErrorOptions,
  ) {
    super(message, options);
  }
}

/** The tool did not finish within the time limit and was killed. */
export class AnalyzerTimeoutError extends AnalyzerError {
  override name = 'AnalyzerTimeoutError';
  constructor(
    analyzer: string,
    command: readonly string[],
    readonly timeoutMs: number,
  ) {
    super(
      `${analyzer} did not finish within ${timeoutMs} ms and was stopped: raise the analyzer's timeoutMs ` +
        `or analyze a smaller function (${command.join(' ')})`,
      analyzer,
      command,
    );
  }
}

/** The tool could not be started, or exited in a way that means it did not analyze the code. */
export class AnalyzerFailedError extends AnalyzerError {
  override name = 'AnalyzerFailedError';
  constructor(
    analyzer: string,
    command: readonly string[],
    /** Exit code, when the process ran at all. */
    readonly exitCode: number | undefined,
    /** At most 500 characters from the end of stderr. */
    readonly stderrTail: string,
    options?: ErrorOptions,
  ) {
    super(
      `${analyzer} failed${exitCode === undefined ? ' to start' : ` with exit code ${exitCode}`} ` +
        `(${command.join(' ')})${stderrTail ? `: ${stderrTail}` : ''}. ` +
        `Check that it is installed (scripts/install-analyzers.sh installs the supported tools)`,
      analyzer,
      command,
      options,
    );
  }
}

/** The tool ran but its report could not be read; `excerpt` shows the start of what it printed. */
export class AnalyzerOutputError extends AnalyzerError {
  override name = 'AnalyzerOutputError';
  constructor(
    analyzer: string,
    command: readonly string[],
    readonly problem: string,
    /** At most 300 characters of the unreadable report. */
    readonly excerpt: string,
  ) {
    super(`could not read ${analyzer}'s report (${problem}); it began: ${excerpt}`, analyzer, command);
  }
}

/** The analyzer was asked about a language it does not handle. */
export class UnsupportedLanguageError extends AnalyzerError {
  override name = 'UnsupportedLanguageError';
  constructor(
    analyzer: string,
    readonly language: string,
    readonly supported: readonly string[],
  ) {
    super(`${analyzer} does not analyze ${language}; it handles ${supported.join(', ')}`, analyzer, []);
  }
}
