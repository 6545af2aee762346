// What C and C++ code may reach the compilers: plain standard headers yes; local files and
// anything that can silence an analyzer no, however it is spelled.
import { describe, expect, it } from 'vitest';
import { refusalFindings, refusedConstructs } from '../../src/analyze/c-guard.js';
import { CppcheckAnalyzer } from '../../src/analyze/cppcheck.js';
import { GccAnalyzer } from '../../src/analyze/gcc.js';
import { C_DOUBLE_FREE } from './samples.js';

describe('refusedConstructs', () => {
  it('lets ordinary code and standard headers through', () => {
    const code = [
      '#include <stdio.h>',
      '#  include <sys/types.h>',
      '#pragma once',
      '#define SIZE 16',
      '#if defined(SIZE) && SIZE > 8',
      'int f(void) { printf("#%d\\n", SIZE); return 0; }',
      '#endif',
    ].join('\n');
    expect(refusedConstructs(code)).toEqual([]);
  });

  it.each([
    ['#include "/proc/self/environ"', 1],
    ['#include "../../secrets.h"', 1],
    ['#include "helper.h"', 1],
    ['#include </etc/passwd>', 1],
    ['#include <../../etc/passwd>', 1],
    ['#include_next <x/../../y>', 1],
    ['%:include "/etc/passwd"', 1],
    ['??=include "/etc/passwd"', 1],
    ['int a;\n#inc\\\nlude "/etc/passwd"', 2],
    ['int a;\n# /* hidden */ include "/etc/passwd"', 2],
    ['#include /* a comment\nacross lines */ "/etc/passwd"', 1],
    ['#define F "/etc/passwd"\n#include F', 2],
    ['#include <stdio.h> /* unterminated', 1],
  ])('refuses the include in %j', (code, line) => {
    expect(refusedConstructs(code)).toEqual([expect.objectContaining({ reason: 'include', line })]);
  });

  it.each([
    ['#pragma GCC diagnostic ignored "-Wanalyzer-double-free"'],
    ['#pragma clang diagnostic ignored "-Weverything"'],
    ['#pragma GCC system_header'],
    ['#pragma GCC optimize ("O0")'],
    ['_Pragma("GCC diagnostic ignored \\"-Wall\\"")'],
    ['#line 1 "/usr/include/stdio.h"'],
    ['# 1 "/usr/include/stdio.h" 3'],
    ['#ifndef __clang_analyzer__\nfree(p);\n#endif'],
  ])('refuses the analyzer suppression in %j', (code) => {
    expect(refusedConstructs(code)).toEqual([expect.objectContaining({ reason: 'suppression' })]);
  });

  it('reports refusals as findings at their lines', () => {
    expect(refusalFindings('int f(void) {\n#include "/etc/passwd"\n}\n', 'gcc')).toEqual([
      expect.objectContaining({ ruleId: 'unsafe-include', line: 2, message: expect.stringContaining('#include "/etc/passwd"') }),
    ]);
  });
});

describe('the C analyzers refuse before running the tool', () => {
  it('gcc does not compile a rewrite that silences the double free it still has', async () => {
    const hidden = `#pragma GCC diagnostic ignored "-Wanalyzer-double-free"\n#pragma GCC diagnostic ignored "-Wuse-after-free"\n${C_DOUBLE_FREE}`;
    expect(await new GccAnalyzer().analyze({ code: hidden, language: 'c' })).toEqual([
      expect.objectContaining({ ruleId: 'analyzer-suppression', line: 1 }),
      expect.objectContaining({ ruleId: 'analyzer-suppression', line: 2 }),
    ]);
  });

  it('cppcheck does not read a local file named in an include', async () => {
    const findings = await new CppcheckAnalyzer().analyze({ code: '#include "/etc/passwd"\nint f(void) { return 0; }\n', language: 'c' });
    expect(findings.map((finding) => finding.ruleId)).toEqual(['unsafe-include']);
  });
});
