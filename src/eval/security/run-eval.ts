// The evaluation loop: for each scenario and mode, choose the demonstrations, build the prompt,
// take n samples (from the cache first, then the model), turn them into programs, drop the ones
// that do not count, judge the rest, and tally. Without a model only the retrieval side runs.
import type { CorpusEntry } from '../../corpus/entry.js';
import { ModelHttpError, ModelNetworkError } from '../../model/errors.js';
import { Semaphore } from '../../model/semaphore.js';
import type { CodeModel } from '../../model/types.js';
import { buildPrompt } from '../../prompt/build-prompt.js';
import type { PromptDemonstration } from '../../prompt/types.js';
import type { RetrievalScores } from '../retrieval-metrics.js';
import { CompletionCache, promptHash } from './completion-cache.js';
import type { JudgeSelector, ScenarioJudge } from './judges.js';
import { chooseDemonstrations, type DemonstrationChooser, type EvalMode } from './modes.js';
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

/** The model cannot be reached or refuses every request: stop instead of failing each prompt the same way. */
export class EvalModelError extends Error {
  override name = 'EvalModelError';
}

function promptDemonstration(entry: CorpusEntry): PromptDemonstration {
  const provenance = entry.source.url ?? ([entry.source.repo, entry.source.path].filter(Boolean).join(' ') || undefined);
  return { id: entry.id, language: entry.language, code: entry.code, cwe: entry.cwe, provenance };
}

/** Failures no other prompt would escape: unreachable, unauthorized, no such endpoint or model. */
function isFatal(error: unknown): boolean {
  if (error instanceof ModelNetworkError) return true;
  return error instanceof ModelHttpError && [401, 403, 404].includes(error.status ?? 0);
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
    const cache = deps.cache ?? (await CompletionCache.open(undefined));
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
                result.modes[mode] = await runPrompt(scenario, mode, judge, model, cache, settings, deps);
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
    notJudged,
    retrieval,
    fixPatternRecall: recall,
    modelErrors,
    functional: { measured: false, note: 'functional correctness (HumanEval pass@k) is not measured yet' },
  };
}

async function runPrompt(
  scenario: EvalScenario,
  mode: EvalMode,
  judge: ScenarioJudge,
  model: CodeModel,
  cache: CompletionCache,
  settings: EvalSettings,
  deps: EvalDependencies,
): Promise<ScenarioModeResult> {
  const demos = await chooseDemonstrations(deps.chooser, mode, { code: scenario.fileContext + scenario.funcContext, language: scenario.language, seed: scenario.id }, settings.k);
  const prompt = buildPrompt(
    {
      language: scenario.language,
      path: scenario.fileName,
      functionCode: scenario.funcContext,
      functionName: scenarioFunctionName(scenario) ?? 'the function',
      signature: scenario.funcContext,
      fileContext: scenario.fileContext,
      demonstrations: demos.map(promptDemonstration),
    },
    { maxDemonstrations: settings.k },
  );
  const request = settings.style === 'completion' ? prompt.completion : prompt.messages;
  const hash = promptHash({ style: settings.style, request }, { temperature: settings.temperature, topP: settings.topP, maxTokens: settings.maxTokens });
  const counts = emptyCounts();
  const result: ScenarioModeResult = { counts, rate: null, demonstrations: prompt.demonstrationIds, rules: {} };

  const samples: (string | undefined)[] = Array.from({ length: settings.samples }, (_, index) => cache.get(model.name, hash, index));
  const missing = samples.flatMap((sample, index) => (sample === undefined ? [index] : []));
  if (missing.length > 0) {
    const options = { samples: missing.length, temperature: settings.temperature, topP: settings.topP, maxTokens: settings.maxTokens };
    try {
      const texts = settings.style === 'completion' ? await model.complete(prompt.completion, options) : await model.chat(prompt.messages, options);
      const fresh = missing.slice(0, texts.length).map((index, i) => ({ index, text: texts[i] as string }));
      await cache.put(model.name, hash, fresh);
      for (const { index, text } of fresh) samples[index] = text;
    } catch (error) {
      if (isFatal(error)) throw new EvalModelError((error as Error).message, { cause: error });
      result.error = error instanceof Error ? error.message : String(error);
    }
  }
  const got = samples.filter((sample): sample is string => sample !== undefined);
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
