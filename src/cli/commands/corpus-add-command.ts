// `seccoder corpus add`: grow the corpus by hand. It takes exactly one function per file, runs the
// corpus's gate on it (the analyzers growth runs; a comment silencing one is a finding) and writes
// only to a corpus of the user's, never the bundled seed. Every addition and every refusal (by the
// gate, or a duplicate) goes to the audit trail beside the corpus, with the gates' results.
import { basename } from 'node:path';
import type { Command } from 'commander';
import { defaultAnalyzers } from '../../analyze/registry.js';
import { gateCheckedBy, gateProblem, gateResults, secureGate, type GateResult } from '../../analyze/secure-gate.js';
import { appendAudit, readAudit, retiredIds, type AuditRecord, type AuditVia } from '../../corpus/audit.js';
import type { CorpusEntry } from '../../corpus/entry.js';
import { CorpusNotFoundError, EntryRejectedError } from '../../corpus/errors.js';
import { LocalCorpusStore } from '../../corpus/local-store.js';
import { DEFAULT_MAX_ENTRY_CHARS, prepareEntry } from '../../corpus/prepare-entry.js';
import { writableCorpusDir } from '../../corpus/location.js';
import { readInputFile } from '../read-input.js';
import { withCorpusOption, type CorpusOptions } from '../shared-options.js';
import { UsageError } from '../usage-error.js';
import { cliActor, commandVia } from './cli-actor.js';

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

/** The audit record of one input file, the fields every action of `add` shares. */
function recordOf(action: 'added' | 'refused', entry: CorpusEntry, file: string, gates: GateResult[], who: { actor: string; via: AuditVia }): AuditRecord {
  return {
    at: new Date().toISOString(),
    action,
    ...who,
    ...(action === 'added' ? { entryId: entry.id } : {}),
    sha256: entry.sha256,
    language: entry.language,
    ...(entry.cwe.length > 0 ? { cwe: entry.cwe } : {}),
    // The base name only: the user's folders are nobody's business in a shared trail.
    path: basename(file),
    gates,
  };
}

/**
 * Records a refusal before the command fails. Without a corpus folder there is no trail to write
 * to, and the refusal itself is what the user needs to hear.
 */
async function auditRefusal(store: LocalCorpusStore, record: AuditRecord): Promise<void> {
  try {
    await appendAudit(store, () => [record]);
  } catch (error) {
    if (!(error instanceof CorpusNotFoundError)) throw error;
  }
}

interface Duplicate {
  reason: string;
  /** The retired entry holding the same code, which `add` cannot bring back (restore can). */
  retiredAs?: string;
}

/** Why each duplicate is one: the corpus holds its code, maybe as a retired entry. */
async function describeDuplicates(store: LocalCorpusStore, duplicates: readonly CorpusEntry[]): Promise<Map<CorpusEntry, Duplicate>> {
  const [{ entries }, { records }] = await Promise.all([store.read(), readAudit(store)]);
  const retired = retiredIds(records);
  const bySha = new Map(entries.map((entry) => [entry.sha256, entry]));
  return new Map(
    duplicates.map((duplicate) => {
      const existing = bySha.get(duplicate.sha256);
      const described: Duplicate =
        existing && retired.has(existing.id)
          ? { reason: `already in the corpus, retired as ${existing.id}`, retiredAs: existing.id }
          : { reason: 'already in the corpus' };
      return [duplicate, described];
    }),
  );
}

export function registerCorpusAddCommand(corpus: Command): void {
  withCorpusOption(corpus.command('add'))
    .description(
      'add a secure function (exactly one per file) to your corpus (--corpus, $SECCODER_CORPUS or ./corpus; never the bundled seed), ' +
        'after the analyzers installed for its language find nothing in it; all files or none, atomically; ' +
        'each addition and refusal is kept in audit.jsonl beside the corpus',
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
      const who = { actor: cliActor(), via: commandVia(`seccoder corpus add ${files.map((file) => basename(file)).join(' ')}`) };
      const analyzers = defaultAnalyzers();
      const entries: CorpusEntry[] = [];
      const checks: string[] = [];
      const gates: GateResult[][] = [];
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
        if (problem) {
          await auditRefusal(store, { ...recordOf('refused', entry, file, gateResults(verdict), who), reason: problem });
          throw new EntryRejectedError(file, `not added: ${problem}`);
        }
        entries.push(entry);
        checks.push(gateCheckedBy(verdict, entry.language));
        gates.push(gateResults(verdict));
      }
      const { added, duplicates } = await store.append(entries);
      for (const entry of added) {
        const check = checks[entries.indexOf(entry)];
        console.log(
          `added ${entry.id} (${entry.language}${entry.cwe.length ? `, ${entry.cwe.join(', ')}` : ''}) to ${store.location}${check ? ` (${check})` : ''}`,
        );
      }
      const fileOf = (entry: CorpusEntry) => files[entries.indexOf(entry)] ?? entry.id;
      const gatesOf = (entry: CorpusEntry) => gates[entries.indexOf(entry)] ?? [];
      const described = duplicates.length > 0 ? await describeDuplicates(store, duplicates) : new Map<CorpusEntry, Duplicate>();
      // The entries are in the corpus already; the trail follows, one record per file in order.
      await appendAudit(store, () =>
        entries.map((entry) =>
          added.includes(entry)
            ? recordOf('added', entry, fileOf(entry), gatesOf(entry), who)
            : { ...recordOf('refused', entry, fileOf(entry), gatesOf(entry), who), reason: described.get(entry)?.reason ?? 'already in the corpus' },
        ),
      );
      if (duplicates.length > 0) {
        const retiredAs = duplicates.map((entry) => described.get(entry)?.retiredAs).find(Boolean);
        throw new EntryRejectedError(duplicates.map(fileOf).join(', '), 'already in the corpus (same normalized code)', {
          ...(retiredAs ? { hint: `${retiredAs} is retired; seccoder corpus restore ${retiredAs} brings it back` } : {}),
        });
      }
    });
}
