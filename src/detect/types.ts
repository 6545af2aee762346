// What the pipeline hardens: functions found in source files, from a diff or from alerts.
import type { Language } from '../lang/languages.js';

/** A function (or method) as tree-sitter found it. Lines are 1-based and inclusive. */
export interface FunctionInfo {
  name: string;
  /** Enclosing class/struct/module/impl name, when there is one. */
  className?: string;
  startLine: number;
  endLine: number;
  /** The function's full source text, exactly as in the file (lines startLine..endLine). */
  code: string;
  /** Parameter names in order (no types or defaults), for checking a rewrite kept the signature. */
  parameters: string[];
  /** Source up to where the body starts (decorators/annotations, signature). */
  signature: string;
  /**
   * Code on line startLine before the function begins (`x = 1; ` in `x = 1; function f() {`).
   * Absent when there is nothing there but indentation. `code` includes it.
   */
  textBefore?: string;
  /**
   * Code on line endLine after the function ends (` module.exports = { f };` in
   * `} module.exports = { f };`, or a trailing comment). Absent when there is nothing there but
   * whitespace. `code` includes it.
   */
  textAfter?: string;
}

/** A code-scanning alert, from SARIF or from GitHub's API, reduced to what the pipeline uses. */
export interface Alert {
  ruleId: string;
  /** The alert's message, kept for the prompt. */
  message: string;
  /** CWE ids from the rule's tags ("external/cwe/cwe-089" → "CWE-89"), possibly empty. */
  cwe: string[];
  /** Repository-relative path with forward slashes. */
  path: string;
  startLine: number;
  endLine: number;
  severity?: string;
  /** Link to the alert (GitHub) when known. */
  url?: string;
  /** GitHub alert number, when from the API. */
  number?: number;
}

export interface AlertSource {
  /** Human-readable name for messages ("SARIF results.sarif", "GitHub code scanning"). */
  readonly name: string;
  alerts(): Promise<Alert[]>;
}

export type TargetReason = 'alert' | 'new-function' | 'changed-function';

/** One function to harden. */
export interface Target {
  path: string;
  language: Language;
  function: FunctionInfo;
  reason: TargetReason;
  /** Alerts located inside the function (empty for diff-only targets). */
  alerts: Alert[];
  /** The file's imports/includes, for the prompt's context. */
  fileContext: string;
}

/**
 * Why a candidate did not become a target, for reports. File-level reasons (no `function`):
 * `binary-file`, `parse-error` (no function could be read), `no-function`, `diff-not-applicable`
 * (the diff's lines are not the file's), `not-in-diff` (a file given with a diff that does not
 * change it), besides `ignored-path`, `language` and `unsupported-file`.
 */
export interface SkippedTarget {
  path: string;
  function?: string;
  reason:
    | 'ignored-path'
    | 'language'
    | 'too-large'
    | 'cap-reached'
    | 'alert-outside-function'
    | 'unsupported-file'
    | 'binary-file'
    | 'parse-error'
    | 'no-function'
    | 'diff-not-applicable'
    | 'not-in-diff'
    | 'no-risk';
  detail?: string;
}
