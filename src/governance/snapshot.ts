// What one request of the page sees: the corpus, its audit trail and its feedback, read once and
// together, with what every view derives from them (which entries are retired, acceptance per
// entry, entries by id). Views and the JSON API take a snapshot and never read the store.
import { readAudit, retiredIds, type AuditRecord } from '../corpus/audit.js';
import type { CorpusEntry } from '../corpus/entry.js';
import { acceptanceByEntry, readFeedback, type EntryAcceptance, type FeedbackRecord } from '../corpus/feedback.js';
import type { LineProblem } from '../corpus/jsonl.js';
import type { CorpusStore } from '../corpus/types.js';

export interface CorpusSnapshot {
  /** Where the corpus is, for the page's footer. */
  location: string;
  entries: CorpusEntry[];
  byId: Map<string, CorpusEntry>;
  audit: AuditRecord[];
  feedback: FeedbackRecord[];
  retired: Set<string>;
  acceptance: Map<string, EntryAcceptance>;
  /** Lines of the corpus, the trail or the feedback that were skipped, with why. */
  problems: LineProblem[];
}

export async function readSnapshot(store: CorpusStore): Promise<CorpusSnapshot> {
  const [corpus, audit, feedback] = await Promise.all([store.read(), readAudit(store), readFeedback(store)]);
  return {
    location: store.location,
    entries: corpus.entries,
    byId: new Map(corpus.entries.map((entry) => [entry.id, entry])),
    audit: audit.records,
    feedback: feedback.records,
    retired: retiredIds(audit.records),
    acceptance: acceptanceByEntry(feedback.records),
    problems: [...corpus.problems, ...audit.problems, ...feedback.problems],
  };
}

export const NO_ACCEPTANCE: EntryAcceptance = { suggestions: 0, applied: 0, dismissed: 0 };
