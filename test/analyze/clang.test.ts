// The clang static analyzer run for real, on C and C++.
import { beforeAll, describe, expect, it } from 'vitest';
import { ClangAnalyzer, clangCwes } from '../../src/analyze/clang.js';
import { CPP_USE_AFTER_DELETE, C_DOUBLE_FREE, C_USE_AFTER_FREE, C_USE_AFTER_FREE_FIXED } from './samples.js';

const clang = new ClangAnalyzer();

beforeAll(async () => {
  const state = await clang.availability();
  expect(state.ok, `clang is not usable here: ${state.detail}. Run scripts/install-analyzers.sh`).toBe(true);
});

describe('ClangAnalyzer (real clang --analyze)', () => {
  it('tells use after free from double free within unix.Malloc by its message', async () => {
    expect(await clang.analyze({ code: C_USE_AFTER_FREE, language: 'c' })).toEqual([
      expect.objectContaining({ ruleId: 'unix.Malloc', cwe: ['CWE-416'], line: 6 }),
    ]);
    expect(await clang.analyze({ code: C_DOUBLE_FREE, language: 'c' })).toEqual([
      expect.objectContaining({ ruleId: 'unix.Malloc', cwe: ['CWE-415'], line: 3 }),
    ]);
    expect(await clang.analyze({ code: C_USE_AFTER_FREE_FIXED, language: 'c' })).toEqual([]);
  });

  it('finds use after delete in C++', async () => {
    expect(await clang.analyze({ code: CPP_USE_AFTER_DELETE, language: 'cpp' })).toEqual([
      expect.objectContaining({ ruleId: 'cplusplus.NewDelete', cwe: ['CWE-416'], line: 4 }),
    ]);
  });

  it('reports code clang cannot compile as a compile-error finding', async () => {
    const findings = await clang.analyze({ code: 'int f(my_type_t x) {\n    return x;\n}\n', language: 'c' });
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'compile-error', line: 1 })]);
  });

  it('maps checkers and messages to CWEs', () => {
    expect(clangCwes('core.NullDereference', 'Dereference of null pointer')).toEqual(['CWE-476']);
    expect(clangCwes('unix.Malloc', 'Potential leak of memory pointed to by p')).toEqual(['CWE-401']);
    expect(clangCwes('unix.Malloc', "Argument to free() is the address of the local variable 'buf', which is not memory allocated by malloc()")).toEqual([
      'CWE-590',
    ]);
    expect(clangCwes('some.NewChecker', 'Something odd')).toEqual([]);
  });
});
