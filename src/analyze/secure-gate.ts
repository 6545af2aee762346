// The gate every function passes before it joins a corpus (`seccoder corpus add`, growth from a
// merged fix, the seed builder): no finding from any analyzer installed for its language, where
// findings the analyzer could not judge (a lone C function without its headers does not compile)
// do not count, and a comment that silences an analyzer (`# nosec`, `// NOLINT`, ...) is a finding
// of its own. The corpus is the trust anchor of every later suggestion: what an analyzer was told
// to overlook is not known to be secure.
import { analyzersFor } from './registry.js';
import { NOT_ANALYZED_RULES, type Analyzer, type Finding } from './types.js';
import type { Language } from '../lang/languages.js';
import { z } from 'zod';

/** The rule id of a suppression comment found in the code. */
export const SUPPRESSION_RULE = 'suppression-comment';

/** Who reports a suppression comment (no tool runs for it). */
export const SUPPRESSION_SCANNER = 'seccoder';

/**
 * Findings that say the analyzer could not check the code at all, so they are no verdict against
 * it: bandit's `syntax-error`, gcc's and clang's `compile-error` (a lone function's types live in
 * headers), and cppcheck's "could not parse this" messages (unknown macros, syntax it cannot read).
 */
export const GATE_NOT_JUDGED_RULES: ReadonlySet<string> = new Set([
  ...NOT_ANALYZED_RULES,
  'syntaxError',
  'unknownMacro',
  'internalAstError',
  'cppcheckError',
  'internalError',
  'preprocessorErrorDirective',
]);

/** Comments and directives that silence a static analyzer, with the name shown for each. */
const SUPPRESSIONS: readonly { name: string; pattern: RegExp }[] = [
  { name: '# nosec', pattern: /(?:#|\/\/|\/\*)[^\n]*?\bnosec\b/i },
  { name: '# noqa', pattern: /#[^\n]*?\bnoqa\b(?!\s*:(?![^\n]*\bS\d{3}\b))/i },
  { name: '// NOLINT', pattern: /(?:\/\/|\/\*)[^\n]*?\bNOLINT(?:NEXTLINE|BEGIN)?\b/ },
  { name: '//nolint', pattern: /\/\/\s*nolint\b/ },
  { name: '// eslint-disable', pattern: /(?:\/\/|\/\*)\s*eslint-disable/ },
  { name: 'cppcheck-suppress', pattern: /(?:\/\/|\/\*)\s*cppcheck-suppress/ },
  { name: '#pragma warning(disable)', pattern: /#\s*pragma\s+warning\s*\(\s*disable/ },
  { name: '#pragma diagnostic ignored', pattern: /#\s*pragma\s+(?:GCC|clang)\s+diagnostic\s+ignored/ },
  { name: '#pragma suppress', pattern: /#\s*pragma\s+[^\n]*\bsuppress\b/ },
  { name: 'NOSONAR', pattern: /(?:#|\/\/|\/\*)[^\n]*?\bNOSONAR\b/ },
  { name: 'nosemgrep', pattern: /(?:#|\/\/|\/\*)[^\n]*?\bnosemgrep\b/ },
  { name: 'codeql[...]', pattern: /(?:#|\/\/|\/\*)\s*(?:codeql|lgtm)\s*\[/ },
  { name: 'Flawfinder: ignore', pattern: /(?:\/\/|\/\*)\s*Flawfinder:\s*ignore/i },
  { name: 'rubocop:disable Security', pattern: /#\s*rubocop:disable\b[^\n]*\bSecurity\//i },
];

/**
 * One finding per line holding a comment or directive that silences an analyzer. The scan is
 * coarse on purpose (it also looks inside strings): refusing a function that merely mentions
 * `# nosec` costs one demonstration, letting a silenced one in costs every later suggestion.
 */
export function suppressionFindings(code: string): Finding[] {
  const findings: Finding[] = [];
  for (const [index, line] of code.split('\n').entries()) {
    const found = SUPPRESSIONS.find((suppression) => suppression.pattern.test(line));
    if (!found) continue;
    findings.push({
      ruleId: SUPPRESSION_RULE,
      cwe: [],
      message: `${found.name} on line ${index + 1} silences an analyzer: \`${line.trim().slice(0, 80)}\``,
      line: index + 1,
      severity: 'error',
    });
  }
  return findings;
}

export interface GateInput {
  code: string;
  language: Language;
  /** The file's name, a hint for the tools (extension); never a path on disk. */
  fileName?: string;
}

/** A finding with the analyzer that reported it. */
export interface GateFinding extends Finding {
  analyzer: string;
}

export interface GateVerdict {
  passed: boolean;
  /** Findings that count against the code (stops at the first analyzer that has any). */
  findings: GateFinding[];
  /** Analyzers that ran on the code (installed and handling the language). */
  ran: string[];
  /** Analyzers that ran but could not judge the code (every finding was "could not analyze"). */
  notJudged: string[];
  /** An analyzer that failed to run (timeout, crash): no verdict, so the code does not pass. */
  failure?: { analyzer: string; message: string };
}

/**
 * Runs the gate: the suppression scan, then each analyzer installed for the language, in order,
 * stopping at the first that reports a counting finding (or fails).
 */
export async function secureGate(input: GateInput, analyzers: readonly Analyzer[]): Promise<GateVerdict> {
  const verdict: GateVerdict = { passed: false, findings: [], ran: [], notJudged: [] };
  const suppressions = suppressionFindings(input.code);
  if (suppressions.length > 0) {
    verdict.findings = suppressions.map((finding) => ({ ...finding, analyzer: SUPPRESSION_SCANNER }));
    return verdict;
  }
  for (const analyzer of await analyzersFor(input.language, analyzers)) {
    let findings: Finding[];
    try {
      findings = await analyzer.analyze({ code: input.code, language: input.language, ...(input.fileName ? { fileName: input.fileName } : {}) });
    } catch (error) {
      verdict.ran.push(analyzer.name);
      verdict.failure = { analyzer: analyzer.name, message: ((error as Error).message ?? String(error)).split('\n')[0] ?? '' };
      return verdict;
    }
    verdict.ran.push(analyzer.name);
    const counting = findings.filter((finding) => !GATE_NOT_JUDGED_RULES.has(finding.ruleId));
    if (counting.length > 0) {
      verdict.findings = counting.map((finding) => ({ ...finding, analyzer: analyzer.name }));
      return verdict;
    }
    if (findings.length > 0) verdict.notJudged.push(analyzer.name);
  }
  verdict.passed = true;
  return verdict;
}

/** Why the code did not pass, in one line (undefined when it passed). */
export function gateProblem(verdict: GateVerdict): string | undefined {
  if (verdict.passed) return undefined;
  if (verdict.failure) return `analyzer ${verdict.failure.analyzer} failed: ${verdict.failure.message}`;
  const first = verdict.findings[0];
  if (!first) return undefined;
  if (first.ruleId === SUPPRESSION_RULE) return `${first.message} (${SUPPRESSION_RULE}: a silenced function is not known to be secure)`;
  return `analyzer ${first.analyzer} reports ${first.ruleId}${first.cwe.length > 0 ? ` (${first.cwe.join(', ')})` : ''} on line ${first.line}`;
}

/** What checked code that passed, for the user: "bandit", or why no analyzer judged it. */
export function gateCheckedBy(verdict: GateVerdict, language: Language): string {
  const judged = verdict.ran.filter((name) => !verdict.notJudged.includes(name));
  const parts: string[] = [];
  if (judged.length > 0) parts.push(`no finding from ${judged.join(', ')}`);
  if (verdict.notJudged.length > 0) parts.push(`${verdict.notJudged.join(', ')} could not judge it alone`);
  if (verdict.ran.length === 0) parts.push(`no analyzer for ${language} is installed; only the suppression-comment check ran`);
  return parts.join('; ');
}

/** One gate a function went through, and what it said (kept in the corpus's audit trail). */
export const gateResultSchema = z
  .object({
    gate: z.string().min(1),
    passed: z.boolean(),
    detail: z.string().optional(),
  })
  .strict();
export type GateResult = z.infer<typeof gateResultSchema>;

/**
 * The verdict as the audit trail keeps it: one result per analyzer that ran (and the suppression
 * scan when it refused), each with what it said, in the order they ran.
 */
export function gateResults(verdict: GateVerdict): GateResult[] {
  const results: GateResult[] = [];
  const findingsOf = (analyzer: string) => verdict.findings.filter((finding) => finding.analyzer === analyzer);
  const describe = (findings: GateFinding[]) =>
    findings
      .slice(0, 3)
      .map((finding) => `${finding.ruleId}${finding.line ? ` (line ${finding.line})` : ''}: ${finding.message}`)
      .join('; ') + (findings.length > 3 ? `; ${findings.length - 3} more` : '');
  if (findingsOf(SUPPRESSION_SCANNER).length > 0)
    results.push({ gate: 'suppression comments', passed: false, detail: describe(findingsOf(SUPPRESSION_SCANNER)) });
  else results.push({ gate: 'suppression comments', passed: true });
  for (const analyzer of verdict.ran) {
    if (verdict.failure?.analyzer === analyzer) results.push({ gate: analyzer, passed: false, detail: `failed to run: ${verdict.failure.message}` });
    else if (findingsOf(analyzer).length > 0) results.push({ gate: analyzer, passed: false, detail: describe(findingsOf(analyzer)) });
    else results.push({ gate: analyzer, passed: true, ...(verdict.notJudged.includes(analyzer) ? { detail: 'could not judge this code alone' } : {}) });
  }
  return results;
}
