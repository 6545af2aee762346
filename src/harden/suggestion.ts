// The pipeline's product: a validated rewrite of one function, with what it learned from.
import type { EntrySource } from '../corpus/entry.js';
import type { Language } from '../lang/languages.js';

export interface SuggestionDemonstration {
  id: string;
  source: EntrySource;
  /** Retrieval score of the demonstration. */
  score: number;
  cwe: string[];
}

/** A code-scanning alert the suggestion answers, as the target carried it. */
export interface SuggestionAlert {
  ruleId: string;
  message: string;
  cwe: string[];
}

/** An analyzer finding of the original function that the rewrite no longer has. */
export interface ResolvedFinding {
  /** The analyzer's name ("bandit", "cppcheck"). */
  tool: string;
  ruleId: string;
  message: string;
  cwe: string[];
}

/** Which static analyzers checked the rewrite, beyond the structural checks every rewrite passes. */
export interface SuggestionAnalysis {
  /** The rewrite's language (to name it when no analyzer for it is installed). */
  language: Language;
  /** Analyzers installed here for the language, all of which ran on the rewrite (empty: none is). */
  ran: string[];
  /** Those of them that could not analyze it: it does not parse or compile on its own, or they refused it. */
  notAnalyzed: string[];
}

export interface Suggestion {
  path: string;
  /** Right-side lines the replacement replaces: exactly the target function's lines. */
  startLine: number;
  endLine: number;
  functionName: string;
  /** The original lines (for diffs and fingerprints). */
  original: string;
  /**
   * The new function: replaces the function's text in lines startLine..endLine. Code sharing its
   * first or last line (`textBefore`, `textAfter`) is not part of it and stays (see hunks.ts).
   */
  replacement: string;
  /** Import statements the rewrite needs, to add by hand at the top of the file (never part of `replacement`). */
  requiredImports?: string[];
  /** Code on startLine before the function (`FunctionInfo.textBefore`); absent: only indentation. */
  textBefore?: string;
  /** Code on endLine after the function (`FunctionInfo.textAfter`); absent: nothing. */
  textAfter?: string;
  /** The code-scanning alerts of the target (absent or empty: none). */
  alerts?: SuggestionAlert[];
  /** Analyzer findings of the original that the rewrite no longer has (absent or empty: none). */
  resolvedFindings?: ResolvedFinding[];
  /** CWEs the suggestion addresses (from alerts, else from the demonstrations). */
  cwe: string[];
  /** One sentence on what changed, for the reader. */
  reason: string;
  demonstrations: SuggestionDemonstration[];
  /** Model name that wrote it. */
  model: string;
  /** The analyzers that checked the rewrite; absent on a suggestion from elsewhere (e.g. JSON), which says nothing about them. */
  analysis?: SuggestionAnalysis;
}
