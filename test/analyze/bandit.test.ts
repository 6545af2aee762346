// Bandit run for real (scripts/install-analyzers.sh installs it): the wrapper's fix for Python 3.8+
// string checks, the CWE table, indented methods and unparsable code.
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BanditAnalyzer } from '../../src/analyze/bandit.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import { PY_COMMAND, PY_COMMAND_FIXED, PY_PICKLE, PY_SQLI, PY_SQLI_FIXED, PY_SQLI_METHOD } from './samples.js';

const bandit = new BanditAnalyzer();
const tempDir = useTempDirs();
const analyze = (code: string) => bandit.analyze({ code, language: 'python', fileName: 'app/db.py' });

beforeAll(async () => {
  const state = await bandit.availability();
  expect(state.ok, `bandit is not usable here: ${state.detail}. Run scripts/install-analyzers.sh`).toBe(true);
});

describe('BanditAnalyzer (real bandit)', () => {
  it('finds SQL built with % formatting as B608, CWE-89', async () => {
    const findings = await analyze(PY_SQLI);
    const sqli = findings.filter((finding) => finding.ruleId === 'B608');
    expect(sqli).toHaveLength(1);
    expect(sqli[0]).toMatchObject({ cwe: ['CWE-89'], line: 2, severity: 'medium' });
    expect(sqli[0]?.message).toMatch(/SQL injection/);
  });

  it('finds nothing in the parameterized fix', async () => {
    expect(await analyze(PY_SQLI_FIXED)).toEqual([]);
  });

  it('analyzes a method that keeps its class indentation, multi-line string and all', async () => {
    const findings = await analyze(PY_SQLI_METHOD);
    expect(findings.map((finding) => finding.ruleId)).toEqual(['B608']);
    // Lines are the method's own, even though it was wrapped to parse.
    expect(findings[0]?.line).toBeGreaterThanOrEqual(2);
    expect(findings[0]?.line).toBeLessThanOrEqual(3);
  });

  it('ignores # nosec, so a rewrite cannot hide what it adds', async () => {
    const hidden = PY_SQLI.replace('% name)', '% name)  # nosec');
    expect(hidden).toContain('# nosec');
    expect((await analyze(hidden)).map((finding) => finding.ruleId)).toEqual(['B608']);
  });

  it('reports os.system with a concatenated command as CWE-78', async () => {
    const findings = await analyze(PY_COMMAND);
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'B605', cwe: ['CWE-78'], line: 2, severity: 'high' })]);
  });

  it('does not count the argument-list subprocess fix as a new command injection', async () => {
    expect(await analyze(PY_COMMAND_FIXED)).toEqual([]);
    // With every test on, bandit's audit notes (B603, B607) flag the fix itself.
    const strict = new BanditAnalyzer({ skip: [] });
    const notes = await strict.analyze({ code: PY_COMMAND_FIXED, language: 'python' });
    expect(notes.map((finding) => finding.ruleId).sort()).toEqual(['B603', 'B607']);
  });

  it('reports pickle.loads as CWE-502', async () => {
    const findings = await analyze(PY_PICKLE);
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'B301', cwe: ['CWE-502'], line: 2 })]);
  });

  it('turns code bandit cannot parse into a syntax-error finding, not an empty list', async () => {
    const findings = await analyze('def broken(:\n    pass\n');
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'syntax-error', cwe: [] })]);
  });

  it('judges the CWEs its checks cover, their parents and children in the CWE hierarchy, and only for Python', () => {
    expect(bandit.judges('CWE-89', 'python')).toBe(true);
    expect(bandit.judges('CWE-77', 'python')).toBe(true); // the parent of CWE-78
    expect(bandit.judges('CWE-259', 'python')).toBe(true);
    expect(bandit.judges('CWE-776', 'python')).toBe(true); // B313-B320 report entity expansion besides XXE
    expect(bandit.judges('CWE-79', 'python')).toBe(false);
    expect(bandit.judges('CWE-74', 'python')).toBe(false); // too broad: the parent of CWE-77, CWE-79, CWE-94, ...
    expect(bandit.judges('CWE-89', 'javascript')).toBe(false);
  });

  // The reason bandit-runner.py exists: Debian's bandit 1.6.2 on Python 3.8+ never runs B608.
  it('finds B608 only through the wrapper when the installed bandit is 1.6.x', async () => {
    const version = await execa('bandit', ['--version'], { reject: false });
    if (!/bandit 1\.6\./.test(String(version.stdout))) return;
    const file = join(tempDir(), 'db.py');
    writeFileSync(file, PY_SQLI);
    const plain = await execa('bandit', ['-f', 'json', '-q', file], { reject: false });
    const ids = (JSON.parse(String(plain.stdout)) as { results: { test_id: string }[] }).results.map((result) => result.test_id);
    expect(ids).not.toContain('B608');
  });
});
