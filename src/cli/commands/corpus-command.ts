// `seccoder corpus add|stats|retire|restore|audit`: grow the corpus by hand, see what it holds,
// take an entry out of retrieval or put it back, and read the audit trail of all of it. Each
// subcommand lives in its own file; `stats` is here.
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { readAudit, retiredIds } from '../../corpus/audit.js';
import { formatProblem } from '../../corpus/jsonl.js';
import { LocalCorpusStore } from '../../corpus/local-store.js';
import { formatLogProblem } from '../../corpus/side-log.js';
import { corpusStats, formatStats } from '../../corpus/stats.js';
import { resolveCorpusDir } from '../../corpus/location.js';
import { withCorpusOption, type CorpusOptions } from '../shared-options.js';
import { registerCorpusAddCommand } from './corpus-add-command.js';
import { registerCorpusAuditCommand } from './corpus-audit-command.js';
import { registerCorpusRetireCommands } from './corpus-retire-command.js';
import { registerCorpusServeCommand } from './corpus-serve-command.js';

export function registerCorpusCommand(program: Command): void {
  const corpus = program.command('corpus').description('inspect and grow the secure-code corpus');

  registerCorpusAddCommand(corpus);

  withCorpusOption(corpus.command('stats'))
    .description('entries (and how many are retired), then the live entries per language, CWE and origin, and size')
    .option('--json', 'print JSON')
    .action(async (options: CorpusOptions & { json?: boolean }) => {
      const store = new LocalCorpusStore(resolveCorpusDir(options.corpus));
      const { entries, problems } = await store.read();
      for (const problem of problems) console.error(`warning: ${formatProblem(problem)}`);
      const audit = await readAudit(store);
      for (const problem of audit.problems) console.error(`warning: ${formatLogProblem(problem)}`);
      const stats = corpusStats(entries, retiredIds(audit.records));
      const bytes = (await stat(store.file)).size;
      if (options.json) console.log(JSON.stringify({ corpus: store.location, bytes, skippedLines: problems.length, ...stats }));
      else console.log(formatStats(stats, store.location, bytes));
    });

  registerCorpusRetireCommands(corpus);
  registerCorpusAuditCommand(corpus);
  registerCorpusServeCommand(corpus);
}
