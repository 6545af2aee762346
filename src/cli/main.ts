// The `seccoder` command line. Each command lives in its own file under commands/.
import { Command, CommanderError } from 'commander';
import { bugReport, userErrorLine } from '../errors/seccoder-error.js';
import { registerCorpusCommand } from './commands/corpus-command.js';
import { registerEvalCommand } from './commands/eval-command.js';
import { registerHardenCommand } from './commands/harden-command.js';
import { registerIndexCommand } from './commands/index-command.js';
import { registerRetrieveCommand } from './commands/retrieve-command.js';
import { registerReviewCommand } from './commands/review-command.js';
import { CommandExit, EXIT_CODES } from './exit-codes.js';

export function buildProgram(): Command {
  const program = new Command('seccoder')
    .description('Harden code with secure demonstrations retrieved from your own secure-code corpus')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  registerIndexCommand(program);
  registerRetrieveCommand(program);
  registerCorpusCommand(program);
  registerHardenCommand(program);
  registerReviewCommand(program);
  registerEvalCommand(program);
  return program;
}

/**
 * Runs the CLI and returns the exit code (EXIT_CODES). A SecCoderError is something the user can act
 * on: one line on stderr (`seccoder: <message> (<hint>)`), exit code 1, the stack only with
 * SECCODER_DEBUG set. Anything else is a bug: printed with its stack, exit code 2, so a script can
 * tell "fix the call" (1, as for commander's own usage errors) from "report this" (2). A command
 * that printed its report and ends otherwise (`harden`: 3 when a target failed) throws CommandExit.
 */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CommandExit) return error.code;
    const line = userErrorLine(error);
    if (line === undefined) {
      console.error(`seccoder: unexpected error (a bug; please report it with this trace):\n${bugReport(error)}`);
      return EXIT_CODES.bug;
    }
    console.error(`seccoder: ${line}`);
    if (process.env.SECCODER_DEBUG && error instanceof Error) console.error(error.stack);
    return EXIT_CODES.userError;
  }
}
