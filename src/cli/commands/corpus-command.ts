// `seccoder corpus add|stats`: grow the corpus by hand, and see what it holds. `add` takes exactly
// one function per file, runs the corpus's gate on it (the analyzers growth runs; a comment
// silencing one is a finding) and writes only to a corpus of the user's, never the bundled seed.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { defaultAnalyzers } from '../../analyze/registry.js';
import { gateCheckedBy, gateProblem, secureGate } from '../../analyze/secure-gate.js';
import type { CorpusEntry } from '../../corpus/entry.js';
import { EntryRejectedError } from '../../corpus/errors.js';
import { formatProblem } from '../../corpus/jsonl.js';
import { LocalCorpusStore } from '../../corpus/local-store.js';
import { DEFAULT_MAX_ENTRY_CHARS, prepareEntry } from '../../corpus/prepare-entry.js';
import { corpusStats, formatStats } from '../../corpus/stats.js';
import { resolveCorpusDir, writableCorpusDir } from '../../corpus/location.js';
import { readInputFile } from '../read-input.js';
import { withCorpusOption, type CorpusOptions } from '../shared-options.js';
import { UsageError } from '../usage-error.js';

interface AddOptions extends CorpusOptions {
  cwe: string[];
  language?: string;
  sourceUrl?: string;
  repo?: string;
  commit?: string;
  maxChars: string;
  allowSyntaxErrors?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerCorpusCommand(program: Command): void {
  const corpus = program.command('corpus').description('inspect and grow the secure-code corpus');

  withCorpusOption(corpus.command('add'))
    .description(
      'add a secure function (exactly one per file) to your corpus (--corpus, $SECCODER_CORPUS or ./corpus; never the bundled seed), ' +
        'after the analyzers installed for its language find nothing in it; all files or none, atomically',
    )
    .argument('<files...>', 'files each holding exactly one secure function')
    .option('--cwe <id>', 'weakness the function is secure against, e.g. CWE-89 (repeatable)', collect, [])
    .option('--language <name>', 'language, when the file extension does not tell')
    .option('--source-url <url>', 'where the function comes from (e.g. the fixing commit)')
    .option('--repo <owner/name>', 'repository the function comes from')
    .option('--commit <sha>', 'commit the function comes from')
    .option('--max-chars <n>', 'size cap', String(DEFAULT_MAX_ENTRY_CHARS))
    .option('--allow-syntax-errors', 'accept code the parser reports errors in (macro-heavy C)')
    .action(async (files: string[], options: AddOptions) => {
      const maxChars = Number(options.maxChars);
      if (!Number.isInteger(maxChars) || maxChars <= 0) throw new UsageError(`--max-chars must be a positive integer, got ${options.maxChars}`);
      // Before any work: where it would go must be the user's corpus.
      const store = new LocalCorpusStore(writableCorpusDir(options.corpus));
      const analyzers = defaultAnalyzers();
      const entries: CorpusEntry[] = [];
      const checks: string[] = [];
      for (const file of files) {
        const entry = await prepareEntry({
          code: await readInputFile(file),
          label: file,
          language: options.language,
          cwe: options.cwe,
          maxChars,
          allowSyntaxErrors: options.allowSyntaxErrors,
          oneFunction: true,
          source: { path: file, url: options.sourceUrl, repo: options.repo, commit: options.commit },
        });
        const verdict = await secureGate({ code: entry.code, language: entry.language, fileName: basename(file) }, analyzers);
        const problem = gateProblem(verdict);
        if (problem) throw new EntryRejectedError(file, `not added: ${problem}`);
        entries.push(entry);
        checks.push(gateCheckedBy(verdict, entry.language));
      }
      const { added, duplicates } = await store.append(entries);
      for (const entry of added) {
        const check = checks[entries.indexOf(entry)];
        console.log(
          `added ${entry.id} (${entry.language}${entry.cwe.length ? `, ${entry.cwe.join(', ')}` : ''}) to ${store.location}${check ? ` (${check})` : ''}`,
        );
      }
      if (duplicates.length > 0) {
        const names = duplicates.map((entry) => files[entries.indexOf(entry)] ?? entry.id).join(', ');
        throw new EntryRejectedError(names, 'already in the corpus (same normalized code)');
      }
    });

  withCorpusOption(corpus.command('stats'))
    .description('entries per language, CWE and origin, and size')
    .option('--json', 'print JSON')
    .action(async (options: CorpusOptions & { json?: boolean }) => {
      const store = new LocalCorpusStore(resolveCorpusDir(options.corpus));
      const { entries, problems } = await store.read();
      for (const problem of problems) console.error(`warning: ${formatProblem(problem)}`);
      const stats = corpusStats(entries);
      const bytes = (await stat(store.file)).size;
      if (options.json) console.log(JSON.stringify({ corpus: store.location, bytes, skippedLines: problems.length, ...stats }));
      else console.log(formatStats(stats, store.location, bytes));
    });
}
