// Flawfinder run for real (scripts/install-analyzers.sh installs it).
import { beforeAll, describe, expect, it } from 'vitest';
import { compareFindings } from '../../src/analyze/compare-findings.js';
import { AnalyzerFailedError, AnalyzerOutputError, UnsupportedLanguageError } from '../../src/analyze/errors.js';
import { csvRecords, FlawfinderAnalyzer, parseFlawfinderCsv } from '../../src/analyze/flawfinder.js';
import { secureGate } from '../../src/analyze/secure-gate.js';

const flawfinder = new FlawfinderAnalyzer();

const UNSAFE = `int log_visit(char *out, const char *name, const char *cmd) {
    char buf[32];
    strcpy(buf, name);
    sprintf(out, "visit: %s", buf);
    return system(cmd);
}
`;

/** The same function with bounded copies and no shell. */
const SAFER = `int log_visit(char *out, size_t size, const char *name) {
    char buf[32];
    snprintf(buf, sizeof buf, "%s", name);
    snprintf(out, size, "visit: %s", buf);
    return 0;
}
`;

beforeAll(async () => {
  const state = await flawfinder.availability();
  expect(state.ok, `flawfinder is not usable here: ${state.detail}. Run scripts/install-analyzers.sh`).toBe(true);
});

describe('FlawfinderAnalyzer (real flawfinder)', () => {
  it('finds strcpy, sprintf and system, each with its CWE and 1-based line', async () => {
    const findings = await flawfinder.analyze({ code: UNSAFE, language: 'c' });
    expect([...findings].sort((a, b) => a.line - b.line)).toEqual([
      expect.objectContaining({ ruleId: 'buffer/strcpy', cwe: ['CWE-120'], line: 3, severity: 'error' }),
      expect.objectContaining({ ruleId: 'buffer/sprintf', cwe: ['CWE-120'], line: 4, severity: 'error' }),
      expect.objectContaining({ ruleId: 'shell/system', cwe: ['CWE-78'], line: 5, severity: 'error' }),
    ]);
  });

  it('finds fewer in the safer version, and the gate sees strcpy/sprintf/system added to it', async () => {
    const safer = await flawfinder.analyze({ code: SAFER, language: 'c' });
    const unsafe = await flawfinder.analyze({ code: UNSAFE, language: 'c' });
    expect(safer.length).toBeLessThan(unsafe.length);
    expect(compareFindings(safer, unsafe).added.map((finding) => finding.ruleId)).toEqual(
      expect.arrayContaining(['buffer/strcpy', 'buffer/sprintf', 'shell/system']),
    );
  });

  it('keeps hits below the minimum level out: the default 4 drops getenv (3) and char arrays (2)', async () => {
    const code = 'const char *home(void) {\n    char buf[16];\n    return getenv("HOME");\n}\n';
    expect(await flawfinder.analyze({ code, language: 'c' })).toEqual([]);
    const low = await new FlawfinderAnalyzer({ minLevel: 2 }).analyze({ code, language: 'c' });
    expect(low.map((finding) => [finding.ruleId, finding.cwe, finding.line])).toEqual(
      expect.arrayContaining([
        ['buffer/getenv', ['CWE-807', 'CWE-20'], 3],
        ['buffer/char', ['CWE-119', 'CWE-120'], 2],
      ]),
    );
  });

  it('does not let a "Flawfinder: ignore" comment hide a hit', async () => {
    const code = 'int run(const char *cmd) {\n    return system(cmd); /* Flawfinder: ignore */\n}\n';
    expect(await flawfinder.analyze({ code, language: 'c' })).toEqual([expect.objectContaining({ ruleId: 'shell/system', line: 2 })]);
  });

  it('reads C++ and code that does not compile alone', async () => {
    const code = 'void Logger::write(const std::string &line) {\n    char out[LOG_MAX];\n    std::sprintf(out, fmt_, line.c_str());\n}\n';
    const findings = await flawfinder.analyze({ code, language: 'cpp', fileName: 'src/logger.cc' });
    // A format that is not a literal is flawfinder's format-string rule, not its overflow one.
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'format/sprintf', cwe: ['CWE-134'], line: 3 })]);
  });

  it('refuses an include of a file that is not a standard header, like the other C analyzers', async () => {
    const code = '#include "/etc/passwd"\nint f(char *s) { strcpy(s, s + 1); return 0; }\n';
    expect(await flawfinder.analyze({ code, language: 'c' })).toEqual([expect.objectContaining({ ruleId: 'unsafe-include', line: 1 })]);
  });

  it('keeps a checked strcpy out of the corpus: the price of a pattern matcher in the gate', async () => {
    const code = 'int set_name(struct session *s, const char *name) {\n  if (strlen(name) >= MAX_NAME) return -1;\n  strcpy(s->name, name);\n  return 0;\n}\n';
    const verdict = await secureGate({ code, language: 'c' }, [flawfinder]);
    expect(verdict.passed).toBe(false);
    expect(verdict.findings).toEqual([expect.objectContaining({ analyzer: 'flawfinder', ruleId: 'buffer/strcpy', line: 3 })]);
  });

  it('judges no CWE: its silence proves nothing', () => {
    expect(flawfinder.judges('CWE-120', 'c')).toBe(false);
    expect(flawfinder.judges('CWE-78', 'cpp')).toBe(false);
  });
});

describe('parseFlawfinderCsv', () => {
  const header = 'File,Line,Column,DefaultLevel,Level,Category,Name,Warning,Suggestion,Note,CWEs,Context,Fingerprint,ToolVersion,RuleId,HelpUri';

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(csvRecords('a,"b, ""c""",d\r\n"e\nf",,\r\n')).toEqual([
      ['a', 'b, "c"', 'd'],
      ['e\nf', '', ''],
    ]);
  });

  it('maps a row to a finding and keeps the CWEs of "CWE-119!/CWE-120"', () => {
    const row =
      'x.c,2,3,2,2,buffer,char,"Statically-sized arrays (CWE-119!/CWE-120).",Check bounds.,,CWE-119!/CWE-120,"  char a[2], b;",ab,2.0.19,FF1013,https://cwe.mitre.org';
    expect(parseFlawfinderCsv(`${header}\r\n${row}\r\n`, 0)).toEqual([
      { ruleId: 'buffer/char', cwe: ['CWE-119', 'CWE-120'], message: 'Statically-sized arrays (CWE-119!/CWE-120). Check bounds.', line: 2, severity: 'note' },
    ]);
    expect(parseFlawfinderCsv(`${header}\r\n${row}\r\n`, 3)).toEqual([]);
  });

  it('reads a header alone as no findings, and refuses output that is not its CSV', () => {
    expect(parseFlawfinderCsv(`${header}\r\n`)).toEqual([]);
    expect(() => parseFlawfinderCsv('Error: failed to open x.c\n')).toThrow(AnalyzerOutputError);
    expect(() => parseFlawfinderCsv(`${header}\r\nx.c,two,3,4,4,buffer,strcpy,w,,,CWE-120,"  strcpy(a, b);",f,2.0.19,FF1001,u\r\n`)).toThrow(
      /Line: .*; it began: x\.c,two,3,4,4,buffer,strcpy,w,,,CWE-120,f,/,
    );
  });
});

describe('a missing flawfinder', () => {
  it('is unavailable without throwing, and analyze() throws AnalyzerFailedError', async () => {
    const missing = new FlawfinderAnalyzer({ bin: '/nonexistent/bin/flawfinder' });
    await expect(missing.available()).resolves.toBe(false);
    expect((await missing.availability()).detail).toMatch(/nonexistent/);
    await expect(missing.analyze({ code: UNSAFE, language: 'c' })).rejects.toThrow(AnalyzerFailedError);
  });

  it('refuses other languages and a minimum level outside 0–5', async () => {
    await expect(flawfinder.analyze({ code: 'x = 1', language: 'python' })).rejects.toThrow(UnsupportedLanguageError);
    expect(() => new FlawfinderAnalyzer({ minLevel: 6 })).toThrow(RangeError);
  });
});
