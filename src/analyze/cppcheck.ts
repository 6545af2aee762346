// Cppcheck for C and C++: `--xml --xml-version=2` writes its report to stderr, one <error> per
// finding, with the CWE in an attribute.
import { ToolAnalyzer } from './tool-analyzer.js';
import { z } from 'zod';
import type { Language } from '../lang/languages.js';
import { refusalFindings } from './c-guard.js';
import { cweId } from '../cwe/id.js';
import { AnalyzerOutputError } from './errors.js';
import { DEFAULT_TIMEOUT_MS, runTool, snippetFileName, withTempDir, writeSource } from './run-tool.js';
import type { AnalyzeInput, Finding } from './types.js';

/**
 * Messages about the run, not the code: missing headers (a lone function never has them), the
 * list of checkers, suppressions and configuration limits. Dropped. `syntaxError`, `unknownMacro`
 * and internal errors are kept: they mean cppcheck could not check the code, and a rewrite it
 * cannot check must not pass as clean.
 */
export const CPPCHECK_IGNORED_IDS: ReadonlySet<string> = new Set([
  'missingInclude',
  'missingIncludeSystem',
  'checkersReport',
  'unmatchedSuppression',
  'toomanyconfigs',
  'normalCheckLevelMaxBranches',
  'purgedConfiguration',
]);

/** CWEs cppcheck's default and warning checks find in a single function (CWE-788 is its out-of-bounds). */
const JUDGED_CWES = ['CWE-788', 'CWE-787', 'CWE-119', 'CWE-120', 'CWE-121', 'CWE-125', 'CWE-401', 'CWE-415', 'CWE-457', 'CWE-476', 'CWE-562', 'CWE-775'];

export interface CppcheckOptions {
  /** The cppcheck executable (default `cppcheck` on PATH). */
  bin?: string;
  /** Value for `--enable` (default `warning,portability`; errors are always on). */
  enable?: string;
  /** Kill cppcheck after this many milliseconds (default 30 000). */
  timeoutMs?: number;
}

const LocationSchema = z.object({ line: z.coerce.number().int() });
const ErrorSchema = z.object({
  id: z.string().min(1),
  severity: z.string().default(''),
  msg: z.string().default(''),
  cwe: z.string().optional(),
});

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of text.matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g)) {
    if (match[1] !== undefined && match[2] !== undefined) out[match[1]] = decodeXml(match[2]);
  }
  return out;
}

/**
 * Reads cppcheck's XML (version 2) report. Each <error> becomes a finding at its first <location>
 * (line 1 when it has none), except the ids in CPPCHECK_IGNORED_IDS and "information" messages.
 */
export function parseCppcheckXml(xml: string, command: readonly string[] = ['cppcheck']): Finding[] {
  if (!/<results\b/.test(xml)) throw new AnalyzerOutputError('cppcheck', command, 'no <results> element', xml.slice(0, 300));
  const findings: Finding[] = [];
  // Attribute values are quoted and cannot hold a raw `"`, so `"[^"]*"` also skips any `>` inside them.
  const errorPattern = /<error((?:\s+[\w:-]+\s*=\s*"[^"]*")*)\s*(\/>|>([\s\S]*?)<\/error>)/g;
  for (const match of xml.matchAll(errorPattern)) {
    const parsed = ErrorSchema.safeParse(attributes(match[1] ?? ''));
    if (!parsed.success) throw new AnalyzerOutputError('cppcheck', command, `an <error> without an id`, match[0].slice(0, 300));
    const error = parsed.data;
    if (CPPCHECK_IGNORED_IDS.has(error.id) || error.severity === 'information') continue;
    const firstLocation = /<location((?:\s+[\w:-]+\s*=\s*"[^"]*")*)\s*\/?>/.exec(match[3] ?? '');
    const location = LocationSchema.safeParse(attributes(firstLocation?.[1] ?? ''));
    const cwe = error.cwe === undefined ? undefined : cweId(error.cwe);
    findings.push({
      ruleId: error.id,
      cwe: cwe ? [cwe] : [],
      message: error.msg,
      line: location.success ? Math.max(1, location.data.line) : 1,
      ...(error.severity ? { severity: error.severity } : {}),
    });
  }
  return findings;
}

export class CppcheckAnalyzer extends ToolAnalyzer {
  readonly name = 'cppcheck';
  readonly languages: readonly Language[] = ['c', 'cpp'];

  constructor(private readonly options: CppcheckOptions = {}) {
    super(JUDGED_CWES, options.bin ?? 'cppcheck', options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  async analyze(input: AnalyzeInput): Promise<Finding[]> {
    await this.ensureReady(input);
    const refused = refusalFindings(input.code, this.name);
    if (refused.length > 0) return refused;
    return withTempDir(async (dir) => {
      const name = snippetFileName(input.fileName, input.language === 'c' ? '.c' : '.cpp');
      await writeSource(dir, name, input.code);
      const args = [
        `--enable=${this.options.enable ?? 'warning,portability'}`,
        '--inconclusive',
        '--xml',
        '--xml-version=2',
        '--quiet',
        `--language=${input.language === 'c' ? 'c' : 'c++'}`,
        name,
      ];
      const run = await runTool(this.bin, args, { analyzer: this.name, cwd: dir, timeoutMs: this.timeoutMs, okExitCodes: [0] });
      return parseCppcheckXml(run.stderr, [this.bin, ...args]);
    });
  }
}
