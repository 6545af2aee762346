// Where the corpus lives. The local folder store is the first implementation; an org-repository
// store (shared by app instances and the Action) implements the same interface.
import type { CorpusEntry } from './entry.js';
import type { CweExample } from './cwe-examples.js';
import type { ParsedCorpus } from './jsonl.js';
import type { SideLog, SideLogMerge } from './side-log.js';

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
  /**
   * The labelled examples of vulnerable code beside the corpus (`cwe-examples.jsonl`), which train
   * the CWE classifier and are never shown as demonstrations; empty when there are none.
   */
  readExamples(): Promise<CweExample[]>;
  /** Appends examples atomically, leaving out those already there; returns those written. */
  appendExamples(examples: CweExample[]): Promise<CweExample[]>;
  /** The text of a log beside the corpus (`audit.jsonl`, `feedback.jsonl`); empty when there is none yet. */
  readLog(log: SideLog): Promise<string>;
  /**
   * Appends to a log the lines `merge` decides from its text at the moment of writing, atomically
   * and exclusively (a lock, or compare-and-swap with retries: `merge` may run more than once).
   */
  updateLog(log: SideLog, merge: SideLogMerge): Promise<void>;
  /** Where a log is, for messages. */
  logLocation(log: SideLog): string;
  /** Why this corpus must never be written (the bundled seed), when it must not; writes then throw. */
  readonly readOnly?: string;
}
