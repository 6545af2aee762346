// The `corpus serve` command alone, as a program a test can run in its own process (real signals,
// real stdout): `corpus` with only `serve` registered, errors printed as main() prints them.
import { Command } from 'commander';
import { registerCorpusServeCommand } from '../../src/cli/commands/corpus-serve-command.js';
import { userErrorLine } from '../../src/errors/seccoder-error.js';

const program = new Command('seccoder').exitOverride();
registerCorpusServeCommand(program.command('corpus'));
program.parseAsync(process.argv).then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    console.error(`seccoder: ${userErrorLine(error) ?? String(error)}`);
    process.exitCode = 1;
  },
);
