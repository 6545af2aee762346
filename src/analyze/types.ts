// Static analyzers that judge code: a rewrite must not add findings the original lacked, and for
// an alert target the analyzer can judge, the alert's rule must no longer fire.
import type { Language } from '../lang/languages.js';

export interface Finding {
  /** Analyzer-specific rule id (e.g. bandit "B608", cppcheck "bufferAccessOutOfBounds"). */
  ruleId: string;
  /** CWE ids the rule maps to, when known ("CWE-89"). */
  cwe: string[];
  message: string;
  /** 1-based line within the analyzed code. */
  line: number;
  severity?: string;
}

export interface AnalyzeInput {
  code: string;
  language: Language;
  /** File name hint (extension matters for some tools); never a path on the user's disk. */
  fileName?: string;
}

export interface Analyzer {
  readonly name: string;
  readonly languages: readonly Language[];
  /** Whether the tool is installed and runnable here (checked once, cached). */
  available(): Promise<boolean>;
  /** CWEs this analyzer can judge, so callers know when "no finding" means "fixed". */
  judges(cwe: string, language: Language): boolean;
  /**
   * The CWEs `judges` is built on, as listed (it also accepts the same weakness under a related
   * id), for reports that say what each analyzer covers. Absent: not listed.
   */
  readonly judgedCwes?: readonly string[];
  analyze(input: AnalyzeInput): Promise<Finding[]>;
}

/**
 * Findings that say an analyzer could not check the code at all (it does not parse or compile on
 * its own), rather than that the code is wrong.
 */
export const NOT_ANALYZED_RULES: ReadonlySet<string> = new Set(['syntax-error', 'compile-error']);

/** Findings of code an analyzer refuses to run on (an include of a system file, a comment silencing it). */
export const REFUSED_RULES: ReadonlySet<string> = new Set(['unsafe-include', 'analyzer-suppression']);
