// The report readers and helpers, on fixed tool output: no tool runs here.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBanditReport, pythonModuleSource } from '../../src/analyze/bandit.js';
import { banditCwes } from '../../src/analyze/bandit-cwe.js';
import { withPrelude } from '../../src/analyze/c-prelude.js';
import { parseCppcheckXml } from '../../src/analyze/cppcheck.js';
import { AnalyzerOutputError } from '../../src/analyze/errors.js';
import { parseGccDiagnostics } from '../../src/analyze/gcc.js';
import { snippetFileName, withTempDir, writeSource } from '../../src/analyze/run-tool.js';
import { readSarifReport } from '../../src/analyze/sarif.js';
import { SarifReadError } from '../../src/sarif/read-error.js';

describe('parseCppcheckXml', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<results version="2">
    <cppcheck version="2.10"/>
    <errors>
        <error id="missingIncludeSystem" severity="information" msg="Include file: &lt;stdio.h&gt; not found."/>
        <error id="arrayIndexOutOfBounds" severity="error" msg="Array &apos;a[8]&apos; accessed at index 8, which is &quot;out&quot; of bounds &amp; i>7." verbose="x" cwe="788" file0="s.c">
            <location file="s.c" line="11" column="35" info="Array index out of bounds"/>
            <location file="s.c" line="10" column="23" info="Assuming that condition"/>
        </error>
        <error id="uninitvar" severity="error" msg="Uninitialized variable: x" cwe="457">
            <location file="s.c" line="3" column="12"/>
            <symbol>x</symbol>
        </error>
        <error id="syntaxError" severity="error" msg="syntax error"/>
    </errors>
</results>`;

  it('reads each error at its first location, decoding entities, without informational ids', () => {
    expect(parseCppcheckXml(xml)).toEqual([
      {
        ruleId: 'arrayIndexOutOfBounds',
        cwe: ['CWE-788'],
        message: `Array 'a[8]' accessed at index 8, which is "out" of bounds & i>7.`,
        line: 11,
        severity: 'error',
      },
      { ruleId: 'uninitvar', cwe: ['CWE-457'], message: 'Uninitialized variable: x', line: 3, severity: 'error' },
      { ruleId: 'syntaxError', cwe: [], message: 'syntax error', line: 1, severity: 'error' },
    ]);
  });

  it('reads an empty report as no findings and refuses something that is not a report', () => {
    expect(parseCppcheckXml('<?xml version="1.0"?>\n<results version="2">\n<cppcheck version="2.10"/>\n<errors>\n</errors>\n</results>')).toEqual([]);
    expect(() => parseCppcheckXml('cppcheck: error: unrecognized command line option')).toThrow(AnalyzerOutputError);
  });
});

describe('parseGccDiagnostics', () => {
  const diagnostics = [
    { kind: 'warning', option: '-Wunused-parameter', message: 'unused parameter', locations: [{ caret: { file: 'a.c', line: 12 } }] },
    {
      kind: 'warning',
      option: '-Wanalyzer-double-free',
      message: "double-'free' of 'q'",
      metadata: { cwe: 415 },
      locations: [{ caret: { file: 'a.c', line: 13 } }],
    },
    { kind: 'note', message: "call to 'free' here", locations: [{ caret: { file: 'a.c', line: 12 } }] },
    { kind: 'warning', option: '-Wanalyzer-malloc-leak', message: "leak of 'p'", locations: [{ caret: { file: 'a.c', line: 14 } }] },
    {
      kind: 'warning',
      option: '-Wstringop-overflow=',
      message: 'writing 21 bytes into a region of size 8',
      locations: [{ caret: { file: '/usr/include/x86_64-linux-gnu/bits/string_fortified.h', line: 29 } }],
    },
    {
      kind: 'warning',
      option: '-Wimplicit-function-declaration',
      message: "implicit declaration of function 'g'",
      locations: [{ caret: { file: 'a.c', line: 15 } }],
    },
  ];

  it('keeps analyzer and listed warnings, moves lines back past the prelude, and uses line 1 outside the file', () => {
    expect(parseGccDiagnostics(JSON.stringify(diagnostics), 'a.c', 10)).toEqual([
      { ruleId: '-Wanalyzer-double-free', cwe: ['CWE-415'], message: "double-'free' of 'q'", line: 3, severity: 'warning' },
      { ruleId: '-Wanalyzer-malloc-leak', cwe: ['CWE-401'], message: "leak of 'p'", line: 4, severity: 'warning' },
      { ruleId: '-Wstringop-overflow', cwe: ['CWE-787'], message: 'writing 21 bytes into a region of size 8', line: 1, severity: 'warning' },
    ]);
  });

  it('turns errors into one compile-error finding, even with text after the JSON', () => {
    const stderr = `${JSON.stringify([{ kind: 'fatal error', message: 'x.h: No such file or directory', locations: [{ caret: { file: 'a.c', line: 9 } }] }])}\ncompilation terminated.\n`;
    expect(parseGccDiagnostics(stderr, 'a.c', 8)).toEqual([
      expect.objectContaining({ ruleId: 'compile-error', cwe: [], line: 1, message: expect.stringContaining('x.h: No such file') }),
    ]);
  });

  it('refuses output without JSON', () => {
    expect(() => parseGccDiagnostics('gcc: fatal error: no input files', 'a.c')).toThrow(AnalyzerOutputError);
    expect(parseGccDiagnostics('[]\n', 'a.c')).toEqual([]);
  });
});

describe('readSarifReport', () => {
  const codeql = {
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'CodeQL', rules: [] },
          extensions: [
            {
              name: 'codeql/python-queries',
              rules: [{ id: 'py/sql-injection', properties: { tags: ['security', 'external/cwe/cwe-089'] } }],
            },
          ],
        },
        results: [
          {
            ruleId: 'py/sql-injection',
            rule: { id: 'py/sql-injection', index: 0, toolComponent: { index: 0 } },
            level: 'error',
            message: { text: 'This SQL query depends on a user-provided value.' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'app.py' }, region: { startLine: 7 } } }],
          },
        ],
      },
    ],
  };

  it('reads rule, message, line and the CWEs tagged on rules in extensions', () => {
    expect(readSarifReport(JSON.stringify(codeql), 'codeql.sarif')).toEqual([
      {
        ruleId: 'py/sql-injection',
        message: 'This SQL query depends on a user-provided value.',
        line: 7,
        uri: 'app.py',
        level: 'error',
        cwe: ['CWE-89'],
        tool: 'CodeQL',
      },
    ]);
  });

  it('finds the rule by index when a result has no ruleId', () => {
    const log = {
      runs: [
        {
          tool: { driver: { name: 'clang', rules: [{ id: 'unix.Malloc' }] } },
          results: [{ ruleIndex: 0, message: { text: 'Use of memory after it is freed' } }],
        },
      ],
    };
    expect(readSarifReport(log, 'report.sarif')).toEqual([expect.objectContaining({ ruleId: 'unix.Malloc', line: undefined, cwe: [] })]);
  });

  it('refuses a log that is not SARIF', () => {
    expect(() => readSarifReport('{"runs": 3}', 'report.sarif')).toThrow(SarifReadError);
    expect(() => readSarifReport('not json', 'report.sarif')).toThrow(SarifReadError);
  });

  it('refuses a report with a result the reader dropped: it may be the finding that matters', () => {
    const log = { runs: [{ tool: { driver: { name: 'clang' } }, results: [{ ruleId: 'a', message: { text: 'kept' } }, { ruleId: 'b' }] }] };
    expect(() => readSarifReport(log, 'report.sarif')).toThrow(SarifReadError);
    expect(() => readSarifReport(log, 'report.sarif')).toThrow(/^cannot read SARIF from report\.sarif: runs\[0\]\.results\[1\]: message:/);
  });
});

describe('parseBanditReport', () => {
  it('maps test ids to CWEs, lower-cases severity and shifts lines', () => {
    const report = {
      errors: [],
      results: [
        { test_id: 'B608', issue_text: 'Possible SQL injection', line_number: 3, issue_severity: 'MEDIUM', issue_confidence: 'LOW' },
        { test_id: 'B999', issue_text: 'A plugin we do not know', line_number: 1, issue_severity: 'LOW' },
      ],
    };
    expect(parseBanditReport(JSON.stringify(report), 1)).toEqual([
      { ruleId: 'B608', cwe: ['CWE-89'], message: 'Possible SQL injection', line: 2, severity: 'medium' },
      { ruleId: 'B999', cwe: [], message: 'A plugin we do not know', line: 1, severity: 'low' },
    ]);
  });

  it('refuses output that is not a bandit report', () => {
    expect(() => parseBanditReport('Traceback (most recent call last):')).toThrow(AnalyzerOutputError);
    expect(() => parseBanditReport('{"results": [{"test_id": "B608"}]}')).toThrow(/line_number/);
  });

  it('knows the CWEs of the common tests', () => {
    expect(banditCwes('B605')).toEqual(['CWE-78']);
    expect(banditCwes('b301')).toEqual(['CWE-502']);
    expect(banditCwes('B506')).toContain('CWE-502');
    expect(banditCwes('B307')).toContain('CWE-94');
  });
});

describe('pythonModuleSource', () => {
  it('leaves module-level code alone', () => {
    expect(pythonModuleSource('def f():\n    return 1\n')).toEqual({ source: 'def f():\n    return 1\n', lineOffset: 0 });
  });

  it('removes a method indentation shared by every line', () => {
    expect(pythonModuleSource('    def f(self):\n        return 1\n\n')).toEqual({ source: 'def f(self):\n    return 1\n\n', lineOffset: 0 });
  });

  it('wraps the code in an if block when a string continues left of the first line', () => {
    const code = '    def f(self):\n        return """a\nb"""\n';
    expect(pythonModuleSource(code)).toEqual({ source: `if True:\n${code}`, lineOffset: 1 });
  });
});

describe('helpers', () => {
  it('makes a safe file name from a hint, never a path', () => {
    expect(snippetFileName('app/models/user.py', '.py')).toBe('user.py');
    expect(snippetFileName('../../etc/passwd', '.py')).toBe('passwd.py');
    expect(snippetFileName('C:\\src\\a b;rm -rf.c', '.c')).toBe('a_b_rm_-rf.c');
    expect(snippetFileName('.bashrc', '.py')).toBe('bashrc.py');
    expect(snippetFileName(undefined, '.cpp')).toBe('snippet.cpp');
    expect(snippetFileName('lib.h', '.c')).toBe('lib.h.c');
  });

  it('removes the temp folder after the work, whether it succeeds or throws', async () => {
    let kept = '';
    const text = await withTempDir(async (dir) => {
      kept = dir;
      const path = await writeSource(dir, 'a.py', 'x = 1');
      return readFileSync(path, 'utf8');
    });
    expect(text).toBe('x = 1\n');
    expect(existsSync(kept)).toBe(false);
    await expect(
      withTempDir((dir) => {
        kept = dir;
        throw new Error('tool crashed');
      }),
    ).rejects.toThrow('tool crashed');
    expect(existsSync(kept)).toBe(false);
  });

  it('puts the prelude in front and counts its lines', () => {
    const { source, lineOffset } = withPrelude('int f(void);', 'c', ['stdio.h', 'string.h']);
    expect(source).toBe('#include <stdio.h>\n#include <string.h>\nint f(void);');
    expect(lineOffset).toBe(2);
    expect(withPrelude('x', 'c', [])).toEqual({ source: 'x', lineOffset: 0 });
  });
});
