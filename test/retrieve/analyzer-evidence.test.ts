import { describe, expect, it } from 'vitest';
import { evidenceOfFindings, weighEvidence, type QueryEvidence } from '../../src/retrieve/analyzer-evidence.js';
import type { Finding } from '../../src/analyze/types.js';

const CLASSES = ['CWE-119', 'CWE-125', 'CWE-416', 'CWE-787', 'CWE-89'];
const UNIFORM = Float64Array.from(CLASSES, () => 1 / CLASSES.length);

const finding = (tool: string, ruleId: string, cwe: string[]): Finding & { tool: string } => ({ tool, ruleId, cwe, message: ruleId, line: 1 });
const evidenceOf = (...hits: [string, string, string[]][]): QueryEvidence => evidenceOfFindings(hits.map(([tool, ruleId, cwe]) => finding(tool, ruleId, cwe)));
const ratio = (p: Float64Array, a: string, b: string) => (p[CLASSES.indexOf(a)] as number) / (p[CLASSES.indexOf(b)] as number);

describe('analyzer evidence', () => {
  it('keeps only findings that name a CWE about the code, not "could not analyze" or "refused" ones', () => {
    const evidence = evidenceOf(
      ['cppcheck', 'syntax-error', ['CWE-1']],
      ['gcc', 'unsafe-include', ['CWE-73']],
      ['bandit', 'B101', []],
      ['cppcheck', 'deallocuse', ['CWE-416']],
      ['clang', 'core.UseAfterFree', ['CWE-416']],
    );
    expect(evidence.cwe).toEqual(['CWE-416']);
    expect(evidence.tools.map((hit) => hit.ruleId)).toEqual(['deallocuse', 'core.UseAfterFree']);
  });

  it('makes a named CWE e^3 times likelier and its parent or child e^1.5, and renormalizes', () => {
    const weighed = weighEvidence(UNIFORM, CLASSES, evidenceOf(['cppcheck', 'arrayIndexOutOfBounds', ['CWE-787']]));
    expect(weighed.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12);
    expect(ratio(weighed, 'CWE-787', 'CWE-89')).toBeCloseTo(Math.exp(3), 9);
    // CWE-119 is CWE-787's parent; CWE-125 its sibling (not counted), CWE-89 unrelated.
    expect(ratio(weighed, 'CWE-119', 'CWE-89')).toBeCloseTo(Math.exp(1.5), 9);
    expect(ratio(weighed, 'CWE-125', 'CWE-89')).toBeCloseTo(1, 9);
    expect(ratio(weighed, 'CWE-416', 'CWE-89')).toBeCloseTo(1, 9);
  });

  it('ignores flawfinder by default (its tags fire on any strcpy), and counts it when asked', () => {
    const flawfinder = evidenceOf(['flawfinder', 'buffer/strcpy', ['CWE-120']]);
    expect(weighEvidence(UNIFORM, CLASSES, flawfinder)).toBe(UNIFORM);
    const counted = weighEvidence(UNIFORM, CLASSES, flawfinder, { ignoreTools: [], strength: 2 });
    // CWE-120 is a child of CWE-119 (and a sibling of CWE-787, which is not counted).
    expect(ratio(counted, 'CWE-119', 'CWE-89')).toBeCloseTo(Math.exp(1), 9);
    expect(ratio(counted, 'CWE-787', 'CWE-89')).toBeCloseTo(1, 9);
  });

  it('leaves the probabilities as they are when nothing is named', () => {
    expect(weighEvidence(UNIFORM, CLASSES, { cwe: [], tools: [] })).toBe(UNIFORM);
    const p = Float64Array.from([0.1, 0.2, 0.3, 0.35, 0.05]);
    expect(Array.from(weighEvidence(p, CLASSES, evidenceOf(['bandit', 'B605', ['CWE-78']])))).toEqual(Array.from(p));
  });
});
