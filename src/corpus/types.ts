// Where the corpus lives. The local folder store is the first implementation; an org-repository
// store (shared by app instances and the Action) implements the same interface.
import type { CorpusEntry } from './entry.js';
import type { ParsedCorpus } from './jsonl.js';

export interface AppendResult {
  /** Entries written, in order. */
  added: CorpusEntry[];
  /** Entries not written because the corpus (or the same batch) already holds their code. */
  duplicates: CorpusEntry[];
}

export interface CorpusStore {
  /** Human-readable location, for messages. */
  readonly location: string;
  /** All valid entries in order, and the lines that were skipped with why. */
  read(): Promise<ParsedCorpus>;
  /** Appends entries atomically; concurrent appends never interleave or lose one. */
  append(entries: CorpusEntry[]): Promise<AppendResult>;
}
