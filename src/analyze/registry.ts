// The analyzers SecCoder knows, in one list, and the choice of those that can judge a language here.
import type { Language } from '../lang/languages.js';
import { BanditAnalyzer } from './bandit.js';
import { ClangAnalyzer } from './clang.js';
import { CodeqlAnalyzer } from './codeql.js';
import { CppcheckAnalyzer } from './cppcheck.js';
import { EslintAnalyzer } from './eslint.js';
import { FlawfinderAnalyzer } from './flawfinder.js';
import { GccAnalyzer } from './gcc.js';
import type { AnalyzeInput, Analyzer, Finding } from './types.js';

export { compareFindings, findingKey, type FindingsDiff } from './compare-findings.js';

/**
 * Every analyzer with its default options: bandit (Python), cppcheck (C, C++), gcc -fanalyzer (C),
 * clang --analyze (C, C++), flawfinder (C, C++; judges nothing, feeds the "adds no new finding"
 * gate), ESLint with its security plugins (JavaScript, TypeScript; in process,
 * loaded on first use) and CodeQL (Python, JavaScript, TypeScript; only where its CLI is
 * installed). Nothing runs until `available()` or `analyze()` is called.
 */
export function defaultAnalyzers(): Analyzer[] {
  return [
    new BanditAnalyzer(),
    new CppcheckAnalyzer(),
    new GccAnalyzer(),
    new ClangAnalyzer(),
    new FlawfinderAnalyzer(),
    new EslintAnalyzer(),
    new CodeqlAnalyzer(),
  ];
}

/** The analyzers that handle `language` and are installed here, in the given order. */
export async function analyzersFor(language: Language, analyzers: readonly Analyzer[]): Promise<Analyzer[]> {
  const handling = analyzers.filter((analyzer) => analyzer.languages.includes(language));
  const usable = await Promise.all(handling.map((analyzer) => analyzer.available().catch(() => false)));
  return handling.filter((_, index) => usable[index]);
}

/** A finding with the name of the analyzer that reported it. */
export type ToolFinding = Finding & { tool: string };

/**
 * Every analyzer's findings on the input, run side by side, each tagged with its analyzer's name.
 * An analyzer that fails fails the call, unless `onFailure` is given: its findings are then none.
 */
export async function findingsOfAll(
  analyzers: readonly Analyzer[],
  input: AnalyzeInput,
  onFailure?: (analyzer: Analyzer, error: unknown) => void,
): Promise<ToolFinding[]> {
  const results = await Promise.all(
    analyzers.map(async (analyzer) => {
      try {
        return (await analyzer.analyze(input)).map((finding) => ({ ...finding, tool: analyzer.name }));
      } catch (error) {
        if (!onFailure) throw error;
        onFailure(analyzer, error);
        return [];
      }
    }),
  );
  return results.flat();
}
