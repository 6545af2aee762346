// Cppcheck run for real (scripts/install-analyzers.sh installs it).
import { beforeAll, describe, expect, it } from 'vitest';
import { CppcheckAnalyzer } from '../../src/analyze/cppcheck.js';
import { mentionsWeakness } from '../../src/cwe/same-weakness.js';
import { C_DOUBLE_FREE, C_DOUBLE_FREE_FIXED, C_INDEX_OVERFLOW, C_OVERFLOW, C_OVERFLOW_FIXED } from './samples.js';

const cppcheck = new CppcheckAnalyzer();

beforeAll(async () => {
  const state = await cppcheck.availability();
  expect(state.ok, `cppcheck is not usable here: ${state.detail}. Run scripts/install-analyzers.sh`).toBe(true);
});

describe('CppcheckAnalyzer (real cppcheck)', () => {
  it('finds a strcpy of a long literal into a small buffer, as an out-of-bounds write', async () => {
    const findings = await cppcheck.analyze({ code: C_OVERFLOW, language: 'c' });
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'bufferAccessOutOfBounds', line: 3, severity: 'error' })]);
    expect(mentionsWeakness(findings[0]?.cwe ?? [], 'CWE-787')).toBe(true);
  });

  it('finds an index one past the end of a fixed-size array', async () => {
    const findings = await cppcheck.analyze({ code: C_INDEX_OVERFLOW, language: 'c' });
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'arrayIndexOutOfBounds', cwe: ['CWE-788'], line: 4 })]);
  });

  it('finds nothing in the fixed function', async () => {
    expect(await cppcheck.analyze({ code: C_OVERFLOW_FIXED, language: 'c' })).toEqual([]);
  });

  it('finds a double free as CWE-415, and nothing once the pointer is cleared', async () => {
    expect(await cppcheck.analyze({ code: C_DOUBLE_FREE, language: 'c' })).toEqual([
      expect.objectContaining({ ruleId: 'doubleFree', cwe: ['CWE-415'], line: 3 }),
    ]);
    expect(await cppcheck.analyze({ code: C_DOUBLE_FREE_FIXED, language: 'c' })).toEqual([]);
  });

  it('analyzes C++ too', async () => {
    const findings = await cppcheck.analyze({ code: C_OVERFLOW.replace('printf', 'std::printf'), language: 'cpp', fileName: 'src/greet.cc' });
    expect(findings.map((finding) => finding.ruleId)).toEqual(['bufferAccessOutOfBounds']);
  });

  it('reports code it cannot parse as a syntaxError finding', async () => {
    const findings = await cppcheck.analyze({ code: 'int f(int x) {\n  return x +;\n}\n', language: 'c' });
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'syntaxError', line: 2 })]);
  });
});
