// Bandit for Python, run through bandit-runner.py, which restores the string checks (SQL injection
// B608 among them) that bandit 1.6.2 silently skips on Python 3.8+.
import { ToolAnalyzer } from './tool-analyzer.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Language } from '../lang/languages.js';
import { BANDIT_JUDGED_CWES, banditCwes } from './bandit-cwe.js';
import { AnalyzerOutputError } from './errors.js';
import { type Availability, DEFAULT_TIMEOUT_MS, probeCommand, runTool, snippetFileName, withTempDir, writeSource } from './run-tool.js';
import type { AnalyzeInput, Finding } from './types.js';

/**
 * Tests skipped by default: audit notes that fire on the recommended safe form itself. With them,
 * replacing `os.system(cmd)` by `subprocess.run([...])` would count as new findings.
 * B404 import of subprocess, B603 subprocess call without a shell, B607 program named without a path.
 */
export const BANDIT_DEFAULT_SKIPS: readonly string[] = ['B404', 'B603', 'B607'];

/** Where bandit-runner.py may be: next to this module (running from source), or in the package's src/analyze/ (running from dist/). */
const RUNNER_CANDIDATES = [new URL('./bandit-runner.py', import.meta.url), new URL('../../../src/analyze/bandit-runner.py', import.meta.url)];

export interface BanditOptions {
  /**
   * Python interpreters to try, in order; the first that can import bandit is used. Default:
   * `python3` on PATH, then `/usr/bin/python3` (Debian's bandit lives there, and a pyenv or venv
   * python3 earlier on PATH cannot import it).
   */
  pythons?: readonly string[];
  /** Path of bandit-runner.py. Default: found next to this module or in the package's src/analyze/. */
  runner?: string;
  /** Test ids to skip (default BANDIT_DEFAULT_SKIPS); pass [] to run every test. */
  skip?: readonly string[];
  /** Kill bandit after this many milliseconds (default 30 000). */
  timeoutMs?: number;
}

const ResultSchema = z.object({
  test_id: z.string().min(1),
  issue_text: z.string(),
  line_number: z.number().int(),
  issue_severity: z.string().optional(),
  issue_confidence: z.string().optional(),
});

const ReportSchema = z.object({
  errors: z.array(z.object({ filename: z.string().optional(), reason: z.string() })).default([]),
  results: z.array(ResultSchema),
});

/**
 * Python code as bandit can parse it, and how many lines were added in front. A method keeps its
 * class indentation in the pipeline; bandit needs module-level code, so the common indentation is
 * removed, or, when lines (a multi-line string) sit left of the first one, the code is put under
 * an `if True:` line.
 */
export function pythonModuleSource(code: string): { source: string; lineOffset: number } {
  const lines = code.replace(/\r\n?/g, '\n').split('\n');
  const first = lines.find((line) => line.trim() !== '');
  const indent = /^[ \t]*/.exec(first ?? '')?.[0] ?? '';
  if (indent === '') return { source: lines.join('\n'), lineOffset: 0 };
  if (lines.every((line) => line.trim() === '' || line.startsWith(indent))) {
    return { source: lines.map((line) => line.slice(Math.min(indent.length, line.length))).join('\n'), lineOffset: 0 };
  }
  return { source: `if True:\n${lines.join('\n')}`, lineOffset: 1 };
}

/** Reads bandit's JSON report into findings; a report it cannot read throws AnalyzerOutputError. */
export function parseBanditReport(stdout: string, lineOffset = 0, command: readonly string[] = ['bandit']): Finding[] {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new AnalyzerOutputError('bandit', command, 'not JSON', stdout.slice(0, 300));
  }
  const parsed = ReportSchema.safeParse(json);
  if (!parsed.success) {
    throw new AnalyzerOutputError('bandit', command, z.prettifyError(parsed.error).replace(/\n/g, '; '), stdout.slice(0, 300));
  }
  const findings: Finding[] = parsed.data.results.map((result) => ({
    ruleId: result.test_id,
    cwe: banditCwes(result.test_id),
    message: result.issue_text,
    line: Math.max(1, result.line_number - lineOffset),
    ...(result.issue_severity ? { severity: result.issue_severity.toLowerCase() } : {}),
  }));
  // Bandit lists a file it could not parse under "errors" and exits 0: that is no verdict, so it
  // becomes a finding; a rewrite that bandit cannot read is never "clean".
  for (const error of parsed.data.errors) {
    findings.push({ ruleId: 'syntax-error', cwe: [], message: `bandit could not analyze the code: ${error.reason}`, line: 1, severity: 'error' });
  }
  return findings;
}

export class BanditAnalyzer extends ToolAnalyzer {
  readonly name = 'bandit';
  readonly languages: readonly Language[] = ['python'];
  private readonly skip: readonly string[];
  private python = 'python3';
  private runnerPath = '';

  constructor(private readonly options: BanditOptions = {}) {
    // The executable is the Python that can import bandit, found by the probe.
    super([...BANDIT_JUDGED_CWES], 'python3', options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.skip = options.skip ?? BANDIT_DEFAULT_SKIPS;
  }

  protected override probeTool(): Promise<Availability> {
    return this.findInterpreter();
  }

  protected override command(): string[] {
    return [this.python, 'bandit-runner.py'];
  }

  async analyze(input: AnalyzeInput): Promise<Finding[]> {
    await this.ensureReady(input);
    const { source, lineOffset } = pythonModuleSource(input.code);
    return withTempDir(async (dir) => {
      const name = snippetFileName(input.fileName, '.py');
      await writeSource(dir, name, source);
      // --ignore-nosec: a `# nosec` comment in a rewrite must not hide what it adds.
      const args = [this.runnerPath, '-f', 'json', '-q', '--ignore-nosec', ...(this.skip.length > 0 ? ['-s', this.skip.join(',')] : []), name];
      // Exit 1 means "issues found", not a failure.
      const run = await runTool(this.python, args, { analyzer: this.name, cwd: dir, timeoutMs: this.timeoutMs, okExitCodes: [0, 1] });
      return parseBanditReport(run.stdout, lineOffset, [this.python, ...args]);
    });
  }

  private async findInterpreter(): Promise<Availability> {
    const runner = this.options.runner ?? RUNNER_CANDIDATES.map((url) => fileURLToPath(url)).find((path) => existsSync(path));
    if (!runner || !existsSync(runner)) {
      return {
        ok: false,
        detail: `bandit-runner.py not found (looked for ${this.options.runner ?? RUNNER_CANDIDATES.map((url) => fileURLToPath(url)).join(', ')})`,
      };
    }
    const pythons = this.options.pythons ?? ['python3', '/usr/bin/python3'];
    const problems: string[] = [];
    for (const python of new Set(pythons)) {
      // The runner imports bandit before answering --version, so this proves the whole chain works.
      const answer = await probeCommand(python, [runner, '--version']);
      if (answer.ok) {
        this.python = python;
        this.runnerPath = runner;
        return { ok: true, detail: `${answer.detail} via ${python}` };
      }
      problems.push(answer.detail);
    }
    return { ok: false, detail: `no Python here can import bandit (run scripts/install-analyzers.sh): ${problems.join('; ')}` };
  }
}
