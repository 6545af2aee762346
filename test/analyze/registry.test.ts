// Choosing analyzers, and what happens when a tool is missing, fails or hangs.
import { describe, expect, it } from 'vitest';
import { BanditAnalyzer } from '../../src/analyze/bandit.js';
import { CodeqlAnalyzer } from '../../src/analyze/codeql.js';
import { CppcheckAnalyzer } from '../../src/analyze/cppcheck.js';
import { AnalyzerFailedError, AnalyzerTimeoutError, UnsupportedLanguageError } from '../../src/analyze/errors.js';
import { GccAnalyzer } from '../../src/analyze/gcc.js';
import { analyzersFor, defaultAnalyzers } from '../../src/analyze/registry.js';
import type { Analyzer } from '../../src/analyze/types.js';
import { C_USE_AFTER_FREE } from './samples.js';

describe('analyzersFor', () => {
  it('picks the installed analyzers for each language', async () => {
    const analyzers = defaultAnalyzers();
    expect((await analyzersFor('python', analyzers)).map((analyzer) => analyzer.name)).toEqual(['bandit']);
    expect((await analyzersFor('c', analyzers)).map((analyzer) => analyzer.name)).toEqual(['cppcheck', 'gcc', 'clang', 'flawfinder']);
    expect((await analyzersFor('cpp', analyzers)).map((analyzer) => analyzer.name)).toEqual(['cppcheck', 'clang', 'flawfinder']);
    // ESLint runs in process; CodeQL is not installed here.
    expect((await analyzersFor('javascript', analyzers)).map((analyzer) => analyzer.name)).toEqual(['eslint']);
    expect((await analyzersFor('typescript', analyzers)).map((analyzer) => analyzer.name)).toEqual(['eslint']);
    expect(await analyzersFor('go', analyzers)).toEqual([]);
  });

  it('leaves out an analyzer whose available() rejects', async () => {
    const broken: Analyzer = {
      name: 'broken',
      languages: ['python'],
      available: () => Promise.reject(new Error('boom')),
      judges: () => false,
      analyze: () => Promise.resolve([]),
    };
    expect(await analyzersFor('python', [broken])).toEqual([]);
  });
});

describe('a missing or failing tool', () => {
  it('is unavailable, without throwing, when the binary does not exist', async () => {
    const cppcheck = new CppcheckAnalyzer({ bin: '/nonexistent/bin/cppcheck' });
    await expect(cppcheck.available()).resolves.toBe(false);
    expect((await cppcheck.availability()).detail).toMatch(/nonexistent/);
    await expect(new GccAnalyzer({ bin: 'no-such-gcc-seccoder' }).available()).resolves.toBe(false);
    await expect(new BanditAnalyzer({ pythons: ['/nonexistent/python3'] }).available()).resolves.toBe(false);
    await expect(new BanditAnalyzer({ runner: '/nonexistent/bandit-runner.py' }).available()).resolves.toBe(false);
  });

  it('throws AnalyzerFailedError from analyze() when the tool is unavailable', async () => {
    const cppcheck = new CppcheckAnalyzer({ bin: '/nonexistent/bin/cppcheck' });
    await expect(cppcheck.analyze({ code: 'int f(void) { return 0; }', language: 'c' })).rejects.toThrow(AnalyzerFailedError);
  });

  it('checks once and caches the answer', async () => {
    const gcc = new GccAnalyzer();
    const first = gcc.availability();
    expect(gcc.availability()).toBe(first);
    await expect(first).resolves.toMatchObject({ ok: true });
  });

  it('throws AnalyzerFailedError when the tool exits with an unexpected code', async () => {
    // `sleep --version` works, so it passes for available; then it rejects cppcheck's options.
    const impostor = new CppcheckAnalyzer({ bin: 'sleep' });
    await expect(impostor.available()).resolves.toBe(true);
    const failure = impostor.analyze({ code: 'int f(void) { return 0; }', language: 'c' });
    await expect(failure).rejects.toThrow(AnalyzerFailedError);
    await expect(failure).rejects.toMatchObject({ exitCode: 1, analyzer: 'cppcheck' });
  });

  it('throws AnalyzerTimeoutError when the tool overruns its time limit', async () => {
    const gcc = new GccAnalyzer({ timeoutMs: 1 });
    await expect(gcc.analyze({ code: C_USE_AFTER_FREE, language: 'c' })).rejects.toThrow(AnalyzerTimeoutError);
  });

  it('refuses a language it does not handle', async () => {
    await expect(new GccAnalyzer().analyze({ code: 'x = 1', language: 'python' })).rejects.toThrow(UnsupportedLanguageError);
  });
});

describe('CodeqlAnalyzer', () => {
  it('is unavailable where the codeql CLI is not installed, and judges nothing', async () => {
    const codeql = new CodeqlAnalyzer({ bin: 'codeql-not-installed-here' });
    await expect(codeql.available()).resolves.toBe(false);
    expect(codeql.judges('CWE-89', 'python')).toBe(false);
    await expect(codeql.analyze({ code: 'x = 1', language: 'python' })).rejects.toThrow(AnalyzerFailedError);
    await expect(codeql.analyze({ code: 'int x;', language: 'c' })).rejects.toThrow(UnsupportedLanguageError);
  });
});
