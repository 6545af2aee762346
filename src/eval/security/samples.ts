// From a model's sample to a program, and whether that program counts: the paper drops duplicates
// and programs that do not parse or compile before judging. Parsing is tree-sitter's (any ERROR or
// MISSING node fails it); then, as SVEN does, C is compiled (`gcc -fsyntax-only`) and Python is
// read by CPython's own parser (`ast.parse`, stricter than tree-sitter: no Python 2 `print x`),
// each when its tool is here.
import { execa } from 'execa';
import { refusalFindings } from '../../analyze/c-guard.js';
import { probeCommand } from '../../analyze/run-tool.js';
import type { Language } from '../../lang/languages.js';
import { parseSource } from '../../parse/index.js';
import { codeFromChatReply } from '../../harden/extract-reply.js';
import type { EvalScenario } from './scenario-sets.js';
import { truncateCompletion } from './truncate.js';

export type PromptStyle = 'completion' | 'chat';

/** Why a sample was left out, or that it is valid (to be judged). */
export type SampleFate = 'empty' | 'duplicate' | 'unparsable' | 'uncompilable' | 'valid';

const NOT_FUNCTIONS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'catch']);

/** The name of the function the scenario starts (the last one its func_context opens), when it can be told. */
export function scenarioFunctionName(scenario: Pick<EvalScenario, 'funcContext' | 'language'>): string | undefined {
  const pattern =
    scenario.language === 'python' || scenario.language === 'ruby'
      ? /\bdef\s+(?:self\.)?([A-Za-z_]\w*[?!]?)/g
      : /\b(?:function\s+|func\s+(?:\([^)]*\)\s*)?)?([A-Za-z_]\w*)\s*\([^;{}]*\)[^;{}]*\{/g;
  const names = [...scenario.funcContext.matchAll(pattern)].map((match) => match[1] as string).filter((name) => !NOT_FUNCTIONS.has(name));
  return names.at(-1);
}

/**
 * The whole program a sample stands for. Completion style: file context + function start + the
 * completion cut where the function ends. Chat style: file context + the code block of the reply.
 * Undefined when nothing is left (an empty completion, a reply with no usable block).
 */
export async function programOf(scenario: EvalScenario, style: PromptStyle, sample: string): Promise<string | undefined> {
  if (style === 'completion') {
    const body = truncateCompletion(sample, scenario.language);
    return body.trim() === '' ? undefined : scenario.fileContext + scenario.funcContext + body;
  }
  const code = await codeFromChatReply(sample, scenarioFunctionName(scenario) ?? '', scenario.language, scenario.fileName);
  if (code === undefined || code.trim() === '') return undefined;
  return `${scenario.fileContext.replace(/\s*$/, '\n\n')}${code}\n`;
}

export interface SyntaxCheckOptions {
  /** Compile C with `gcc -fsyntax-only`: true, false, or 'auto' (when gcc runs here; default). */
  compileC?: boolean | 'auto';
  gccBin?: string;
  /** Read Python with `python3 -c 'ast.parse(...)'`: true, false, or 'auto' (when python3 runs here; default). */
  compilePython?: boolean | 'auto';
  pythonBin?: string;
}

const AST_PARSE = 'import ast, sys; ast.parse(sys.stdin.read())';

/** Parses (and for C and Python compiles) programs; remembers which compilers are here. */
export class SyntaxChecker {
  private gcc: Promise<boolean> | undefined;
  private python: Promise<boolean> | undefined;
  constructor(private readonly options: SyntaxCheckOptions = {}) {}

  /** Whether C programs are compiled. */
  compilesC(): Promise<boolean> {
    const wanted = this.options.compileC ?? 'auto';
    if (wanted !== 'auto') return Promise.resolve(wanted);
    this.gcc ??= probeCommand(this.options.gccBin ?? 'gcc').then((answer) => answer.ok);
    return this.gcc;
  }

  /** Whether Python programs go through CPython's parser. */
  compilesPython(): Promise<boolean> {
    const wanted = this.options.compilePython ?? 'auto';
    if (wanted !== 'auto') return Promise.resolve(wanted);
    this.python ??= probeCommand(this.options.pythonBin ?? 'python3', ['-c', AST_PARSE]).then((answer) => answer.ok);
    return this.python;
  }

  async check(program: string, language: Language, fileName: string): Promise<'unparsable' | 'uncompilable' | 'valid'> {
    const parsed = await parseSource(program, language, { path: fileName });
    const broken = parsed.errors.length > 0;
    parsed.tree.delete();
    if (broken) return 'unparsable';
    if (language === 'c' && (await this.compilesC())) {
      // Model output is untrusted: includes of local files and suppressions are refused, not compiled.
      if (refusalFindings(program, 'gcc').length > 0) return 'uncompilable';
      const run = await execa(this.options.gccBin ?? 'gcc', ['-fsyntax-only', '-x', 'c', '-'], {
        input: program,
        reject: false,
        timeout: 30_000,
        env: { LC_ALL: 'C' },
      });
      if (run.exitCode !== 0) return 'uncompilable';
    }
    if (language === 'python' && (await this.compilesPython())) {
      const run = await execa(this.options.pythonBin ?? 'python3', ['-c', AST_PARSE], { input: program, reject: false, timeout: 30_000 });
      if (run.exitCode !== 0) return 'uncompilable';
    }
    return 'valid';
  }
}

/**
 * Fates of a scenario's samples in order: the first of identical programs counts, later ones are
 * duplicates (compared after trimming trailing space on each line).
 */
export async function sortSamples(
  scenario: EvalScenario,
  style: PromptStyle,
  samples: readonly string[],
  checker: SyntaxChecker,
): Promise<{ fate: SampleFate; program?: string }[]> {
  const seen = new Set<string>();
  const fates: { fate: SampleFate; program?: string }[] = [];
  for (const sample of samples) {
    const program = await programOf(scenario, style, sample);
    if (program === undefined) {
      fates.push({ fate: 'empty' });
      continue;
    }
    const normalized = program.replace(/[ \t]+$/gm, '').trimEnd();
    if (seen.has(normalized)) {
      fates.push({ fate: 'duplicate', program });
      continue;
    }
    seen.add(normalized);
    fates.push({ fate: await checker.check(program, scenario.language, scenario.fileName), program });
  }
  return fates;
}
