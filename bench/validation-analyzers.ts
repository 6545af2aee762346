// The analyzers' part of the validation benchmark (`--analyzers`): after the structural checks a
// rewrite must add no analyzer finding the original lacks (the "not worse" gate of
// src/harden/harden-target.ts, which compares every analyzer's findings together by rule and CWE).
// Cases, each one that passed the structural checks:
//  - `real-fix`: the fixed function as the rewrite of the vulnerable one; a rejection is a false one;
//  - `reverted`: the vulnerable function as the rewrite of the fixed one (a reply that puts the
//    weakness back): should be rejected;
//  - `unsafe-call:<kind>`: the fix with one unsafe call added at the top of its body, as the rewrite
//    of the vulnerable function (synthetic: the calls are the kind pattern matchers look for).
// Every analyzer's findings are kept per code, so the gate is scored with all analyzers installed
// for the language and with each one left out: what each analyzer adds, on the same inputs.
import type { Analyzer, Finding } from '../src/analyze/types.js';
import { analyzersFor, compareFindings } from '../src/analyze/registry.js';
import type { FunctionInfo } from '../src/detect/types.js';
import type { Language } from '../src/lang/languages.js';

/** Statements added to a fix by the `unsafe-call:<kind>` cases, per language. */
const UNSAFE_CALLS: Partial<Record<Language, Record<string, string>>> = {
  c: {
    strcpy: 'char seccoder_copy[16]; strcpy(seccoder_copy, getenv("HOME"));',
    sprintf: 'char seccoder_line[16]; sprintf(seccoder_line, "%s", getenv("HOME"));',
    gets: 'char seccoder_input[16]; gets(seccoder_input);',
    system: 'system(getenv("CMD"));',
    'format-string': 'printf(getenv("FORMAT"));',
  },
  python: {
    system: 'os.system(os.environ["CMD"])',
    eval: 'eval(input())',
  },
};
UNSAFE_CALLS.cpp = UNSAFE_CALLS.c;

const indentOf = (line: string) => /^[ \t]*/.exec(line)?.[0] ?? '';

/** The fix with `statement` as the first line of its body; undefined where there is no block body to put it in. */
function withStatementFirst(fn: FunctionInfo, language: Language, statement: string): string | undefined {
  if (!fn.code.startsWith(fn.signature)) return undefined;
  const body = fn.code.slice(fn.signature.length);
  const firstLine = body.split('\n').find((line, index) => index > 0 && line.trim() !== '');
  if (language === 'python') {
    // A one-line body (`def f(): return 1`) has nowhere to put a statement.
    if (!/^[ \t]*(#[^\n]*)?\n/.test(body) || firstLine === undefined) return undefined;
    return `${fn.signature}\n${indentOf(firstLine)}${statement}${body}`;
  }
  const brace = body.indexOf('{');
  if (brace < 0 || body.slice(0, brace).trim() !== '') return undefined;
  const indent = firstLine === undefined || firstLine.trim() === '}' ? `${indentOf(fn.code)}  ` : indentOf(firstLine);
  return `${fn.signature}${body.slice(0, brace + 1)}\n${indent}${statement}${body.slice(brace + 1)}`;
}

/** Each `unsafe-call:<kind>` rewrite of a fix in its language. */
export function unsafeCallRewrites(fixed: FunctionInfo, language: Language): { kind: string; code: string }[] {
  return Object.entries(UNSAFE_CALLS[language] ?? {}).flatMap(([kind, statement]) => {
    const code = withStatementFirst(fixed, language, statement);
    return code === undefined ? [] : [{ kind: `unsafe-call:${kind}`, code }];
  });
}

/** One analyzer's answer on one code: its findings, or that it failed. */
type Answer = Finding[] | { failed: string };
type Answers = Map<string, Answer>;

interface GateCase {
  kind: string;
  language: Language;
  pairId: string;
  before: Answers;
  after: Answers;
}

/** How the gate with one set of analyzers treated a kind of case. */
export interface GateCount {
  cases: number;
  rejected: number;
  /** An analyzer of the set failed (timeout, crash): the pipeline gives up on the target. */
  failed: number;
  /** Pair ids of rejected real fixes, or of bad rewrites that got through (at most 5). */
  examples: string[];
}

export interface AnalyzerGateReport {
  /** Per language, per analyzer set ("all", "without flawfinder"), per case kind. */
  byLanguage: Record<string, Record<string, Record<string, GateCount>>>;
  /** Time spent in each analyzer, and how many codes it read. */
  timing: Record<string, { runs: number; seconds: number }>;
}

export class AnalyzerGateBench {
  private readonly cases: GateCase[] = [];
  private readonly timing = new Map<string, { runs: number; ms: number }>();
  private readonly installed = new Map<Language, Promise<Analyzer[]>>();

  constructor(private readonly analyzers: readonly Analyzer[]) {}

  /** The analyzers installed here for `language`. */
  forLanguage(language: Language): Promise<Analyzer[]> {
    let found = this.installed.get(language);
    if (!found) {
      found = analyzersFor(language, this.analyzers);
      this.installed.set(language, found);
    }
    return found;
  }

  /** Each installed analyzer's answer on `code`, run together as the pipeline runs them. */
  async answers(code: string, language: Language, file: string): Promise<Answers> {
    const analyzers = await this.forLanguage(language);
    const fileName = file.split('/').at(-1);
    const answers = await Promise.all(
      analyzers.map(async (analyzer): Promise<[string, Answer]> => {
        const started = performance.now();
        try {
          return [analyzer.name, await analyzer.analyze({ code, language, ...(fileName ? { fileName } : {}) })];
        } catch (error) {
          return [analyzer.name, { failed: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error) }];
        } finally {
          const time = this.timing.get(analyzer.name) ?? { runs: 0, ms: 0 };
          this.timing.set(analyzer.name, { runs: time.runs + 1, ms: time.ms + performance.now() - started });
        }
      }),
    );
    return new Map(answers);
  }

  record(kind: string, language: Language, pairId: string, before: Answers, after: Answers): void {
    this.cases.push({ kind, language, pairId, before, after });
  }

  report(): AnalyzerGateReport {
    const byLanguage: AnalyzerGateReport['byLanguage'] = {};
    for (const language of [...new Set(this.cases.map((gateCase) => gateCase.language))]) {
      const cases = this.cases.filter((gateCase) => gateCase.language === language);
      const names = [...(cases[0]?.before.keys() ?? [])];
      const sets: [string, string[]][] = [
        ['all', names],
        ...names.map((name): [string, string[]] => [`without ${name}`, names.filter((other) => other !== name)]),
      ];
      byLanguage[language] = Object.fromEntries(sets.map(([label, set]) => [label, countCases(cases, set)]));
    }
    const timing = Object.fromEntries([...this.timing].map(([name, time]) => [name, { runs: time.runs, seconds: Math.round(time.ms / 100) / 10 }]));
    return { byLanguage, timing };
  }
}

/** The gate's verdict with the analyzers in `set`: rejected when the rewrite adds a finding, failed when one of them failed. */
function verdictOf(gateCase: GateCase, set: readonly string[]): 'passed' | 'rejected' | 'failed' {
  const before: Finding[] = [];
  const after: Finding[] = [];
  for (const name of set) {
    const [was, is] = [gateCase.before.get(name), gateCase.after.get(name)];
    if (!Array.isArray(was) || !Array.isArray(is)) return 'failed';
    before.push(...was);
    after.push(...is);
  }
  return compareFindings(before, after).added.length > 0 ? 'rejected' : 'passed';
}

function countCases(cases: readonly GateCase[], set: readonly string[]): Record<string, GateCount> {
  const counts: Record<string, GateCount> = {};
  for (const gateCase of cases) {
    const count = (counts[gateCase.kind] ??= { cases: 0, rejected: 0, failed: 0, examples: [] });
    count.cases += 1;
    const verdict = verdictOf(gateCase, set);
    if (verdict === 'rejected') count.rejected += 1;
    if (verdict === 'failed') count.failed += 1;
    // Worth a look: a real fix rejected, or a bad rewrite let through.
    const notable = gateCase.kind === 'real-fix' ? verdict !== 'passed' : verdict === 'passed';
    if (notable && count.examples.length < 5) count.examples.push(gateCase.pairId);
  }
  return counts;
}

/** The report as Markdown: one table per language, a row per analyzer set, a column per case kind. */
export function analyzerGateMarkdown(report: AnalyzerGateReport): string {
  const lines = ['### Analyzer gate ("adds no new finding"), on rewrites that passed the structural checks', ''];
  for (const [language, sets] of Object.entries(report.byLanguage)) {
    const kinds = [...new Set(Object.values(sets).flatMap((counts) => Object.keys(counts)))].sort((a, b) =>
      a === 'real-fix' ? -1 : b === 'real-fix' ? 1 : a === 'reverted' ? -1 : b === 'reverted' ? 1 : a.localeCompare(b),
    );
    lines.push(`**${language}** (rejected / cases; real-fix rejections are false ones)`, '');
    lines.push(`| analyzers | ${kinds.join(' | ')} |`, `| --- |${kinds.map(() => ' --- |').join('')}`);
    for (const [label, counts] of Object.entries(sets)) {
      const cells = kinds.map((kind) => {
        const count = counts[kind];
        if (!count) return '–';
        return `${count.rejected} / ${count.cases}${count.failed > 0 ? ` (+${count.failed} failed)` : ''}`;
      });
      lines.push(`| ${label} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  const timing = Object.entries(report.timing).map(([name, time]) => `${name} ${time.seconds} s / ${time.runs} runs`);
  lines.push(`Analyzer time: ${timing.join('; ')}`);
  return lines.join('\n');
}

/** A structural verdict: the rewrite as it would be suggested, or a rejection. */
type Structural = { ok: true; code: string } | { ok: false };

/**
 * Records a pair's gate cases: its real fix (when the structural checks accepted it as `accepted`),
 * the vulnerable function given back for the fix, and the fix with each unsafe call added. Cases the
 * structural checks reject never reach the analyzers and are left out.
 */
export async function recordGateCases(
  gate: AnalyzerGateBench,
  pair: { id: string; language: Language; file: string },
  original: FunctionInfo,
  fixed: FunctionInfo,
  accepted: string | undefined,
  validate: (target: FunctionInfo, code: string) => Promise<Structural>,
): Promise<void> {
  const { id, language, file } = pair;
  if ((await gate.forLanguage(language)).length === 0) return;
  const vulnerable = await gate.answers(original.code, language, file);
  if (accepted !== undefined) gate.record('real-fix', language, id, vulnerable, await gate.answers(accepted, language, file));
  const reverted = await validate(fixed, original.code);
  if (reverted.ok) gate.record('reverted', language, id, await gate.answers(fixed.code, language, file), await gate.answers(reverted.code, language, file));
  for (const { kind, code } of unsafeCallRewrites(fixed, language)) {
    const verdict = await validate(original, code);
    if (verdict.ok) gate.record(kind, language, id, vulnerable, await gate.answers(verdict.code, language, file));
  }
}
