// The `seccoder` command line. Each command lives in its own file under commands/.
import { Command, CommanderError } from 'commander';
import { registerCorpusCommand } from './commands/corpus-command.js';
import { registerEvalCommand } from './commands/eval-command.js';
import { registerHardenCommand } from './commands/harden-command.js';
import { registerIndexCommand } from './commands/index-command.js';
import { registerRetrieveCommand } from './commands/retrieve-command.js';
import { registerReviewCommand } from './commands/review-command.js';

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

/** Runs the CLI and returns the exit code; errors become one line on stderr, not a stack trace. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    console.error(`seccoder: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.SECCODER_DEBUG && error instanceof Error) console.error(error.stack);
    return 1;
  }
}
