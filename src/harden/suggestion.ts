// The pipeline's product: a validated rewrite of one function, with what it learned from.
import type { EntrySource } from '../corpus/entry.js';

export interface SuggestionDemonstration {
  id: string;
  source: EntrySource;
  /** Retrieval score of the demonstration. */
  score: number;
  cwe: string[];
}

export interface Suggestion {
  path: string;
  /** Right-side lines the replacement replaces: exactly the target function's lines. */
  startLine: number;
  endLine: number;
  functionName: string;
  /** The original lines (for diffs and fingerprints). */
  original: string;
  /** The new text of lines startLine..endLine. */
  replacement: string;
  /** CWEs the suggestion addresses (from alerts, else from the demonstrations). */
  cwe: string[];
  /** One sentence on what changed, for the reader. */
  reason: string;
  demonstrations: SuggestionDemonstration[];
  /** Model name that wrote it. */
  model: string;
}
