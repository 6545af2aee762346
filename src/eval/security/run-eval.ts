// The evaluation loop: for each scenario and mode, the hardening pipeline (hardenTarget) takes the
// mode's demonstrations, builds the prompt and takes n samples (from the cache first, then the
// model) — the same path a pull request's functions go — and stops before its own validation; the
// eval turns the samples into programs, drops the ones that do not count, judges the rest, and
// tallies. Without a model only the retrieval side runs.
import type { Target } from '../../detect/types.js';
import { hardenTarget, type DemonstrationSource } from '../../harden/harden-target.js';
import { languageFamily } from '../../lang/languages.js';
import { isFatalModelError } from '../../model/errors.js';
import { Semaphore } from '../../model/semaphore.js';
import type { CodeModel } from '../../model/types.js';
import type { RetrievalScores } from '../retrieval-metrics.js';
import { CachedModel, CompletionCache, UnfinishedSamplesError } from './completion-cache.js';
import { EvalModelError } from './errors.js';
import type { JudgeCoverage, JudgeSelector, ScenarioJudge } from './judges.js';
import { demonstrationsForMode, type DemonstrationChooser, type EvalMode } from './modes.js';
import { emptyCounts, scenarioRate, summarizeModes, type ModeSummary, type ScenarioModeResult, type ScenarioResult } from './rates.js';
import { fixPatternRecall, retrievalScores, type FixPair, type FixPatternRecall } from './retrieval-quality.js';
import { scenarioFunctionName, sortSamples, type PromptStyle, type SyntaxChecker } from './samples.js';
import type { EvalScenario } from './scenario-sets.js';

export interface EvalSettings {
  modes: readonly EvalMode[];
  /** Demonstrations per prompt (the paper: 1). */
  k: number;
  style: PromptStyle;
  samples: number;
  temperature: number;
  topP: number;
  maxTokens: number;
}

export interface EvalDependencies {
  chooser: DemonstrationChooser;
  /** Absent: retrieval metrics and fix-pattern recall only. */
  model?: CodeModel;
  cache?: CompletionCache;
  judges: JudgeSelector;
  checker: SyntaxChecker;
  /** Called after each prompt is sampled and judged. */
  onProgress?: (done: number, total: number) => void;
  /** Programs judged at once, per prompt (default 2). */
  judgeConcurrency?: number;
  /** Scenarios sampled and judged at once (default 2). */
  scenarioConcurrency?: number;
}

export interface EvalReport {
  /** Format version; bump on incompatible changes. */
  version: 1;
  createdAt: string;
  model: string | null;
  settings: EvalSettings;
  corpus: { entries: number; embedder: string };
  sets: { name: string; scenarios: number }[];
  /** Per mode: mean security rate, per CWE; empty without a model. */
  modes: ModeSummary[];
  scenarios: ScenarioResult[];
  /** Each judge the scenarios used, with the CWEs it covers (empty without a model). */
  judges: JudgeCoverage[];
  /** Scenarios no judge could be used for: never counted as secure. */
  notJudged: { id: string; cwe: string; language: string; reason: string }[];
  /** Retrieval metrics per mode over the same scenarios (null for `none`). */
  retrieval: Partial<Record<EvalMode, RetrievalScores | null>>;
  /** Fix-pattern recall per mode on SVEN's validation pairs (null for `none`, or when the pairs are missing). */
  fixPatternRecall: Partial<Record<EvalMode, FixPatternRecall | null>>;
  modelErrors: { prompts: number; failed: number; first?: string };
  /** Functional correctness (HumanEval pass@k) is not measured yet; per-mode results will go in `modes[].functional`. */
  functional: { measured: false; note: string };
}

export interface EvalInput {
  scenarios: readonly EvalScenario[];
  /** The scenario sets, named as the user gave them, with their sizes. */
  sets: { name: string; scenarios: number }[];
  /** SVEN's validation pairs, for fix-pattern recall ([] to skip it). */
  fixPairs: readonly FixPair[];
}

export async function runSecurityEval(input: EvalInput, settings: EvalSettings, deps: EvalDependencies): Promise<EvalReport> {
  const { scenarios, sets, fixPairs } = input;
  const retrieval: EvalReport['retrieval'] = {};
  const recall: EvalReport['fixPatternRecall'] = {};
  for (const mode of settings.modes) {
    retrieval[mode] = await retrievalScores(deps.chooser, mode, scenarios);
    recall[mode] = fixPairs.length === 0 ? null : await fixPatternRecall(deps.chooser, mode, fixPairs, settings.k);
  }
  const results: ScenarioResult[] = [];
  const modelErrors: EvalReport['modelErrors'] = { prompts: 0, failed: 0 };
  const { model } = deps;
  if (model) {
    const cached = new CachedModel(model, deps.cache ?? (await CompletionCache.open(undefined)), settings);
    const total = scenarios.length * settings.modes.length;
    let done = 0;
    let stopped: unknown;
    // Scenarios side by side (the model client bounds requests in flight); results stay in scenario order.
    const slots = new Semaphore(deps.scenarioConcurrency ?? 2);
    results.push(
      ...(await Promise.all(
        scenarios.map((scenario) =>
          slots.use(async () => {
            const judge = await deps.judges.select(scenario);
            const result: ScenarioResult = { id: scenario.id, set: scenario.set, cwe: scenario.cwe, language: scenario.language, judge: judge.info, modes: {} };
            for (const mode of settings.modes) {
              if (stopped) break;
              try {
                result.modes[mode] = await runPrompt(scenario, mode, judge, cached, settings, deps);
              } catch (error) {
                stopped ??= error;
                break;
              }
              done += 1;
              deps.onProgress?.(done, total);
            }
            return result;
          }),
        ),
      )),
    );
    if (stopped) throw stopped;
    for (const result of results) {
      for (const mode of settings.modes) {
        const error = result.modes[mode]?.error;
        modelErrors.prompts += 1;
        if (error === undefined) continue;
        modelErrors.failed += 1;
        modelErrors.first ??= `${result.id} (${mode}): ${error}`;
      }
    }
    if (modelErrors.prompts > 0 && modelErrors.failed === modelErrors.prompts) {
      throw new EvalModelError(`every prompt failed at the model; first: ${modelErrors.first ?? ''}`);
    }
  }
  const notJudged = results
    .filter((result) => result.judge.kind === 'none')
    .map((result) => ({ id: result.id, cwe: result.cwe, language: result.language, reason: result.judge.reason ?? 'no judge' }));
  return {
    version: 1,
    createdAt: new Date().toISOString(),
    model: model?.name ?? null,
    settings: { ...settings, modes: [...settings.modes] },
    corpus: { entries: deps.chooser.entries.length, embedder: deps.chooser.embedderId ?? 'unknown' },
    sets,
    modes: model ? summarizeModes(results, settings.modes) : [],
    scenarios: results,
    judges: deps.judges.coverage(results),
    notJudged,
    retrieval,
    fixPatternRecall: recall,
    modelErrors,
    functional: { measured: false, note: 'functional correctness (HumanEval pass@k) is not measured yet' },
  };
}

/** The scenario as the pipeline's target: the function it starts, after its file context. */
function scenarioTarget(scenario: EvalScenario): Target {
  const lines = (text: string) => text.split('\n').length;
  const startLine = lines(scenario.fileContext);
  return {
    path: scenario.fileName,
    language: scenario.language,
    function: {
      name: scenarioFunctionName(scenario) ?? 'the function',
      // Only the function's start: the model writes the rest.
      code: scenario.funcContext,
      signature: scenario.funcContext,
      startLine,
      endLine: startLine + lines(scenario.funcContext) - 1,
      parameters: [],
    },
    fileContext: scenario.fileContext,
    alerts: [],
    reason: 'changed-function',
  };
}

/**
 * The mode's demonstrations as the pipeline retrieves them. The pipeline's query is the function
 * alone; the eval's is the whole file prefix (as the paper's), seeded by the scenario for `random`,
 * so the query the pipeline passes is ignored. The chooser gives entries only, best first: their
 * order is the ranking, and with no similarity none is filtered out.
 */
function scenarioDemonstrations(chooser: DemonstrationChooser, mode: EvalMode, scenario: EvalScenario, k: number): DemonstrationSource {
  return {
    retrieve: async () => {
      const query = { code: scenario.fileContext + scenario.funcContext, language: scenario.language, seed: scenario.id };
      const entries = await demonstrationsForMode(chooser, mode, query, k);
      return entries.map((entry, rank) => ({
        entry,
        score: entries.length - rank,
        sameLanguage: languageFamily(entry.language) === languageFamily(scenario.language),
        // The CWE is never given to the eval's retrieval.
        cweMatch: false,
      }));
    },
  };
}

async function runPrompt(
  scenario: EvalScenario,
  mode: EvalMode,
  judge: ScenarioJudge,
  model: CachedModel,
  settings: EvalSettings,
  deps: EvalDependencies,
): Promise<ScenarioModeResult> {
  const outcome = await hardenTarget(
    scenarioTarget(scenario),
    { demonstrations: scenarioDemonstrations(deps.chooser, mode, scenario, settings.k), model },
    {
      style: settings.style,
      retrieve: settings.k,
      budget: { maxDemonstrations: settings.k },
      generation: { samples: settings.samples, temperature: settings.temperature, topP: settings.topP, maxTokens: settings.maxTokens },
      // The eval judges the programs itself, the paper's way.
      validate: false,
    },
  );
  const counts = emptyCounts();
  const result: ScenarioModeResult = { counts, rate: null, demonstrations: outcome.prompt.demonstrationIds, rules: {} };
  let got = outcome.replies;
  if (outcome.error !== undefined) {
    const { failure } = outcome;
    const cause = failure instanceof UnfinishedSamplesError ? failure.cause : failure;
    if (isFatalModelError(cause)) throw new EvalModelError((cause as Error).message, { cause });
    result.error = cause instanceof Error ? cause.message : String(cause);
    // What the cache held is judged all the same.
    got = failure instanceof UnfinishedSamplesError ? failure.cached : [];
  }
  counts.samples = got.length;
  const fates = await sortSamples(scenario, settings.style, got, deps.checker);
  const judged = judge.info.kind !== 'none';
  const slots = new Semaphore(deps.judgeConcurrency ?? 2);
  await Promise.all(
    fates.map(async ({ fate, program }) => {
      if (fate !== 'valid') {
        counts[fate] += 1;
        return;
      }
      if (!judged || program === undefined) {
        counts.valid += 1;
        return;
      }
      const verdict = await slots.use(() => judge.judge(program));
      if (verdict.verdict === 'unanalyzable') {
        counts.unanalyzable += 1;
        return;
      }
      counts.valid += 1;
      if (verdict.verdict === 'secure') {
        counts.secure += 1;
      } else {
        counts.vulnerable += 1;
        for (const rule of verdict.rules) result.rules[rule] = (result.rules[rule] ?? 0) + 1;
      }
    }),
  );
  result.rate = scenarioRate(counts, judged);
  // Judged side by side, so the rules came in any order.
  result.rules = Object.fromEntries(Object.entries(result.rules).sort(([a], [b]) => a.localeCompare(b)));
  return result;
}
