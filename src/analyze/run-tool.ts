// Running an analyzer: code goes to a fresh temp folder, the tool runs directly (never through a
// shell, so a timeout kills the tool itself), and the folder is removed afterwards.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { AnalyzerFailedError, AnalyzerTimeoutError } from './errors.js';

/** Default time limit for one analyzer run. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface ToolRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunToolOptions {
  /** Analyzer name for errors. */
  analyzer: string;
  cwd: string;
  timeoutMs: number;
  /** Exit codes that mean "ran and reported" (bandit exits 1 when it finds issues). Others throw. */
  okExitCodes: readonly number[];
  /** Extra environment variables, on top of the inherited environment and LC_ALL=C. */
  env?: Record<string, string>;
}

const tail = (text: string, max: number) => (text.length > max ? `…${text.slice(-max)}` : text).trim();

/**
 * Runs `file args` and returns its output. Throws AnalyzerTimeoutError when it overruns,
 * AnalyzerFailedError when it cannot start, dies from a signal or exits with an unexpected code.
 */
export async function runTool(file: string, args: readonly string[], options: RunToolOptions): Promise<ToolRun> {
  const command = [file, ...args];
  const result = await execa(file, args, {
    cwd: options.cwd,
    timeout: options.timeoutMs,
    forceKillAfterDelay: 2_000,
    reject: false,
    stdin: 'ignore',
    // Plain ASCII quotes in messages, and the same text on every machine.
    env: { LC_ALL: 'C', ...options.env },
    maxBuffer: 20_000_000,
  });
  if (result.timedOut) throw new AnalyzerTimeoutError(options.analyzer, command, options.timeoutMs);
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  if (result.exitCode === undefined) {
    throw new AnalyzerFailedError(options.analyzer, command, undefined, tail(stderr || (result.originalMessage ?? result.message ?? 'it did not start'), 500), {
      cause: result.cause,
    });
  }
  if (!options.okExitCodes.includes(result.exitCode)) {
    throw new AnalyzerFailedError(options.analyzer, command, result.exitCode, tail(stderr, 500));
  }
  return { stdout: typeof result.stdout === 'string' ? result.stdout : '', stderr, exitCode: result.exitCode };
}

/** Runs `work` with a fresh private temp folder, removed afterwards whatever happens. */
export async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'seccoder-analyze-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes `code` to `dir/name` and returns the full path. */
export async function writeSource(dir: string, name: string, code: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, code.endsWith('\n') ? code : `${code}\n`, 'utf8');
  return path;
}

/**
 * A safe file name for the analyzed code: the hint's last path segment with anything but letters,
 * digits, `.`, `_` and `-` replaced, ending in `extension` (".py"). The hint is never a path.
 */
export function snippetFileName(hint: string | undefined, extension: string, fallback = 'snippet'): string {
  const last = (hint ?? '').split(/[\\/]/).pop() ?? '';
  let base = last
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[.-]+/, '')
    .slice(0, 80);
  if (base.toLowerCase().endsWith(extension.toLowerCase())) base = base.slice(0, -extension.length);
  base = base.replace(/[.]+$/, '');
  return `${base || fallback}${extension}`;
}

/** Whether a tool can be used here, and a short note why not (or which version). */
export interface Availability {
  ok: boolean;
  detail: string;
}

/** Runs `bin args` (default `--version`) once; ok when it exits 0. Never throws. */
export async function probeCommand(bin: string, args: readonly string[] = ['--version'], timeoutMs = 15_000): Promise<Availability> {
  try {
    const result = await execa(bin, args, { reject: false, timeout: timeoutMs, stdin: 'ignore', env: { LC_ALL: 'C' } });
    const out = `${typeof result.stdout === 'string' ? result.stdout : ''}\n${typeof result.stderr === 'string' ? result.stderr : ''}`;
    const firstLine =
      out
        .split('\n')
        .find((line) => line.trim() !== '')
        ?.trim() ?? '';
    if (result.exitCode === 0) return { ok: true, detail: firstLine };
    const why = result.exitCode === undefined ? (result.originalMessage ?? result.shortMessage) : `exit code ${result.exitCode}: ${firstLine}`;
    return { ok: false, detail: `${bin} is not usable (${why})` };
  } catch (error) {
    return { ok: false, detail: `${bin} is not usable (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** Memoizes an availability check: the first call runs it, later calls share the answer. Never rejects. */
export class AvailabilityCache {
  private answer?: Promise<Availability>;
  constructor(private readonly check: () => Promise<Availability>) {}

  get(): Promise<Availability> {
    this.answer ??= this.check().catch((error: unknown) => ({
      ok: false,
      detail: error instanceof Error ? error.message : String(error),
    }));
    return this.answer;
  }
}
