// The clang static analyzer (`clang --analyze`) for C and C++, with a SARIF report. Its default
// checkers find use-after-free, double free, leaks and NULL dereferences, in C++ too (where
// gcc -fanalyzer does not help). Clang's SARIF has no CWEs: they come from the checker and message.
import { ToolAnalyzer } from './tool-analyzer.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Language } from '../lang/languages.js';
import { SarifReadError } from '../sarif/read-error.js';
import { refusalFindings } from './c-guard.js';
import { originalLine, withPrelude } from './c-prelude.js';
import { AnalyzerOutputError } from './errors.js';
import { DEFAULT_TIMEOUT_MS, runTool, snippetFileName, withTempDir, writeSource } from './run-tool.js';
import { readSarifReport } from './sarif.js';
import type { AnalyzeInput, Finding } from './types.js';

/** Checker → CWE, for checkers that report one kind of bug. */
const CHECKER_CWES: Readonly<Record<string, readonly string[]>> = {
  'core.NullDereference': ['CWE-476'],
  'core.NonNullParamChecker': ['CWE-476'],
  'unix.cstring.NullArg': ['CWE-476'],
  'core.DivideZero': ['CWE-369'],
  'core.StackAddressEscape': ['CWE-562'],
  'core.UndefinedBinaryOperatorResult': ['CWE-457'],
  'core.uninitialized.ArraySubscript': ['CWE-457'],
  'core.uninitialized.Assign': ['CWE-457'],
  'core.uninitialized.Branch': ['CWE-457'],
  'core.uninitialized.CapturedBlockVariable': ['CWE-457'],
  'core.uninitialized.UndefReturn': ['CWE-457'],
  'cplusplus.NewDeleteLeaks': ['CWE-401'],
  'unix.MismatchedDeallocator': ['CWE-762'],
  'security.insecureAPI.gets': ['CWE-242'],
  'security.insecureAPI.mktemp': ['CWE-377'],
  'security.insecureAPI.mkstemp': ['CWE-377'],
  'security.insecureAPI.rand': ['CWE-338'],
  'security.insecureAPI.strcpy': ['CWE-120'],
  'security.insecureAPI.getpw': ['CWE-676'],
  'security.insecureAPI.vfork': ['CWE-676'],
  'security.insecureAPI.UncheckedReturn': ['CWE-252'],
};

/** Message patterns for the memory checkers, which report several kinds of bug under one name. */
const MESSAGE_CWES: readonly [RegExp, string][] = [
  [/attempt to (free|release|delete) released memory|freed twice|double[- ]free/i, 'CWE-415'],
  [/use of memory after it is (freed|released)|after it is (freed|released)|use of .* after .* (free|delete)/i, 'CWE-416'],
  [/potential (memory )?leak|memory is never released|leak of/i, 'CWE-401'],
  [/(freeing|free|release|delete).*(not allocated by|non-heap|stack|local variable|block)|not allocated by malloc/i, 'CWE-590'],
  [/null pointer|null dereference/i, 'CWE-476'],
  [/garbage value|uninitiali[sz]ed/i, 'CWE-457'],
];

/** Checkers about style, not safety. */
const IGNORED_PREFIXES = ['deadcode.'];

const JUDGED_CWES = ['CWE-415', 'CWE-416', 'CWE-401', 'CWE-476', 'CWE-457', 'CWE-562', 'CWE-590', 'CWE-762', 'CWE-369'];

/** CWEs for a clang checker and its message. */
export function clangCwes(checker: string, message: string): string[] {
  const byChecker = CHECKER_CWES[checker];
  if (byChecker) return [...byChecker];
  const byMessage = MESSAGE_CWES.find(([pattern]) => pattern.test(message));
  return byMessage ? [byMessage[1]] : [];
}

export interface ClangOptions {
  /** The clang executable (default `clang` on PATH). */
  bin?: string;
  /** Headers included in front of the code (default C_PRELUDE_HEADERS / CPP_PRELUDE_HEADERS); [] for none. */
  prelude?: readonly string[];
  /** Kill clang after this many milliseconds (default 30 000). */
  timeoutMs?: number;
}

/** The first `file:line:col: error: message` in clang's stderr, when there is one. */
function firstError(stderr: string): { line: number; message: string; count: number } | undefined {
  const errors = [...stderr.matchAll(/^[^\n:]*:(\d+):\d+: (?:fatal )?error: (.*)$/gm)];
  const first = errors[0];
  if (!first) return undefined;
  return { line: Number(first[1]), message: first[2] ?? '', count: errors.length };
}

export class ClangAnalyzer extends ToolAnalyzer {
  readonly name = 'clang';
  readonly languages: readonly Language[] = ['c', 'cpp'];

  constructor(private readonly options: ClangOptions = {}) {
    super(JUDGED_CWES, options.bin ?? 'clang', options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  async analyze(input: AnalyzeInput): Promise<Finding[]> {
    await this.ensureReady(input);
    const refused = refusalFindings(input.code, this.name);
    if (refused.length > 0) return refused;
    const language = input.language;
    const { source, lineOffset } = withPrelude(input.code, language, this.options.prelude);
    return withTempDir(async (dir) => {
      const name = snippetFileName(input.fileName, language === 'c' ? '.c' : '.cpp');
      await writeSource(dir, name, source);
      const args = ['--analyze', '--analyzer-output', 'sarif', '-o', 'report.sarif', '-x', language === 'c' ? 'c' : 'c++', name];
      const command = [this.bin, ...args];
      // Exit 1 means compile errors: the analyzer did not run.
      const run = await runTool(this.bin, args, { analyzer: this.name, cwd: dir, timeoutMs: this.timeoutMs, okExitCodes: [0, 1] });
      const error = firstError(run.stderr);
      if (run.exitCode !== 0 || error) {
        const message = error ? `${error.message}${error.count > 1 ? ` (and ${error.count - 1} more errors)` : ''}` : run.stderr.slice(0, 300);
        return [
          {
            ruleId: 'compile-error',
            cwe: [],
            message: `clang could not compile the code, so it was not analyzed: ${message}`,
            line: originalLine(error?.line ?? 1, lineOffset),
            severity: 'error',
          },
        ];
      }
      let report: string;
      try {
        report = await readFile(join(dir, 'report.sarif'), 'utf8');
      } catch (cause) {
        throw new AnalyzerOutputError(
          this.name,
          command,
          `no report.sarif (${cause instanceof Error ? cause.message : String(cause)})`,
          run.stderr.slice(0, 300),
        );
      }
      try {
        return readSarifReport(report, 'report.sarif')
          .filter((result) => !IGNORED_PREFIXES.some((prefix) => result.ruleId.startsWith(prefix)))
          .map((result) => ({
            ruleId: result.ruleId,
            cwe: clangCwes(result.ruleId, result.message),
            message: result.message,
            line: originalLine(result.line ?? 1, lineOffset),
            severity: result.level ?? 'warning',
          }));
      } catch (error) {
        if (error instanceof SarifReadError) throw new AnalyzerOutputError(this.name, command, error.reason, report.slice(0, 300));
        throw error;
      }
    });
  }
}
