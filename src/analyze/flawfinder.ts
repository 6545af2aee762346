// Flawfinder for C and C++: a lexical scan for calls that are risky however they are used
// (strcpy, sprintf, gets, system, a format string that is not a literal). It neither parses nor
// compiles, so it reads any lone function, but it also flags a bounded strcpy as readily as an
// unbounded one, and its silence proves nothing: it judges no CWE and only feeds the "adds no new
// finding" gate (a rewrite that brings in a `system` call or an unbounded copy is worse).
// `--csv` prints one row per hit with flawfinder's risk level (0–5) and CWEs; Debian's 2.0.19
// ignores --minlevel in its SARIF output, so CSV is read.
import { ToolAnalyzer } from './tool-analyzer.js';
import { z } from 'zod';
import type { Language } from '../lang/languages.js';
import { refusalFindings } from './c-guard.js';
import { cweId } from '../cwe/id.js';
import { describeIssues } from '../text/zod-issues.js';
import { AnalyzerOutputError } from './errors.js';
import { DEFAULT_TIMEOUT_MS, runTool, snippetFileName, withTempDir, writeSource } from './run-tool.js';
import type { AnalyzeInput, Finding } from './types.js';

/**
 * Default minimum risk level. Level 4 and 5 are flawfinder's "error" hits: unbounded copies and
 * formats (strcpy, sprintf, scanf from a non-constant), gets, system/popen/exec*, format strings
 * that are not literals, access() races. Level 3 adds getenv, random and realpath, and below that
 * every `char buf[N]`, memcpy and strlen is a hit.
 */
export const FLAWFINDER_DEFAULT_MIN_LEVEL = 4;

export interface FlawfinderOptions {
  /** The flawfinder executable (default `flawfinder` on PATH). */
  bin?: string;
  /** Hits below this risk level (0–5, after flawfinder lowers it for constant arguments) are dropped (default 4). */
  minLevel?: number;
  /** Kill flawfinder after this many milliseconds (default 30 000). */
  timeoutMs?: number;
}

const HitSchema = z.object({
  Line: z.coerce.number().int(),
  Level: z.coerce.number().int().min(0).max(5),
  Category: z.string().min(1),
  Name: z.string().min(1),
  Warning: z.string(),
  Suggestion: z.string().default(''),
  CWEs: z.string().default(''),
});

/** The columns a hit is read from; the header must name them all. */
const COLUMNS = ['Line', 'Level', 'Category', 'Name', 'Warning', 'CWEs'] as const;

/** Records of RFC 4180 CSV (Python's csv module): quoted fields may hold commas, `""` and line breaks. */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let index = 0;
  const endRecord = () => {
    record.push(field);
    records.push(record);
    record = [];
    field = '';
  };
  while (index < text.length) {
    const char = text[index] as string;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
      index += 1;
    } else if (char === '"' && field === '') {
      quoted = true;
      index += 1;
    } else if (char === ',') {
      record.push(field);
      field = '';
      index += 1;
    } else if (char === '\r' || char === '\n') {
      endRecord();
      index += char === '\r' && text[index + 1] === '\n' ? 2 : 1;
    } else {
      field += char;
      index += 1;
    }
  }
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

/** "CWE-119!/CWE-120", "CWE-120, CWE-20" → ["CWE-119", "CWE-120"], ["CWE-120", "CWE-20"]. */
function cwesOf(text: string): string[] {
  const ids = [...text.matchAll(/CWE-?(\d+)/gi)].map((match) => cweId(match[1] ?? '')).filter((id): id is string => id !== undefined);
  return [...new Set(ids)];
}

/** Flawfinder's own SARIF levels: 4 and 5 are errors, 3 a warning, below that a note. */
const severityOf = (level: number) => (level >= 4 ? 'error' : level === 3 ? 'warning' : 'note');

/**
 * Reads flawfinder's `--csv` report: one finding per hit at or above `minLevel`, with rule id
 * `category/name` ("buffer/strcpy", "shell/system"), flawfinder's CWEs and its 1-based line.
 * Throws AnalyzerOutputError when the header is missing or a row cannot be read: a dropped row may
 * be the finding that makes a rewrite worse.
 */
export function parseFlawfinderCsv(text: string, minLevel = FLAWFINDER_DEFAULT_MIN_LEVEL, command: readonly string[] = ['flawfinder']): Finding[] {
  const [header, ...rows] = csvRecords(text).filter((record) => record.some((field) => field !== ''));
  const missing = header ? COLUMNS.filter((column) => !header.includes(column)) : [...COLUMNS];
  if (!header || missing.length > 0) {
    throw new AnalyzerOutputError('flawfinder', command, `no CSV header with ${missing.join(', ')}`, text.slice(0, 300));
  }
  const findings: Finding[] = [];
  for (const row of rows) {
    const parsed = HitSchema.safeParse(Object.fromEntries(header.map((column, index) => [column, row[index]])));
    if (!parsed.success) {
      // The excerpt leaves out the Context column: it quotes the code.
      const shown = header.flatMap((column, index) => (column === 'Context' ? [] : [row[index] ?? ''])).join(',');
      throw new AnalyzerOutputError('flawfinder', command, `a hit it cannot read (${describeIssues(parsed.error.issues)})`, shown.slice(0, 300));
    }
    const hit = parsed.data;
    if (hit.Level < minLevel) continue;
    findings.push({
      ruleId: `${hit.Category}/${hit.Name}`,
      cwe: cwesOf(hit.CWEs),
      message: [hit.Warning, hit.Suggestion].filter((part) => part !== '').join(' '),
      line: Math.max(1, hit.Line),
      severity: severityOf(hit.Level),
    });
  }
  return findings;
}

export class FlawfinderAnalyzer extends ToolAnalyzer {
  readonly name = 'flawfinder';
  readonly languages: readonly Language[] = ['c', 'cpp'];

  constructor(private readonly options: FlawfinderOptions = {}) {
    // A pattern matcher's silence proves nothing: it judges no CWE.
    super([], options.bin ?? 'flawfinder', options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const level = options.minLevel;
    if (level !== undefined && !(Number.isInteger(level) && level >= 0 && level <= 5)) {
      throw new RangeError(`flawfinder's minLevel is a risk level from 0 to 5, e.g. new FlawfinderAnalyzer({ minLevel: 4 }); got ${level}`);
    }
  }

  async analyze(input: AnalyzeInput): Promise<Finding[]> {
    await this.ensureReady(input);
    const refused = refusalFindings(input.code, this.name);
    if (refused.length > 0) return refused;
    const minLevel = this.options.minLevel ?? FLAWFINDER_DEFAULT_MIN_LEVEL;
    return withTempDir(async (dir) => {
      const name = snippetFileName(input.fileName, input.language === 'c' ? '.c' : '.cpp');
      await writeSource(dir, name, input.code);
      // --neverignore: a `/* Flawfinder: ignore */` comment in a rewrite must not hide what it adds.
      const args = ['--csv', '--quiet', '--dataonly', '--neverignore', `--minlevel=${minLevel}`, '--', name];
      // Flawfinder reports errors (a file it cannot open or decode) on stdout, with a non-zero exit.
      const run = await runTool(this.bin, args, { analyzer: this.name, cwd: dir, timeoutMs: this.timeoutMs, okExitCodes: [0], env: { PYTHONUTF8: '1' } });
      return parseFlawfinderCsv(run.stdout, minLevel, [this.bin, ...args]);
    });
  }
}
