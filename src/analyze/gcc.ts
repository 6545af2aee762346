// GCC 12 for C: its static analyzer (-fanalyzer: use-after-free, double free, leaks, NULL
// dereferences) plus the middle-end warnings that catch overflows of fixed-size buffers. Reports
// come as JSON on stderr (-fdiagnostics-format=json); analyzer warnings carry their CWE.
import { ToolAnalyzer } from './tool-analyzer.js';
import { z } from 'zod';
import type { Language } from '../lang/languages.js';
import { refusalFindings } from './c-guard.js';
import { originalLine, withPrelude } from './c-prelude.js';
import { cweId } from '../cwe/id.js';
import { AnalyzerOutputError } from './errors.js';
import { type Availability, DEFAULT_TIMEOUT_MS, probeCommand, runTool, snippetFileName, withTempDir, writeSource } from './run-tool.js';
import type { AnalyzeInput, Finding } from './types.js';

/**
 * The warnings outside -fanalyzer that we keep, with their CWE. Everything else (unused variables,
 * implicit declarations from a lone function's missing headers, sign comparisons) is style or
 * noise and is dropped. Every `-Wanalyzer-*` warning is kept.
 */
export const GCC_WARNING_CWES: Readonly<Record<string, readonly string[]>> = {
  '-Wuse-after-free': ['CWE-416'],
  '-Wdangling-pointer': ['CWE-825'],
  '-Wfree-nonheap-object': ['CWE-590'],
  '-Wmismatched-dealloc': ['CWE-762'],
  '-Wmismatched-new-delete': ['CWE-762'],
  '-Warray-bounds': ['CWE-119'],
  '-Wstringop-overflow': ['CWE-787'],
  '-Wstringop-overread': ['CWE-125'],
  '-Wstringop-truncation': ['CWE-170'],
  '-Wformat-overflow': ['CWE-787'],
  '-Wformat-security': ['CWE-134'],
  '-Wformat-nonliteral': ['CWE-134'],
  '-Wformat': ['CWE-686'],
  '-Wreturn-local-addr': ['CWE-562'],
  '-Wuninitialized': ['CWE-457'],
  '-Wmaybe-uninitialized': ['CWE-457'],
  '-Waggressive-loop-optimizations': ['CWE-758'],
  '-Wsizeof-pointer-memaccess': ['CWE-467'],
  '-Wsizeof-pointer-div': ['CWE-467'],
  '-Wdiv-by-zero': ['CWE-369'],
  '-Wnonnull': ['CWE-476'],
  '-Walloc-size-larger-than': ['CWE-789'],
  '-Wrestrict': ['CWE-475'],
};

/** CWEs of -fanalyzer warnings, for the few whose JSON lacks metadata.cwe. */
const ANALYZER_CWES: Readonly<Record<string, string>> = {
  '-Wanalyzer-double-free': 'CWE-415',
  '-Wanalyzer-use-after-free': 'CWE-416',
  '-Wanalyzer-malloc-leak': 'CWE-401',
  '-Wanalyzer-file-leak': 'CWE-775',
  '-Wanalyzer-fd-leak': 'CWE-775',
  '-Wanalyzer-double-fclose': 'CWE-1341',
  '-Wanalyzer-fd-double-close': 'CWE-1341',
  '-Wanalyzer-null-dereference': 'CWE-476',
  '-Wanalyzer-null-argument': 'CWE-476',
  '-Wanalyzer-possible-null-dereference': 'CWE-690',
  '-Wanalyzer-possible-null-argument': 'CWE-690',
  '-Wanalyzer-free-of-non-heap': 'CWE-590',
  '-Wanalyzer-mismatching-deallocation': 'CWE-762',
  '-Wanalyzer-use-of-uninitialized-value': 'CWE-457',
  '-Wanalyzer-use-of-pointer-in-stale-stack-frame': 'CWE-562',
  '-Wanalyzer-out-of-bounds': 'CWE-787',
};

/** Analyzer warnings that say the analysis gave up, not that the code is wrong. */
const IGNORED_OPTIONS = new Set(['-Wanalyzer-too-complex']);

const JUDGED_CWES = [
  'CWE-415',
  'CWE-416',
  'CWE-401',
  'CWE-476',
  'CWE-690',
  'CWE-457',
  'CWE-590',
  'CWE-762',
  'CWE-775',
  'CWE-562',
  'CWE-787',
  'CWE-119',
  'CWE-134',
];

export interface GccOptions {
  /** The gcc executable (default `gcc` on PATH; needs GCC 12 or later for -Wuse-after-free=3). */
  bin?: string;
  /** Headers included in front of the code (default C_PRELUDE_HEADERS); [] for none. */
  prelude?: readonly string[];
  /**
   * Optimization level of the warnings pass (default `-O2`): -Warray-bounds and most -Wstringop-*
   * warnings only run when gcc optimizes. -fanalyzer always runs in its own pass at -O0.
   */
  optimization?: string;
  /** Kill gcc after this many milliseconds (default 30 000). */
  timeoutMs?: number;
}

const PositionSchema = z.object({ file: z.string().optional(), line: z.number().int() });
const DiagnosticSchema = z.object({
  kind: z.string(),
  message: z.string(),
  option: z.string().optional(),
  locations: z.array(z.object({ caret: PositionSchema.optional() })).default([]),
  metadata: z.object({ cwe: z.number().int().optional() }).optional(),
});
const ReportSchema = z.array(DiagnosticSchema);
type Diagnostic = z.infer<typeof DiagnosticSchema>;

/** The option as a rule id: "-Wstringop-overflow=" → "-Wstringop-overflow". */
const ruleOf = (option: string) => option.replace(/=.*$/, '');

function lineOf(diagnostic: Diagnostic, fileName: string, lineOffset: number): number {
  const ours = diagnostic.locations.map((location) => location.caret).find((caret) => caret && (!caret.file || caret.file.endsWith(fileName)));
  return ours ? originalLine(ours.line, lineOffset) : 1;
}

/** The JSON array in gcc's stderr (it may be followed by "compilation terminated."). */
function reportText(stderr: string): string | undefined {
  return stderr.split('\n').find((line) => line.trimStart().startsWith('['));
}

/**
 * Reads gcc's JSON diagnostics. Kept: every -fanalyzer warning and the warnings in
 * GCC_WARNING_CWES. Errors become one `compile-error` finding (with errors gcc skips the analyzer,
 * so the code was not checked); notes are dropped.
 */
export function parseGccDiagnostics(stderr: string, fileName: string, lineOffset = 0, command: readonly string[] = ['gcc']): Finding[] {
  const text = reportText(stderr);
  if (text === undefined) throw new AnalyzerOutputError('gcc', command, 'no JSON diagnostics', stderr.slice(0, 300));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AnalyzerOutputError('gcc', command, 'not JSON', text.slice(0, 300));
  }
  const parsed = ReportSchema.safeParse(json);
  if (!parsed.success) throw new AnalyzerOutputError('gcc', command, z.prettifyError(parsed.error).replace(/\n/g, '; '), text.slice(0, 300));
  const findings: Finding[] = [];
  const errors = parsed.data.filter((diagnostic) => diagnostic.kind !== 'warning' && diagnostic.kind !== 'note');
  for (const diagnostic of parsed.data) {
    if (diagnostic.kind !== 'warning' || !diagnostic.option || IGNORED_OPTIONS.has(ruleOf(diagnostic.option))) continue;
    const rule = ruleOf(diagnostic.option);
    let cwe: string[];
    if (rule.startsWith('-Wanalyzer-')) {
      const reported = diagnostic.metadata?.cwe === undefined ? undefined : cweId(diagnostic.metadata.cwe);
      const known = reported ?? ANALYZER_CWES[rule];
      cwe = known ? [known] : [];
    } else {
      const known = GCC_WARNING_CWES[rule];
      if (!known) continue;
      cwe = [...known];
    }
    findings.push({ ruleId: rule, cwe, message: diagnostic.message, line: lineOf(diagnostic, fileName, lineOffset), severity: 'warning' });
  }
  const first = errors[0];
  if (first) {
    findings.push({
      ruleId: 'compile-error',
      cwe: [],
      message: `gcc could not compile the code, so it was not analyzed: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : ''}`,
      line: lineOf(first, fileName, lineOffset),
      severity: 'error',
    });
  }
  return findings;
}

export class GccAnalyzer extends ToolAnalyzer {
  readonly name = 'gcc';
  readonly languages: readonly Language[] = ['c'];

  constructor(private readonly options: GccOptions = {}) {
    super(JUDGED_CWES, options.bin ?? 'gcc', options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  /** GCC 12 is the first with -Wuse-after-free=3 and CWE ids in -fanalyzer's JSON. */
  protected override async probeTool(): Promise<Availability> {
    const answer = await probeCommand(this.bin, ['-dumpfullversion']);
    if (!answer.ok) return answer;
    const major = Number.parseInt(answer.detail, 10);
    if (!(major >= 12)) return { ok: false, detail: `${this.bin} is version ${answer.detail}; the analyzer needs GCC 12 or later` };
    return { ok: true, detail: `gcc ${answer.detail}` };
  }

  async analyze(input: AnalyzeInput): Promise<Finding[]> {
    await this.ensureReady(input);
    const refused = refusalFindings(input.code, this.name);
    if (refused.length > 0) return refused;
    const { source, lineOffset } = withPrelude(input.code, 'c', this.options.prelude);
    return withTempDir(async (dir) => {
      const name = snippetFileName(input.fileName, '.c');
      await writeSource(dir, name, source);
      // Two passes: -fanalyzer misses bugs the optimizer has already reshaped (an unchecked
      // malloc dereferenced, CWE-690, is gone at -O2), while -Warray-bounds and most
      // -Wstringop-* warnings only run when gcc optimizes.
      const unoptimized = await this.compile(dir, name, lineOffset, ['-O0', '-fanalyzer']);
      if (unoptimized.some((finding) => finding.ruleId === 'compile-error')) return unoptimized;
      const optimized = await this.compile(dir, name, lineOffset, [this.options.optimization ?? '-O2']);
      // Each pass reports what it is for: the analyzer's findings, then the optimizer's warnings.
      return [...unoptimized.filter((finding) => finding.ruleId.startsWith('-Wanalyzer-')), ...optimized];
    });
  }

  private async compile(dir: string, name: string, lineOffset: number, pass: readonly string[]): Promise<Finding[]> {
    const args = [
      '-x',
      'c',
      // Compile to assembly only: the assembler (and any `.incbin` in an asm block) never runs.
      '-S',
      '-o',
      'snippet.s',
      ...pass,
      '-Wall',
      '-Wextra',
      '-Wuse-after-free=3',
      '-Wformat-overflow=2',
      '-Wformat-security',
      '-fdiagnostics-format=json',
      name,
    ];
    // Exit 1 means compile errors, which parseGccDiagnostics reports as a finding.
    const run = await runTool(this.bin, args, { analyzer: this.name, cwd: dir, timeoutMs: this.timeoutMs, okExitCodes: [0, 1] });
    return parseGccDiagnostics(run.stderr, name, lineOffset, [this.bin, ...args]);
  }
}
