// `seccoder corpus retire|restore <id>`: take an entry out of retrieval, or put it back, on the
// user's corpus (never the bundled seed). Nothing is deleted: the entry stays in corpus.jsonl and
// the audit trail beside it says who retired it, when and why.
import type { Command } from 'commander';
import type { AuditRecord } from '../../corpus/audit.js';
import { LocalCorpusStore } from '../../corpus/local-store.js';
import { writableCorpusDir } from '../../corpus/location.js';
import { restoreEntry, retireEntry, type RetirementRequest } from '../../corpus/retirement.js';
import type { CorpusStore } from '../../corpus/types.js';
import { withCorpusOption, type CorpusOptions } from '../shared-options.js';
import { cliActor, commandVia } from './cli-actor.js';

interface StatusOptions extends CorpusOptions {
  reason?: string;
}

/** `retired manual-0123abcd4567ef89 (python, CWE-89): taught string formatting`. */
function confirmation(record: AuditRecord): string {
  const labels = [record.language, ...(record.cwe ?? [])].filter(Boolean).join(', ');
  return `${record.action} ${record.entryId}${labels ? ` (${labels})` : ''}${record.reason ? `: ${record.reason}` : ''}`;
}

function registerStatusCommand(
  corpus: Command,
  name: 'retire' | 'restore',
  description: string,
  reasonHelp: string,
  change: (store: CorpusStore, request: RetirementRequest) => Promise<AuditRecord>,
): void {
  withCorpusOption(corpus.command(name))
    .description(description)
    .argument('<id>', 'the entry\'s id (its "id" in corpus.jsonl, e.g. manual-0123abcd4567ef89)')
    .option('--reason <text>', reasonHelp)
    .action(async (id: string, options: StatusOptions) => {
      // The user's corpus only: the bundled seed is never written to, its trail included.
      const store = new LocalCorpusStore(writableCorpusDir(options.corpus));
      const record = await change(store, {
        id,
        actor: cliActor(),
        via: commandVia(`seccoder corpus ${name} ${id}`),
        ...(options.reason === undefined ? {} : { reason: options.reason }),
      });
      console.log(confirmation(record));
    });
}

export function registerCorpusRetireCommands(corpus: Command): void {
  registerStatusCommand(
    corpus,
    'retire',
    'take an entry of your corpus out of retrieval; it stays in corpus.jsonl, and audit.jsonl beside it keeps who, when and why',
    'why it is retired (required; kept in the audit trail)',
    retireEntry,
  );
  registerStatusCommand(corpus, 'restore', 'put a retired entry of your corpus back into retrieval (audited)', 'why it is restored (optional)', restoreEntry);
}
