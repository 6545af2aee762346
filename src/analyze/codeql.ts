// CodeQL, when its CLI is on PATH (it is not installable from npm or apt; CodeQL's own results
// usually reach SecCoder as alerts instead). For the interpreted languages only: a database is made
// from the single file, the language's security-extended suite runs on it, and the SARIF results
// become findings with the CWEs from the rules' tags.
import { ToolAnalyzer } from './tool-analyzer.js';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Language } from '../lang/languages.js';
import { SarifReadError } from '../sarif/read-error.js';
import { AnalyzerOutputError, UnsupportedLanguageError } from './errors.js';
import { type Availability, probeCommand, runTool, snippetFileName, withTempDir, writeSource } from './run-tool.js';
import { readSarifReport } from './sarif.js';
import type { AnalyzeInput, Finding } from './types.js';

/** SecCoder language → CodeQL extractor (`--language`) and query pack. TypeScript is JavaScript's extractor. */
const CODEQL_LANGUAGES: Partial<Record<Language, { extractor: string; pack: string; extension: string }>> = {
  python: { extractor: 'python', pack: 'python', extension: '.py' },
  javascript: { extractor: 'javascript', pack: 'javascript', extension: '.js' },
  typescript: { extractor: 'javascript', pack: 'javascript', extension: '.ts' },
};

export interface CodeqlOptions {
  /** The codeql executable (default `codeql` on PATH). */
  bin?: string;
  /** Time limit for each of the two steps, database creation and analysis (default 300 000 ms). */
  timeoutMs?: number;
  /** Query suite for a pack name (default `codeql/<pack>-queries:codeql-suites/<pack>-security-extended.qls`). */
  suite?: (pack: string) => string;
}

const defaultSuite = (pack: string) => `codeql/${pack}-queries:codeql-suites/${pack}-security-extended.qls`;

export class CodeqlAnalyzer extends ToolAnalyzer {
  readonly name = 'codeql';
  readonly languages: readonly Language[] = ['python', 'javascript', 'typescript'];

  /**
   * Judges no CWE: CodeQL's security queries track data from sources (a web request, argv) that
   * live elsewhere in the program, so on a lone function "no result" never shows a weakness is
   * gone. Its findings still count when comparing an original with its rewrite.
   */
  constructor(private readonly options: CodeqlOptions = {}) {
    super([], options.bin ?? 'codeql', options.timeoutMs ?? 300_000);
  }

  protected override probeTool(): Promise<Availability> {
    return probeCommand(this.bin, ['version']);
  }

  async analyze(input: AnalyzeInput): Promise<Finding[]> {
    await this.ensureReady(input);
    const language = CODEQL_LANGUAGES[input.language];
    if (!language) throw new UnsupportedLanguageError(this.name, input.language, this.languages);
    return withTempDir(async (dir) => {
      const sourceRoot = join(dir, 'src');
      await mkdir(sourceRoot);
      await writeSource(sourceRoot, snippetFileName(input.fileName, language.extension), input.code);
      const database = join(dir, 'db');
      const sarif = join(dir, 'results.sarif');
      const runOptions = { analyzer: this.name, cwd: dir, timeoutMs: this.timeoutMs, okExitCodes: [0] };
      await runTool(this.bin, ['database', 'create', database, `--language=${language.extractor}`, `--source-root=${sourceRoot}`, '--quiet'], runOptions);
      const analyzeArgs = [
        'database',
        'analyze',
        database,
        (this.options.suite ?? defaultSuite)(language.pack),
        '--format=sarif-latest',
        `--output=${sarif}`,
        '--quiet',
      ];
      await runTool(this.bin, analyzeArgs, runOptions);
      const report = await readFile(sarif, 'utf8');
      try {
        return readSarifReport(report, sarif).map((result) => ({
          ruleId: result.ruleId,
          cwe: result.cwe,
          message: result.message,
          line: Math.max(1, result.line ?? 1),
          ...(result.level ? { severity: result.level } : {}),
        }));
      } catch (error) {
        if (error instanceof SarifReadError) throw new AnalyzerOutputError(this.name, [this.bin, ...analyzeArgs], error.reason, report.slice(0, 300));
        throw error;
      }
    });
  }
}
