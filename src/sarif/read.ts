// The one SARIF 2.1.0 reader (CodeQL, Semgrep, clang, any analyzer that writes SARIF). It is lenient:
// a run, rule or result that does not fit the schema is dropped with its reason and the rest is
// kept; only a document that is not SARIF at all (unreadable, not JSON, no `runs`) throws. What a
// result means (an alert, an analyzer finding) is up to the caller.
import { readFile } from 'node:fs/promises';
import { describeIssues } from '../text/zod-issues.js';
import type { AlertProblem } from './problem.js';
import { SarifReadError } from './read-error.js';
import { ruleOf, rulesOf } from './rules.js';
import { sarifLogSchema, sarifResultSchema, sarifRunSchema, type SarifResult, type SarifRule, type SarifRun } from './schema.js';

/** A result that fit the schema, with the rule it refers to and the run it came from. */
export interface SarifResultRead {
  /** Where in the log: `runs[0].results[3]`, to name it in problems found later. */
  item: string;
  result: SarifResult;
  /** The rule the result refers to; undefined when the run has none that fits. */
  rule: SarifRule | undefined;
  /** The run the result is in: its tool, artifacts and base URIs. */
  run: SarifRun;
}

export interface SarifRead {
  results: SarifResultRead[];
  /** Runs, rules and results that did not fit the schema, dropped, with reasons. */
  problems: AlertProblem[];
}

/** The results of a parsed SARIF log; `source` names it in problems and errors. Throws SarifReadError when it has no `runs` array. */
export function readSarif(log: unknown, source: string): SarifRead {
  const parsed = sarifLogSchema.safeParse(log);
  if (!parsed.success) throw new SarifReadError(source, `not a SARIF log (${describeIssues(parsed.error.issues)})`);
  const results: SarifResultRead[] = [];
  const problems: AlertProblem[] = [];
  parsed.data.runs.forEach((rawRun, runIndex) => {
    const where = `runs[${runIndex}]`;
    const run = sarifRunSchema.safeParse(rawRun);
    if (!run.success) {
      problems.push({ source, item: where, reason: describeIssues(run.error.issues) });
      return;
    }
    const rules = rulesOf(run.data, problems, source, where);
    (run.data.results ?? []).forEach((rawResult, resultIndex) => {
      const item = `${where}.results[${resultIndex}]`;
      const result = sarifResultSchema.safeParse(rawResult);
      if (result.success) results.push({ item, result: result.data, rule: ruleOf(result.data, rules), run: run.data });
      else problems.push({ source, item, reason: describeIssues(result.error.issues) });
    });
  });
  return { results, problems };
}

/** The results of a SARIF log's text. Throws SarifReadError when it is not JSON or not SARIF. */
export function readSarifText(text: string, source: string): SarifRead {
  let log: unknown;
  try {
    log = JSON.parse(text);
  } catch (cause) {
    throw new SarifReadError(source, `invalid JSON (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
  return readSarif(log, source);
}

/** The results of a SARIF file. Throws SarifReadError when it cannot be read or is not SARIF. */
export async function readSarifFile(path: string): Promise<SarifRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const hint = 'check that the path names a readable SARIF file';
    throw new SarifReadError(path, cause instanceof Error ? cause.message : String(cause), { cause, hint });
  }
  return readSarifText(text, path);
}
