// How `npm start` and `npm run worker` end on an error: a SecCoderError (a setting to fix) is one
// line naming it, anything else is a bug, printed with its stack; either way the exit code is 1.
import { bugReport, userErrorLine } from '../../errors/seccoder-error.js';

export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const line = userErrorLine(error);
    console.error(line === undefined ? bugReport(error) : `seccoder: ${line}`);
    process.exitCode = 1;
  }
}
