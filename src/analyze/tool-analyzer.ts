// What every command-line analyzer shares: checking once whether its tool runs here, saying which
// CWEs it can judge, and refusing languages that are not its own before running anything.
import { AnalyzerFailedError, UnsupportedLanguageError } from './errors.js';
import { ProbedAnalyzer } from './probed-analyzer.js';
import { AvailabilityCache, probeCommand, type Availability } from './run-tool.js';
import type { AnalyzeInput } from './types.js';

export abstract class ToolAnalyzer extends ProbedAnalyzer {
  protected readonly probe = new AvailabilityCache(() => this.probeTool());

  /**
   * @param judgedCwes CWEs whose absence from this tool's findings shows a weakness is gone
   *   (empty: the tool's silence proves nothing, as for CodeQL on a lone function); `judges` also
   *   accepts the same weakness by another id (`sameWeakness`: a parent or a child in the hierarchy).
   * @param bin The tool's executable.
   * @param timeoutMs Limit for one run of the tool.
   */
  constructor(
    readonly judgedCwes: readonly string[],
    protected readonly bin: string,
    protected readonly timeoutMs: number,
  ) {
    super();
  }

  /** Checks once (cached) whether the tool can run; by default, that `bin --version` answers. */
  protected probeTool(): Promise<Availability> {
    return probeCommand(this.bin);
  }

  /** The command named in errors when the tool is unavailable. */
  protected command(): string[] {
    return [this.bin];
  }

  /** Throws unless the input's language is this tool's and the tool runs here. */
  protected async ensureReady(input: AnalyzeInput): Promise<void> {
    if (!this.languages.includes(input.language)) throw new UnsupportedLanguageError(this.name, input.language, this.languages);
    const state = await this.probe.get();
    if (!state.ok) throw new AnalyzerFailedError(this.name, this.command(), undefined, state.detail);
  }
}
