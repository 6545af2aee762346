// The corpus's gate: suppression comments are findings, analyzers that could not judge do not
// count, any other finding or a failing analyzer keeps the code out. Bandit and the C analyzers
// run for real.
import { describe, expect, it } from 'vitest';
import { BanditAnalyzer } from '../../src/analyze/bandit.js';
import { AnalyzerTimeoutError } from '../../src/analyze/errors.js';
import { defaultAnalyzers } from '../../src/analyze/registry.js';
import { gateCheckedBy, gateProblem, secureGate, suppressionFindings, SUPPRESSION_RULE } from '../../src/analyze/secure-gate.js';
import type { Analyzer, Finding } from '../../src/analyze/types.js';
import type { Language } from '../../src/lang/languages.js';

function fake(name: string, languages: Language[], analyze: () => Promise<Finding[]>): Analyzer {
  return { name, languages, available: () => Promise.resolve(true), judges: () => false, analyze };
}

const SAFE_PY = 'def find(cur, name):\n    cur.execute("SELECT id FROM users WHERE name = ?", (name,))\n    return cur.fetchone()\n';

describe('suppressionFindings', () => {
  it('finds each kind of comment that silences an analyzer, on its line', () => {
    const silenced: [string, string][] = [
      ['# nosec', '    cur.execute(f"CREATE DATABASE {db}")  # nosec'],
      ['# nosec', '    run(cmd)  # nosec B602'],
      ['# nosec', '\tcmd := exec.Command(name) // #nosec G204'],
      ['# noqa', '    eval(expr)  # noqa: S307'],
      ['# noqa', '    eval(expr)  # noqa: E501, S307'],
      ['# noqa', '    eval(expr)  # noqa'],
      ['// NOLINT', '  strcpy(dst, src); // NOLINT(clang-analyzer-security.insecureAPI.strcpy)'],
      ['// NOLINT', '  // NOLINTNEXTLINE'],
      ['//nolint', '\tdb.Query(q) //nolint:gosec'],
      ['// eslint-disable', '  // eslint-disable-next-line security/detect-eval-with-expression'],
      ['// eslint-disable', '  /* eslint-disable no-eval */'],
      ['cppcheck-suppress', '  /* cppcheck-suppress bufferAccessOutOfBounds */'],
      ['cppcheck-suppress', '  // cppcheck-suppress nullPointer'],
      ['#pragma warning(disable)', '#pragma warning(disable: 4996)'],
      ['#pragma diagnostic ignored', '#pragma GCC diagnostic ignored "-Wformat-security"'],
      ['#pragma suppress', '#pragma prefast(suppress : 30030)'],
      ['NOSONAR', 'void f() { // NOSONAR'],
      ['nosemgrep', '    os.system(cmd)  # nosemgrep'],
      ['codeql[...]', '    os.system(cmd)  # codeql[py/command-line-injection]'],
      ['codeql[...]', '  eval(x); // lgtm[js/code-injection]'],
      ['Flawfinder: ignore', '  strcpy(a, b); /* Flawfinder: ignore */'],
      ['rubocop:disable Security', '  # rubocop:disable Security/YAMLLoad'],
    ];
    for (const [name, line] of silenced) {
      const findings = suppressionFindings(`def f():\n${line}\n`);
      expect(findings, line).toEqual([
        { ruleId: SUPPRESSION_RULE, cwe: [], message: expect.stringContaining(`${name} on line 2`), line: 2, severity: 'error' },
      ]);
    }
  });

  it('leaves alone what silences nothing', () => {
    const harmless = [
      "    response.setHeader('Pragma', 'no-cache')",
      '    x = 1  # noqa: E501',
      '    # rubocop:disable Style/GuardClause',
      '#pragma once',
      '  int nosecurity = 0;',
      '    return "lint this"',
    ];
    for (const line of harmless) expect(suppressionFindings(line), line).toEqual([]);
  });
});

describe('secureGate', () => {
  it('passes code bandit finds nothing in, and says what checked it', async () => {
    const verdict = await secureGate({ code: SAFE_PY, language: 'python', fileName: 'db.py' }, defaultAnalyzers());
    expect(verdict).toMatchObject({ passed: true, findings: [], ran: ['bandit'], notJudged: [] });
    expect(gateProblem(verdict)).toBeUndefined();
    expect(gateCheckedBy(verdict, 'python')).toBe('no finding from bandit');
  });

  it('keeps out code bandit flags, naming the rule, its CWE and the line', async () => {
    const code = 'def find(cur, name):\n    cur.execute("SELECT id FROM users WHERE name = \'" + name + "\'")\n';
    const verdict = await secureGate({ code, language: 'python' }, [new BanditAnalyzer()]);
    expect(verdict.passed).toBe(false);
    expect(gateProblem(verdict)).toBe('analyzer bandit reports B608 (CWE-89) on line 2');
  });

  it('keeps out a `# nosec` even where bandit (run with --ignore-nosec) finds nothing, without running the tools', async () => {
    const code = 'def create(cursor, db):\n    cursor.execute(f"CREATE DATABASE {db}")  # nosec\n';
    let ran = false;
    const spy = fake('spy', ['python'], () => {
      ran = true;
      return Promise.resolve([]);
    });
    const verdict = await secureGate({ code, language: 'python' }, [spy]);
    expect(ran).toBe(false);
    expect(verdict.findings.map((finding) => [finding.analyzer, finding.ruleId, finding.line])).toEqual([['seccoder', SUPPRESSION_RULE, 2]]);
    expect(gateProblem(verdict)).toMatch(
      /^# nosec on line 2 silences an analyzer: `cursor\.execute\(f"CREATE DATABASE \{db\}"\) {2}# nosec` \(suppression-comment: /,
    );
    // The scan runs before any analyzer, and for languages without one.
    const js = await secureGate(
      { code: 'function f(x) {\n  // eslint-disable-next-line no-eval\n  return eval(x);\n}\n', language: 'javascript' },
      defaultAnalyzers(),
    );
    expect(js.passed).toBe(false);
    const go = await secureGate({ code: 'func f() int {\n\treturn 1\n}\n', language: 'go' }, defaultAnalyzers());
    expect(go.passed).toBe(true);
    expect(gateCheckedBy(go, 'go')).toBe('no analyzer for go is installed; only the suppression-comment check ran');
  });

  it('keeps out a JavaScript or TypeScript function ESLint flags (eval, an innerHTML write, a built shell command), and passes the clean form', async () => {
    const flagged: [Language, string, RegExp][] = [
      [
        'javascript',
        'function run(userInput) {\n  return eval(userInput);\n}\n',
        /^analyzer eslint reports (no-eval|security\/detect-eval-with-expression) \(CWE-95, CWE-94\) on line 2$/,
      ],
      [
        'typescript',
        'function show(el: HTMLElement, userInput: string): void {\n  el.innerHTML = userInput;\n}\n',
        /^analyzer eslint reports \S+ \(CWE-79\) on line 2$/,
      ],
      [
        'javascript',
        "function list(userInput) {\n  child_process.exec('ls ' + userInput);\n}\n",
        /^analyzer eslint reports security\/detect-child-process \(CWE-78\) on line 2$/,
      ],
    ];
    for (const [language, code, problem] of flagged) {
      const verdict = await secureGate({ code, language }, defaultAnalyzers());
      expect(verdict.passed, code).toBe(false);
      expect(verdict.ran).toEqual(['eslint']);
      expect(gateProblem(verdict)).toMatch(problem);
    }
    const clean = await secureGate(
      { code: 'function show(el, userInput) {\n  el.textContent = userInput;\n}\n', language: 'javascript', fileName: 'show.js' },
      defaultAnalyzers(),
    );
    expect(clean).toMatchObject({ passed: true, findings: [], ran: ['eslint'], notJudged: [] });
    expect(gateCheckedBy(clean, 'javascript')).toBe('no finding from eslint');
    // Code ESLint cannot parse is no verdict against it.
    const unparsable = await secureGate({ code: 'function broken(x {\n  return x;\n}\n', language: 'javascript' }, defaultAnalyzers());
    expect(unparsable).toMatchObject({ passed: true, notJudged: ['eslint'] });
  });

  it('does not count what an analyzer could not judge (a lone C function without its headers), and counts the rest', async () => {
    // memcpy, not strcpy: flawfinder flags every strcpy from a non-constant, checked or not.
    const code =
      'int set_name(struct session *s, const char *name) {\n  if (strlen(name) >= MAX_NAME) return -1;\n  memcpy(s->name, name, strlen(name) + 1);\n  return 0;\n}\n';
    const verdict = await secureGate({ code, language: 'c', fileName: 'session.c' }, defaultAnalyzers());
    expect(verdict.passed).toBe(true);
    expect(verdict.ran).toEqual(['cppcheck', 'gcc', 'clang', 'flawfinder']);
    expect(verdict.notJudged).toEqual(expect.arrayContaining(['gcc']));
    expect(gateCheckedBy(verdict, 'c')).toMatch(/gcc.* could not judge it alone/);

    const notJudged = fake('tool', ['c'], () => Promise.resolve([{ ruleId: 'syntaxError', cwe: [], message: 'cannot parse', line: 1 }]));
    expect((await secureGate({ code, language: 'c' }, [notJudged])).passed).toBe(true);
    const refused = fake('tool', ['c'], () => Promise.resolve([{ ruleId: 'unsafe-include', cwe: [], message: 'refused', line: 1 }]));
    expect(gateProblem(await secureGate({ code, language: 'c' }, [refused]))).toBe('analyzer tool reports unsafe-include on line 1');
  });

  it('keeps out code an analyzer failed on: no verdict is no pass', async () => {
    const hanging = fake('slow', ['python'], () => Promise.reject(new AnalyzerTimeoutError('slow', ['slow', 'x.py'], 10)));
    const verdict = await secureGate({ code: SAFE_PY, language: 'python' }, [hanging]);
    expect(verdict.passed).toBe(false);
    expect(gateProblem(verdict)).toMatch(/^analyzer slow failed: slow did not finish within 10 ms/);
  });
});
