import { describe, expect, it } from 'vitest';
import { compareFindings } from '../../src/analyze/registry.js';
import type { Finding } from '../../src/analyze/types.js';

const finding = (ruleId: string, line: number, cwe: string[] = []): Finding => ({ ruleId, cwe, message: `${ruleId} at ${line}`, line });

describe('compareFindings', () => {
  it('matches findings by rule and CWE, not by line', () => {
    const before = [finding('B608', 3, ['CWE-89']), finding('B105', 7, ['CWE-259', 'CWE-798'])];
    const after = [finding('B608', 10, ['CWE-89']), finding('B105', 2, ['CWE-798', 'CWE-259'])];
    expect(compareFindings(before, after)).toEqual({ added: [], removed: [] });
  });

  it('counts multiplicity: one before and two after is one added', () => {
    const before = [finding('B608', 3, ['CWE-89'])];
    const after = [finding('B608', 4, ['CWE-89']), finding('B608', 9, ['CWE-89'])];
    expect(compareFindings(before, after)).toEqual({ added: [after[1]], removed: [] });
  });

  it('reports what the rewrite removed', () => {
    const before = [finding('doubleFree', 3, ['CWE-415']), finding('memleak', 5, ['CWE-401'])];
    const after = [finding('memleak', 6, ['CWE-401'])];
    expect(compareFindings(before, after)).toEqual({ added: [], removed: [before[0]] });
  });

  it('tells apart one rule reporting different CWEs', () => {
    const before = [finding('unix.Malloc', 3, ['CWE-416'])];
    const after = [finding('unix.Malloc', 3, ['CWE-415'])];
    expect(compareFindings(before, after)).toEqual({ added: [after[0]], removed: [before[0]] });
  });

  it('handles empty lists', () => {
    expect(compareFindings([], [])).toEqual({ added: [], removed: [] });
    const only = [finding('compile-error', 1)];
    expect(compareFindings([], only)).toEqual({ added: only, removed: [] });
    expect(compareFindings(only, [])).toEqual({ added: [], removed: only });
  });
});
