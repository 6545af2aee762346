// ESLint run for real, in process, with eslint-plugin-security, eslint-plugin-no-unsanitized and
// @microsoft/eslint-plugin-sdl: for each CWE it judges, a vulnerable JavaScript, TypeScript and
// TSX/JSX function with a finding and its fix without one; the rule → CWE table against what the
// plugins export; TypeScript-only syntax, methods, syntax errors, directive comments, and module
// names a lone function uses without declaring them.
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { EslintAnalyzer } from '../../src/analyze/eslint.js';
import { ESLINT_JUDGED_CWES, ESLINT_RULE_CWES, ESLINT_RULES_LEFT_OUT, eslintCwes } from '../../src/analyze/eslint-cwe.js';
import { ESLINT_PLUGINS } from '../../src/analyze/eslint-rules.js';
import { AnalyzerFailedError, UnsupportedLanguageError } from '../../src/analyze/errors.js';
import { NOT_ANALYZED_RULES, REFUSED_RULES, type Finding } from '../../src/analyze/types.js';
import type { Language } from '../../src/lang/languages.js';

const eslint = new EslintAnalyzer();
const analyze = (code: string, language: Language = 'javascript', fileName?: string) => eslint.analyze({ code, language, ...(fileName ? { fileName } : {}) });
const rules = (findings: readonly Finding[]) => [...new Set(findings.map((finding) => finding.ruleId))].sort();

beforeAll(async () => {
  const state = await eslint.availability();
  expect(state.ok, `eslint is not usable here: ${state.detail}. Run npm ci`).toBe(true);
  expect(state.detail).toMatch(/^ESLint 9\./);
});

/** For each judged CWE: vulnerable and fixed functions in JavaScript, TypeScript and TSX/JSX. */
const CASES: { cwe: string; language: Language; fileName: string; vulnerable: string; fixed: string; rules: string[] }[] = [
  {
    cwe: 'CWE-79',
    language: 'javascript',
    fileName: 'static/greet.js',
    vulnerable: `function greet(name) {\n  document.getElementById('greeting').innerHTML = 'Hello ' + name;\n}`,
    fixed: `function greet(name) {\n  document.getElementById('greeting').textContent = 'Hello ' + name;\n}`,
    rules: ['@microsoft/sdl/no-inner-html', 'no-unsanitized/property'],
  },
  {
    cwe: 'CWE-79',
    language: 'javascript',
    fileName: 'menu.js',
    vulnerable: `function setLanguageOptions() {\n  var href = document.location.href;\n  var deflt = href.substring(href.indexOf('default=') + 8);\n  document.write('<OPTION value=1>' + deflt + '</OPTION>');\n}`,
    fixed: `function setLanguageOptions(select) {\n  var href = document.location.href;\n  var option = document.createElement('option');\n  option.value = '1';\n  option.textContent = href.substring(href.indexOf('default=') + 8);\n  select.appendChild(option);\n}`,
    rules: ['@microsoft/sdl/no-document-write', 'no-unsanitized/method'],
  },
  {
    cwe: 'CWE-79',
    language: 'typescript',
    fileName: 'src/render.ts',
    vulnerable: `function render(el: HTMLElement, html: string): void {\n  el.insertAdjacentHTML('beforeend', html);\n}`,
    fixed: `function render(el: HTMLElement, html: string): void {\n  el.append(document.createTextNode(html));\n}`,
    rules: ['@microsoft/sdl/no-inner-html', 'no-unsanitized/method'],
  },
  {
    cwe: 'CWE-79',
    language: 'typescript',
    fileName: 'src/Banner.tsx',
    vulnerable: `export function Banner({ html }: { html: string }) {\n  const ref = useRef<HTMLDivElement>(null);\n  useEffect(() => {\n    ref.current!.innerHTML = html;\n  }, [html]);\n  return <div ref={ref} className="banner" />;\n}`,
    fixed: `export function Banner({ html }: { html: string }) {\n  return <div className="banner">{html}</div>;\n}`,
    rules: ['@microsoft/sdl/no-inner-html', 'no-unsanitized/property'],
  },
  {
    cwe: 'CWE-79',
    language: 'javascript',
    fileName: 'Comment.jsx',
    vulnerable: `function Comment({ text }) {\n  const body = document.querySelector('#body');\n  body.outerHTML = text;\n  return <p>{text}</p>;\n}`,
    fixed: `function Comment({ text }) {\n  return <p>{text}</p>;\n}`,
    rules: ['@microsoft/sdl/no-inner-html', 'no-unsanitized/property'],
  },
  {
    cwe: 'CWE-95',
    language: 'javascript',
    fileName: 'calc.js',
    vulnerable: `function calculate(expression) {\n  return eval(expression);\n}`,
    fixed: `function calculate(expression) {\n  return Number.parseFloat(expression);\n}`,
    rules: ['no-eval', 'security/detect-eval-with-expression'],
  },
  {
    cwe: 'CWE-94',
    language: 'typescript',
    fileName: 'rules.ts',
    vulnerable: `function compile<T>(body: string): (input: T) => boolean {\n  return new Function('input', body) as (input: T) => boolean;\n}`,
    fixed: `function compile<T extends Record<string, unknown>>(field: keyof T): (input: T) => boolean {\n  return (input) => Boolean(input[field]);\n}`,
    rules: ['no-new-func'],
  },
  {
    cwe: 'CWE-95',
    language: 'typescript',
    fileName: 'Timer.tsx',
    vulnerable: `export const Timer = ({ code }: { code: string }) => {\n  setTimeout('run(' + code + ')', 100);\n  return <span>{code}</span>;\n};`,
    fixed: `export const Timer = ({ code }: { code: string }) => {\n  setTimeout(() => run(code), 100);\n  return <span>{code}</span>;\n};`,
    rules: ['no-implied-eval'],
  },
  {
    cwe: 'CWE-338',
    language: 'javascript',
    fileName: 'password.js',
    vulnerable: `function generate_random_password() {\n  var password = Math.floor(Math.random() * 1000000000);\n  return password;\n}`,
    fixed: `function generate_random_password() {\n  var password = crypto.randomInt(1000000000);\n  return password;\n}`,
    rules: ['@microsoft/sdl/no-insecure-random'],
  },
  {
    cwe: 'CWE-338',
    language: 'typescript',
    fileName: 'token.ts',
    vulnerable: `export function sessionToken(bytes: number = 16): string {\n  return crypto.pseudoRandomBytes(bytes).toString('hex');\n}`,
    fixed: `export function sessionToken(bytes: number = 16): string {\n  return crypto.randomBytes(bytes).toString('hex');\n}`,
    rules: ['@microsoft/sdl/no-insecure-random', 'security/detect-pseudoRandomBytes'],
  },
];

describe('EslintAnalyzer (real ESLint and plugins)', () => {
  describe.each(CASES)('$cwe in $fileName', ({ cwe, language, fileName, vulnerable, fixed, rules: expected }) => {
    it('has findings of that CWE before, from the expected rules', async () => {
      const findings = await analyze(vulnerable, language, fileName);
      expect(rules(findings)).toEqual(expected);
      expect(findings.every((finding) => finding.cwe.includes(cwe) || finding.cwe.some((id) => ['CWE-94', 'CWE-95'].includes(id)))).toBe(true);
      expect(eslint.judges(cwe, language)).toBe(true);
    });

    it('has none after the fix', async () => {
      expect(await analyze(fixed, language, fileName)).toEqual([]);
    });
  });

  it('reports the line within the function and an error severity', async () => {
    const findings = await analyze(`function run(code) {\n  const x = 1;\n  return eval(code) + x;\n}`);
    expect(findings).toContainEqual({ ruleId: 'no-eval', cwe: ['CWE-95', 'CWE-94'], message: 'eval can be harmful.', line: 3, severity: 'error' });
  });

  it('reads TypeScript-only syntax without a syntax error', async () => {
    const code = `export async function load<T extends { id: string }>(this: Store, ids: readonly T['id'][], opts?: Partial<Options>): Promise<Map<string, T>> {
  enum Mode { Fast = 'fast', Safe = 'safe' }
  interface Row { id: string; value?: number }
  type Key = keyof Row;
  const mode = (opts?.mode ?? Mode.Safe) satisfies Mode;
  const rows = <Row[]>(await this.db!.fetch(ids as string[], mode));
  const key: Key = 'id';
  abstract class Base { protected abstract name: string; }
  return new Map(rows.map((row): [string, T] => [row[key], row as unknown as T]));
}`;
    expect(await analyze(code, 'typescript', 'store.ts')).toEqual([]);
    // Without a file name the angle-bracket cast still reads as TypeScript, not JSX.
    expect(await analyze(code, 'typescript')).toEqual([]);
  });

  it("reads a method alone, inside a class, with its decorators, and an object member; lines stay the function's own", async () => {
    const method = `  @Get(':id')\n  public async show(@Param('id') id: string): Promise<void> {\n    this.view.innerHTML = id;\n  }`;
    const found = await analyze(method, 'typescript', 'controller.ts');
    expect(rules(found)).toEqual(['@microsoft/sdl/no-inner-html', 'no-unsanitized/property']);
    expect(found.every((finding) => finding.line === 3)).toBe(true);
    const member = `  onMessage: function (event) {\n    return eval(event.data);\n  },`;
    expect((await analyze(member)).map((finding) => [finding.ruleId, finding.line])).toEqual([
      ['security/detect-eval-with-expression', 2],
      ['no-eval', 2],
    ]);
  });

  it('reads sloppy-mode JavaScript that does not parse as a module', async () => {
    const code = `function legacy(obj, html) {\n  with (obj) {\n    el.innerHTML = html;\n  }\n  return 010;\n}`;
    expect(rules(await analyze(code))).toEqual(['@microsoft/sdl/no-inner-html', 'no-unsanitized/property']);
  });

  it('turns code that parses in no way into one syntax-error finding, which means "not analyzed"', async () => {
    const findings = await analyze('function broken(x {\n  return x;\n}');
    expect(findings).toEqual([
      { ruleId: 'syntax-error', cwe: [], message: expect.stringMatching(/^eslint could not parse the code: Parsing error/), line: 1, severity: 'error' },
    ]);
    expect(NOT_ANALYZED_RULES.has('syntax-error')).toBe(true);
    const ts = await analyze('function f(x: number): string {\n  return x +;\n}', 'typescript', 'f.ts');
    expect(ts).toEqual([expect.objectContaining({ ruleId: 'syntax-error', line: 2 })]);
    // TypeScript is not JavaScript: a type annotation in a .js function does not parse.
    expect(rules(await analyze('function f(x: number) { return x; }', 'javascript', 'f.js'))).toEqual(['syntax-error']);
  });

  it('ignores directive comments, and reports each as a refusal, so a rewrite cannot silence a rule', async () => {
    const code = `function run(input) {\n  // eslint-disable-next-line no-eval, security/detect-eval-with-expression\n  return eval(input); /* eslint-disable-line */\n}`;
    const findings = await analyze(code);
    expect(rules(findings)).toEqual(['analyzer-suppression', 'no-eval', 'security/detect-eval-with-expression']);
    expect(findings.filter((finding) => finding.ruleId === 'analyzer-suppression').map((finding) => finding.line)).toEqual([2, 3]);
    expect(REFUSED_RULES.has('analyzer-suppression')).toBe(true);
  });

  describe('module names a lone function uses without declaring them', () => {
    it('binds child_process, so exec with a built command is found (CWE-78)', async () => {
      const code = `function listFiles(userInput) {\n  child_process.exec('ls ' + userInput, (err, out) => console.log(out));\n}`;
      expect(await analyze(code)).toEqual([
        {
          ruleId: 'security/detect-child-process',
          cwe: ['CWE-78'],
          message: 'Found child_process.exec() with non Literal first argument',
          line: 2,
          severity: 'error',
        },
      ]);
      expect(await analyze(code.replace("exec('ls ' + userInput,", "execFile('ls', [userInput],"))).toEqual([]);
      expect(rules(await analyze(`async function count(file: string) {\n  return cp.exec(\`wc -l \${file}\`);\n}`, 'typescript'))).toEqual([
        'security/detect-child-process',
      ]);
    });

    it('binds fs, so a file name from a variable is found (CWE-22)', async () => {
      const findings = await analyze(`function readUpload(name) {\n  return fs.readFileSync('/srv/uploads/' + name);\n}`);
      expect(findings).toEqual([expect.objectContaining({ ruleId: 'security/detect-non-literal-fs-filename', cwe: ['CWE-22'], line: 2 })]);
      expect(await analyze(`function readConfig() {\n  return fs.readFileSync('/etc/app.json', 'utf8');\n}`)).toEqual([]);
    });

    it('leaves a name the code declares itself alone', async () => {
      const code = `function run(cmd) {\n  const cp = { exec: (c) => c.length };\n  return cp.exec(cmd);\n}`;
      expect(await analyze(code)).toEqual([]);
    });

    it('still sees a require inside the function itself', async () => {
      const code = `function run(cmd) {\n  require('child_process').exec(cmd);\n}`;
      expect(rules(await analyze(code))).toEqual(['security/detect-child-process']);
    });
  });

  it('does not look at SQL built from strings (CWE-89), and does not judge it', async () => {
    const code = `function find(db, id) {\n  return db.query("SELECT * FROM users WHERE id = '" + id + "'");\n}`;
    expect(await analyze(code)).toEqual([]);
    expect(eslint.judges('CWE-89', 'javascript')).toBe(false);
  });

  it('judges only the CWEs a rule decides, and only for JavaScript and TypeScript', () => {
    expect([...ESLINT_JUDGED_CWES].sort()).toEqual(['CWE-330', 'CWE-338', 'CWE-79', 'CWE-94', 'CWE-95']);
    expect(eslint.judgedCwes).toEqual([...ESLINT_JUDGED_CWES]);
    for (const cwe of ['CWE-79', 'CWE-94', 'CWE-95', 'CWE-338']) {
      expect(eslint.judges(cwe, 'javascript')).toBe(true);
      expect(eslint.judges(cwe, 'typescript')).toBe(true);
      expect(eslint.judges(cwe, 'python')).toBe(false);
    }
    // Their rules run, but their silence proves nothing.
    for (const cwe of ['CWE-78', 'CWE-22', 'CWE-89', 'CWE-1333', 'CWE-319', 'CWE-208', 'CWE-352', 'CWE-915', 'CWE-116', 'CWE-916']) {
      expect(eslint.judges(cwe, 'javascript'), cwe).toBe(false);
    }
  });

  it('refuses a language it does not handle', async () => {
    await expect(eslint.analyze({ code: 'x = 1', language: 'python' })).rejects.toThrow(UnsupportedLanguageError);
  });

  it('is unavailable, without throwing, when ESLint or a plugin does not load, and then analyze() throws', async () => {
    const broken = new EslintAnalyzer({ load: () => Promise.reject(new Error("Cannot find package 'eslint-plugin-security'")) });
    await expect(broken.available()).resolves.toBe(false);
    expect((await broken.availability()).detail).toMatch(/eslint-plugin-security/);
    await expect(broken.analyze({ code: 'eval(x)', language: 'javascript' })).rejects.toThrow(AnalyzerFailedError);
  });
});

describe('the rule → CWE table', () => {
  const require = createRequire(import.meta.url);
  /** Every rule each plugin exports, by its package's own entry point, under the prefix our table uses. */
  const exported = (): string[] => {
    const plugins: [string, string][] = [
      ['security', 'eslint-plugin-security'],
      ['no-unsanitized', 'eslint-plugin-no-unsanitized'],
      ['@microsoft/sdl', '@microsoft/eslint-plugin-sdl'],
    ];
    return plugins.flatMap(([prefix, pkg]) => Object.keys((require(pkg) as { rules: Record<string, unknown> }).rules).map((rule) => `${prefix}/${rule}`));
  };

  it('runs or names as left out every rule the plugins export, and nothing else', () => {
    const all = exported();
    expect(all.length).toBeGreaterThan(30);
    for (const rule of all) expect(rule in ESLINT_RULE_CWES || rule in ESLINT_RULES_LEFT_OUT, rule).toBe(true);
    const core = ['no-eval', 'no-implied-eval', 'no-new-func'];
    expect(Object.keys(ESLINT_RULE_CWES).filter((rule) => !all.includes(rule))).toEqual(core);
    for (const rule of Object.keys(ESLINT_RULES_LEFT_OUT)) expect(rule in ESLINT_RULE_CWES).toBe(false);
  });

  it('loads each rule it runs from the plugins (the rule files the analyzer imports are those the plugins export)', () => {
    for (const rule of Object.keys(ESLINT_RULE_CWES).filter((id) => id.includes('/'))) {
      const slash = rule.lastIndexOf('/');
      const loaded = ESLINT_PLUGINS[rule.slice(0, slash)]?.rules?.[rule.slice(slash + 1)];
      expect(loaded, rule).toBeDefined();
      const pkg = rule.startsWith('@microsoft/sdl/')
        ? '@microsoft/eslint-plugin-sdl'
        : rule.startsWith('security/')
          ? 'eslint-plugin-security'
          : 'eslint-plugin-no-unsanitized';
      // The same rule (no-insecure-random is wrapped, keeping its meta: see requireOfStringOnly).
      expect((require(pkg) as { rules: Record<string, { meta?: unknown }> }).rules[rule.slice(slash + 1)]?.meta, rule).toBe(loaded?.meta);
    }
  });

  it('maps every rule to CWEs, the well-known ones as documented', () => {
    for (const [rule, numbers] of Object.entries(ESLINT_RULE_CWES)) expect(numbers.length, rule).toBeGreaterThan(0);
    expect(eslintCwes('security/detect-child-process')).toEqual(['CWE-78']);
    expect(eslintCwes('security/detect-eval-with-expression')).toEqual(['CWE-95', 'CWE-94']);
    expect(eslintCwes('no-unsanitized/property')).toEqual(['CWE-79']);
    expect(eslintCwes('no-unsanitized/method')).toEqual(['CWE-79']);
    expect(eslintCwes('@microsoft/sdl/no-inner-html')).toEqual(['CWE-79']);
    expect(eslintCwes('security/detect-non-literal-fs-filename')).toEqual(['CWE-22']);
    expect(eslintCwes('security/detect-unsafe-regex')).toEqual(['CWE-1333', 'CWE-400']);
    expect(eslintCwes('security/detect-pseudoRandomBytes')).toEqual(['CWE-338', 'CWE-330']);
    expect(eslintCwes('@microsoft/sdl/no-insecure-url')).toEqual(['CWE-319']);
    expect(eslintCwes('some-plugin/unknown')).toEqual([]);
    // Each judged CWE is reported by at least one rule.
    const mapped = new Set(Object.keys(ESLINT_RULE_CWES).flatMap(eslintCwes));
    for (const cwe of ESLINT_JUDGED_CWES) expect(mapped.has(cwe), cwe).toBe(true);
  });

  it('finds what the other rules are for', async () => {
    const samples: [string, string][] = [
      ['security/detect-unsafe-regex', `function isEmail(s) {\n  return /^([a-zA-Z0-9]+)*@example\\.com$/.test(s);\n}`],
      ['security/detect-non-literal-regexp', `function matches(pattern, s) {\n  return new RegExp(pattern).test(s);\n}`],
      // sdl's no-insecure-random crashed on require(variable) before requireOfStringOnly.
      ['security/detect-non-literal-require', `function plugin(name) {\n  return require(name);\n}`],
      ['@microsoft/sdl/no-insecure-random', `function roll() {\n  const random = require('random-number');\n  return random();\n}`],
      ['security/detect-possible-timing-attacks', `function check(password, input) {\n  if (password === input) return true;\n  return false;\n}`],
      ['security/detect-new-buffer', `function alloc(n) {\n  return new Buffer(n);\n}`],
      ['@microsoft/sdl/no-unsafe-alloc', `function alloc(n) {\n  return Buffer.allocUnsafe(n);\n}`],
      ['@microsoft/sdl/no-insecure-url', `function load() {\n  return fetch('http://api.example.com/data');\n}`],
      ['@microsoft/sdl/no-postmessage-star-origin', `function share(token) {\n  window.parent.postMessage(token, '*');\n}`],
      ['@microsoft/sdl/no-html-method', `function show(msg) {\n  $('#msg').html(msg);\n}`],
      ['@microsoft/sdl/no-document-domain', `function relax() {\n  document.domain = 'example.com';\n}`],
      ['security/detect-bidi-characters', `function isAdmin(role) {\n  return role === 'user\u202E \u2066// admin\u2069 \u2066';\n}`],
    ];
    for (const [rule, code] of samples) expect(rules(await analyze(code)), rule).toContain(rule);
  });
});
