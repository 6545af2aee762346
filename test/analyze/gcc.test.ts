// GCC run for real: -fanalyzer and the optimizer's bounds warnings, on functions without includes.
import { beforeAll, describe, expect, it } from 'vitest';
import { mentionsWeakness } from '../../src/cwe/same-weakness.js';
import { GccAnalyzer } from '../../src/analyze/gcc.js';
import { C_DOUBLE_FREE, C_DOUBLE_FREE_FIXED, C_OVERFLOW, C_OVERFLOW_FIXED, C_USE_AFTER_FREE, C_USE_AFTER_FREE_FIXED } from './samples.js';

const gcc = new GccAnalyzer();
const analyze = (code: string) => gcc.analyze({ code, language: 'c', fileName: 'lib/util.c' });

beforeAll(async () => {
  const state = await gcc.availability();
  expect(state.ok, `gcc is not usable here: ${state.detail}. Run scripts/install-analyzers.sh`).toBe(true);
});

describe('GccAnalyzer (real gcc)', () => {
  it('finds the strcpy overflow of a fixed-size buffer, at the line in the function', async () => {
    const findings = await analyze(C_OVERFLOW);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: '-Warray-bounds', line: 3 });
    expect(mentionsWeakness(findings[0]?.cwe ?? [], 'CWE-787')).toBe(true);
  });

  it('finds nothing in the fixed function', async () => {
    expect(await analyze(C_OVERFLOW_FIXED)).toEqual([]);
  });

  it('finds use after free with -fanalyzer as CWE-416', async () => {
    const findings = await analyze(C_USE_AFTER_FREE);
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: '-Wanalyzer-use-after-free', cwe: ['CWE-416'], line: 6 }));
    expect(await analyze(C_USE_AFTER_FREE_FIXED)).toEqual([]);
  });

  it('finds a malloc result dereferenced unchecked (CWE-690, the NULL-dereference family), which the optimizer hides from -fanalyzer', async () => {
    const unchecked = 'int make(void) {\n    int *p = malloc(sizeof(int));\n    *p = 0;\n    int v = *p;\n    free(p);\n    return v;\n}\n';
    const findings = await analyze(unchecked);
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: '-Wanalyzer-possible-null-dereference', cwe: ['CWE-690'], line: 3 }));
    expect(
      mentionsWeakness(
        findings.flatMap((finding) => finding.cwe),
        'CWE-476',
      ),
    ).toBe(true);
    expect(await analyze(unchecked.replace('    *p = 0;', '    if (p == NULL) return -1;\n    *p = 0;'))).toEqual([]);
  });

  it('finds a double free as CWE-415', async () => {
    const findings = await analyze(C_DOUBLE_FREE);
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: '-Wanalyzer-double-free', cwe: ['CWE-415'], line: 3 }));
    expect(await analyze(C_DOUBLE_FREE_FIXED)).toEqual([]);
  });

  it('drops noise such as unused parameters and implicit declarations', async () => {
    const code = 'int helper(int unused) {\n    return project_function();\n}\n';
    expect(await analyze(code)).toEqual([]);
  });

  it('reports code gcc cannot compile as one compile-error finding', async () => {
    const findings = await analyze('int f(my_type_t x) {\n    return x;\n}\nint g(unknown_t y);\n');
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'compile-error', cwe: [], line: 1 })]);
    expect(findings[0]?.message).toMatch(/unknown type name 'my_type_t' \(and 1 more errors\)/);
  });
});
