// ESLint for JavaScript and TypeScript, run in process through its `Linter` on one function's text
// with the security rules of eslint-cwe.ts: no file is written, no configuration is looked up, and
// a comment in the code cannot turn a rule off (inline configuration is disabled, and a directive
// comment becomes an `analyzer-suppression` finding, so a rewrite that adds one is never clean).
//
// A lone function is not always a program: a method parses only inside a class, an object's
// `key: function () {}` only inside an object, sloppy code only as a script. Each is tried in turn
// (a class as in src/parse, then an object), and code that parses in none of them is one `syntax-error` finding,
// "not analyzed". JavaScript goes through ESLint's own parser (espree, with JSX); TypeScript
// through typescript-eslint's, as TSX for a .tsx file (without a file name, as .ts and then .tsx).
//
// The rules that track imports (child_process.exec, fs.readFile(path)) only fire when they can see
// the module's `require` or `import`, which lives outside a lone function. When the code uses one
// of the names that by convention hold those modules (`child_process`, `cp`, `fs`, ...) without
// declaring it, a line binding it (`const cp = require('child_process');`) goes in front, as the
// C analyzers put the standard headers in front (c-prelude.ts), and reported lines move back.
import type { ESLint, Linter } from 'eslint';
import type { Language } from '../lang/languages.js';
import { isJsxPath } from '../lang/languages.js';
import { ESLINT_JUDGED_CWES, ESLINT_RULE_CWES, eslintCwes } from './eslint-cwe.js';
import { AnalyzerError, AnalyzerFailedError, UnsupportedLanguageError } from './errors.js';
import { ProbedAnalyzer } from './probed-analyzer.js';
import { AvailabilityCache } from './run-tool.js';
import type { AnalyzeInput, Finding } from './types.js';

/** What eslint-rules.ts provides: a Linter, the plugins and the TypeScript parser. */
export interface EslintSetup {
  linter: Linter;
  plugins: Record<string, ESLint.Plugin>;
  typescriptParser: Linter.Parser;
  /** ESLint's version, for the availability note. */
  version: string;
}

async function loadSetup(): Promise<EslintSetup> {
  const { createLinter, ESLINT_PLUGINS, TYPESCRIPT_PARSER } = await import('./eslint-rules.js');
  const linter = createLinter();
  return { linter, plugins: ESLINT_PLUGINS, typescriptParser: TYPESCRIPT_PARSER, version: linter.version };
}

export interface EslintOptions {
  /** Loads ESLint, the plugins and the parser (default: eslint-rules.ts, on first use). A load that throws makes the analyzer unavailable. */
  load?: () => Promise<EslintSetup>;
  /**
   * Names a lone function may use for a Node module without declaring it, and the module each
   * stands for; bound in front of the code when used undeclared (default ESLINT_MODULE_NAMES).
   */
  moduleNames?: Readonly<Record<string, string>>;
}

/** Conventional names of the modules whose calls the rules track (default of `moduleNames`). */
export const ESLINT_MODULE_NAMES: Readonly<Record<string, string>> = {
  child_process: 'child_process',
  childProcess: 'child_process',
  cp: 'child_process',
  fs: 'fs',
  fsPromises: 'fs/promises',
};

/**
 * Globals the core rules need to know as such: no-implied-eval looks for `setTimeout('...')` only
 * when `setTimeout` is a global, and no-eval and no-implied-eval follow `window.`/`global.`/`self.`.
 */
const GLOBALS: Linter.Globals = {
  window: 'readonly',
  self: 'readonly',
  global: 'readonly',
  setTimeout: 'readonly',
  setInterval: 'readonly',
  execScript: 'readonly',
};

/** Every rule of the table, as an error. */
const RULES: Linter.RulesRecord = Object.fromEntries(Object.keys(ESLINT_RULE_CWES).map((id) => [id, 'error' as const]));

/** The code as it is, then inside a class (a method; the wrapper of src/parse's SNIPPET_WRAPPERS), then inside an object (`key: function () {}`). */
const WRAPPERS: readonly ({ prefix: string; suffix: string } | undefined)[] = [
  undefined,
  { prefix: 'class __SecCoder__ {\n', suffix: '\n}' },
  { prefix: 'const __SecCoder__ = {\n', suffix: '\n};' },
];

/** One way of reading the code: the parser (undefined: espree), the file name it sees, how the code is wrapped. */
interface Reading {
  typescript: boolean;
  fileName: string;
  sourceType: 'module' | 'commonjs';
  wrapper?: { prefix: string; suffix: string };
}

/** The ways to try, most natural first. */
function readings(input: AnalyzeInput): Reading[] {
  const dialects: Omit<Reading, 'wrapper'>[] = [];
  if (input.language === 'typescript') {
    const tsx = input.fileName === undefined ? undefined : isJsxPath(input.fileName);
    if (tsx !== true) dialects.push({ typescript: true, fileName: 'snippet.ts', sourceType: 'module' });
    if (tsx !== false) dialects.push({ typescript: true, fileName: 'snippet.tsx', sourceType: 'module' });
  } else {
    dialects.push({ typescript: false, fileName: 'snippet.js', sourceType: 'module' }, { typescript: false, fileName: 'snippet.js', sourceType: 'commonjs' });
  }
  return WRAPPERS.flatMap((wrapper) => dialects.map((dialect) => ({ ...dialect, ...(wrapper ? { wrapper } : {}) })));
}

/** Lines of `text` before its last line (what a prefix pushes the code down by). */
const linesIn = (text: string) => text.split('\n').length - 1;

type Outcome = { parsed: true; findings: Finding[] } | { parsed: false; message: string; line: number };

export class EslintAnalyzer extends ProbedAnalyzer {
  readonly name = 'eslint';
  readonly languages: readonly Language[] = ['javascript', 'typescript'];
  readonly judgedCwes: readonly string[] = [...ESLINT_JUDGED_CWES];
  private readonly moduleNames: Readonly<Record<string, string>>;
  private setup?: EslintSetup;
  protected readonly probe: AvailabilityCache;

  constructor(options: EslintOptions = {}) {
    super();
    const load = options.load ?? loadSetup;
    this.moduleNames = options.moduleNames ?? ESLINT_MODULE_NAMES;
    this.probe = new AvailabilityCache(async () => {
      this.setup = await load();
      return { ok: true, detail: `ESLint ${this.setup.version}` };
    });
  }

  async analyze(input: AnalyzeInput): Promise<Finding[]> {
    if (!this.languages.includes(input.language)) throw new UnsupportedLanguageError(this.name, input.language, this.languages);
    const state = await this.probe.get();
    if (!state.ok || !this.setup) throw new AnalyzerFailedError(this.name, ['eslint'], undefined, state.detail);
    const code = input.code.replace(/\r\n?/g, '\n');
    let firstProblem: Extract<Outcome, { parsed: false }> | undefined;
    for (const reading of readings(input)) {
      const outcome = this.lintAs(this.setup, code, reading);
      if (outcome.parsed) return outcome.findings;
      firstProblem ??= outcome;
    }
    return [
      {
        ruleId: 'syntax-error',
        cwe: [],
        message: `eslint could not parse the code: ${firstProblem?.message ?? 'no reading parsed'}`,
        line: firstProblem?.line ?? 1,
        severity: 'error',
      },
    ];
  }

  /** Lints the code one way; with the module prelude when the code uses a module name it does not declare. */
  private lintAs(setup: EslintSetup, code: string, reading: Reading): Outcome {
    const prefix = reading.wrapper?.prefix ?? '';
    const source = `${prefix}${code}${reading.wrapper?.suffix ?? ''}`;
    const first = this.verify(setup, source, reading);
    const fatal = first.find((message) => message.fatal);
    if (fatal) return { parsed: false, message: fatal.message, line: Math.max(1, fatal.line - linesIn(prefix)) };
    const prelude = code.startsWith('#!') ? '' : this.prelude(setup);
    if (prelude === '') return { parsed: true, findings: this.findings(first, linesIn(prefix), 0) };
    const second = this.verify(setup, `${prelude}\n${source}`, reading);
    // The prelude is plain declarations of names the code does not declare; should it still break
    // the parse, the reading without it stands.
    if (second.some((message) => message.fatal)) return { parsed: true, findings: this.findings(first, linesIn(prefix), 0) };
    return { parsed: true, findings: this.findings(second, linesIn(prefix) + 1, 1) };
  }

  /** `const cp = require('child_process'), ...;` for the module names the last linted code uses undeclared, or ''. */
  private prelude(setup: EslintSetup): string {
    const through = setup.linter.getSourceCode()?.scopeManager?.globalScope?.through ?? [];
    const used = new Set(through.map((reference) => reference.identifier.name));
    const bindings = Object.entries(this.moduleNames)
      .filter(([name]) => used.has(name))
      .map(([name, module]) => `${name} = require(${JSON.stringify(module)})`);
    return bindings.length > 0 ? `const ${bindings.join(', ')};` : '';
  }

  private verify(setup: EslintSetup, source: string, reading: Reading): Linter.LintMessage[] {
    const config: Linter.Config = {
      files: ['**/*.js', '**/*.ts', '**/*.tsx'],
      languageOptions: {
        ecmaVersion: 'latest',
        sourceType: reading.sourceType,
        globals: GLOBALS,
        ...(reading.typescript ? { parser: setup.typescriptParser } : {}),
        parserOptions: { ecmaFeatures: { jsx: true }, ...(reading.typescript ? { warnOnUnsupportedTypeScriptVersion: false } : {}) },
      },
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
      plugins: setup.plugins,
      rules: RULES,
    };
    try {
      return setup.linter.verify(source, config, reading.fileName);
    } catch (error) {
      // A rule that crashes on the code gives no verdict: never an empty list.
      throw new AnalyzerError(
        `eslint failed on the code: ${(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''}`,
        this.name,
        ['eslint', reading.fileName],
        { cause: error },
      );
    }
  }

  /**
   * Lint messages as findings, with lines in the caller's code: `skipped` lines were put in front
   * (prelude and wrapper), of which the first `prelude` are the prelude, whose own messages are dropped.
   */
  private findings(messages: readonly Linter.LintMessage[], skipped: number, prelude: number): Finding[] {
    const findings: Finding[] = [];
    for (const message of messages) {
      if (message.line <= prelude) continue;
      const line = Math.max(1, message.line - skipped);
      if (message.ruleId === null) {
        // With inline configuration off, ESLint says a directive comment "has no effect".
        findings.push({ ruleId: 'analyzer-suppression', cwe: [], message: `ESLint directive comment: ${message.message}`, line, severity: 'error' });
        continue;
      }
      findings.push({
        ruleId: message.ruleId,
        cwe: eslintCwes(message.ruleId),
        message: message.message,
        line,
        severity: message.severity === 2 ? 'error' : 'warning',
      });
    }
    return findings;
  }
}
