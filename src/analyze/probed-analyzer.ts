// What every analyzer that checks once whether it can run shares: the cached probe behind
// `available()`, and `judges()` from the CWEs whose absence from its findings shows a weakness is
// gone. Command-line tools (tool-analyzer.ts) and ESLint in process (eslint.ts) both build on it.
import type { Language } from '../lang/languages.js';
import { mentionsWeakness } from '../cwe/same-weakness.js';
import type { AvailabilityCache, Availability } from './run-tool.js';
import type { AnalyzeInput, Analyzer, Finding } from './types.js';

export abstract class ProbedAnalyzer implements Analyzer {
  abstract readonly name: string;
  abstract readonly languages: readonly Language[];
  /** CWEs whose absence from the findings shows a weakness is gone (empty: silence proves nothing). */
  abstract readonly judgedCwes: readonly string[];
  protected abstract readonly probe: AvailabilityCache;

  async available(): Promise<boolean> {
    return (await this.probe.get()).ok;
  }

  /** Whether the analyzer runs here, with its version, or why not. */
  availability(): Promise<Availability> {
    return this.probe.get();
  }

  judges(cwe: string, language: Language): boolean {
    return this.languages.includes(language) && mentionsWeakness(this.judgedCwes, cwe);
  }

  abstract analyze(input: AnalyzeInput): Promise<Finding[]>;
}
