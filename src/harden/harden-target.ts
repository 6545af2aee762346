// The pipeline's work on one target: retrieve secure demonstrations → build the prompt → ask the
// code model for samples → validate each → choose the best → a Suggestion. Without a model it
// stops after the prompt (precedent mode); with `validate: false` after the model's replies (the
// security eval judges those itself). Callers go through `hardenChange` (harden-change.ts), or,
// for one ready-made target (the eval's scenarios), through `hardenTarget`.
import { cweWithName } from '../cwe/names.js';
import { mentionsWeakness } from '../cwe/same-weakness.js';
import { analyzersFor, compareFindings, findingsOfAll, type ToolFinding } from '../analyze/registry.js';
import { GATE_NOT_JUDGED_RULES } from '../analyze/secure-gate.js';
import { NOT_ANALYZED_RULES, REFUSED_RULES, type Analyzer, type Finding } from '../analyze/types.js';
import type { Target } from '../detect/types.js';
import type { CodeModel, GenerationOptions } from '../model/types.js';
import { buildPrompt } from '../prompt/build-prompt.js';
import type { BuiltPrompt, PromptBudget, PromptDemonstration } from '../prompt/types.js';
import { evidenceOfFindings } from '../retrieve/analyzer-evidence.js';
import type { Demonstration, RetrievalQuery } from '../retrieve/retriever.js';
import { chooseBest } from './choose.js';
import { codeFromChatReply, codeFromCompletion } from './extract-reply.js';
import type { ResolvedFinding, Suggestion } from './suggestion.js';
import { validateCandidate, type RejectionReason } from './validate.js';

/** Anything that finds demonstrations (the Retriever, or a stand-in in tests). */
export interface DemonstrationSource {
  retrieve(query: RetrievalQuery): Promise<Demonstration[]>;
}

export interface HardenDependencies {
  demonstrations: DemonstrationSource;
  /** Absent: precedent mode (demonstrations and the prompt, no generation). */
  model?: CodeModel;
  /** Analyzers to judge samples with; only those installed and handling the language run. */
  analyzers?: readonly Analyzer[];
}

export interface HardenOptions {
  /** 'chat' for instruction models (default), 'completion' for the paper's completion template. */
  style?: 'chat' | 'completion';
  /** Demonstrations retrieved per target; the prompt budget decides how many are shown (default 3). */
  retrieve?: number;
  budget?: PromptBudget;
  generation?: GenerationOptions;
  /** Demonstrations less similar than this (cosine) are not shown (default 0: all). */
  minSimilarity?: number;
  /**
   * Validate and judge the model's replies into a suggestion (default true). False stops after
   * the replies (`TargetOutcome.replies`), for a caller that judges them its own way.
   */
  validate?: boolean;
}

export interface TargetOutcome {
  target: Target;
  demonstrations: Demonstration[];
  prompt: BuiltPrompt;
  /** The validated rewrite, when a model was asked and a sample passed. */
  suggestion?: Suggestion;
  samples: number;
  /** The model's replies as it gave them (empty without a model). */
  replies: string[];
  rejections: Partial<Record<RejectionReason, number>>;
  /** The model or an analyzer failed; the message says what. */
  error?: string;
  /** What `error` came from (the model's or the analyzer's error object). */
  failure?: unknown;
}

function promptDemonstration({ entry }: Demonstration): PromptDemonstration {
  return {
    id: entry.id,
    language: entry.language,
    code: entry.code,
    cwe: entry.cwe,
    provenance: entry.source.url ?? ([entry.source.repo, entry.source.path].filter(Boolean).join(' ') || undefined),
  };
}

function targetCwe(target: Target): string | undefined {
  return target.alerts.flatMap((alert) => alert.cwe)[0];
}

function reasonSentence(target: Target, cwe: string[], demos: Demonstration[]): string {
  const weakness = cwe.length > 0 ? cwe.map(cweWithName).join(', ') : 'the weakness';
  const from = demos[0]?.entry.source.repo ? ` the way a fix in ${demos[0].entry.source.repo} did` : '';
  const alert = target.alerts[0] ? `, which code scanning flagged (${target.alerts[0].ruleId})` : '';
  return `Rewrites \`${target.function.name}\` to remove ${weakness}${alert}${from}.`;
}

/** Each analyzer's findings on `code`, tagged with its name. */
function findingsOf(analyzers: readonly Analyzer[], code: string, target: Target): Promise<ToolFinding[]> {
  return findingsOfAll(analyzers, { code, language: target.language, fileName: target.path.split('/').at(-1) });
}

/** Findings of the original the rewrite no longer has, for the comment (not "could not analyze" ones). */
function resolvedFindings(baseline: readonly ToolFinding[], findings: readonly Finding[]): ResolvedFinding[] {
  return compareFindings(baseline, findings)
    .removed.filter((finding) => !NOT_ANALYZED_RULES.has(finding.ruleId) && !REFUSED_RULES.has(finding.ruleId))
    .map((finding) => ({ tool: (finding as Finding & { tool: string }).tool, ruleId: finding.ruleId, message: finding.message, cwe: finding.cwe }));
}

/** The analyzers that could not analyze the code at all: it does not parse or compile alone, or they refused it. */
function notAnalyzedBy(findings: readonly ToolFinding[]): string[] {
  const unanalyzed = findings.filter((finding) => GATE_NOT_JUDGED_RULES.has(finding.ruleId) || REFUSED_RULES.has(finding.ruleId));
  return [...new Set(unanalyzed.map((finding) => finding.tool))];
}

function repliesFor(model: CodeModel, prompt: BuiltPrompt, options: HardenOptions): Promise<string[]> {
  return options.style === 'completion' ? model.complete(prompt.completion, options.generation) : model.chat(prompt.messages, options.generation);
}

/** The function's code in each reply (undefined: none found). */
function samplesOf(replies: readonly string[], target: Target, options: HardenOptions): Promise<(string | undefined)[]> {
  if (options.style === 'completion') {
    return Promise.all(replies.map((text) => codeFromCompletion(target.function.signature, text, target.function.name, target.language, target.path)));
  }
  return Promise.all(replies.map((reply) => codeFromChatReply(reply, target.function.name, target.language, target.path)));
}

export async function hardenTarget(target: Target, deps: HardenDependencies, options: HardenOptions = {}): Promise<TargetOutcome> {
  const cwe = targetCwe(target);
  const validating = deps.model !== undefined && options.validate !== false;
  // The original's findings are the validation baseline; found before retrieval, they are also
  // evidence of the weakness when no alert names it (a rule that fires names a CWE).
  const analyzers = validating ? await analyzersFor(target.language, deps.analyzers ?? []) : [];
  let baseline: ToolFinding[] = [];
  let baselineFailure: unknown;
  try {
    baseline = analyzers.length > 0 ? await findingsOf(analyzers, target.function.code, target) : [];
  } catch (error) {
    baselineFailure = error;
  }
  const evidence = cwe === undefined && baseline.length > 0 ? evidenceOfFindings(baseline) : undefined;
  const retrieved = await deps.demonstrations.retrieve({
    code: target.function.code,
    language: target.language,
    cwe,
    k: options.retrieve ?? 3,
    ...(evidence ? { evidence } : {}),
  });
  const demonstrations = retrieved.filter((demo) => demo.similarity === undefined || demo.similarity >= (options.minSimilarity ?? 0));
  const prompt = buildPrompt(
    {
      language: target.language,
      path: target.path,
      functionCode: target.function.code,
      functionName: target.function.name,
      signature: target.function.signature,
      fileContext: target.fileContext,
      demonstrations: demonstrations.map(promptDemonstration),
      alerts: target.alerts.map((alert) => ({ message: alert.message, cwe: alert.cwe, ruleId: alert.ruleId })),
    },
    options.budget,
  );
  const shown = demonstrations.filter((demo) => prompt.demonstrationIds.includes(demo.entry.id));
  const outcome: TargetOutcome = { target, demonstrations: shown, prompt, samples: 0, replies: [], rejections: {} };
  if (!deps.model) return outcome;
  // Without the baseline no sample can be judged: the model is not asked.
  if (baselineFailure !== undefined) return { ...outcome, error: `analyzer: ${(baselineFailure as Error).message}`, failure: baselineFailure };

  try {
    outcome.replies = await repliesFor(deps.model, prompt, options);
  } catch (error) {
    return { ...outcome, error: `model: ${(error as Error).message}`, failure: error };
  }
  outcome.samples = outcome.replies.length;
  if (!validating) return outcome;
  const samples = await samplesOf(outcome.replies, target, options);
  const reject = (reason: RejectionReason) => {
    outcome.rejections[reason] = (outcome.rejections[reason] ?? 0) + 1;
  };

  const judged = target.alerts.flatMap((alert) => alert.cwe).filter((id) => analyzers.some((analyzer) => analyzer.judges(id, target.language)));

  const valid: { code: string; findings: number; resolved: ResolvedFinding[]; imports: string[]; notAnalyzed: string[] }[] = [];
  const seen = new Set<string>();
  for (const sample of samples) {
    if (sample === undefined) {
      reject('no-code-block');
      continue;
    }
    const checked = await validateCandidate({ candidate: sample, original: target.function, language: target.language, path: target.path });
    if (!checked.ok) {
      reject(checked.reason);
      continue;
    }
    if (seen.has(checked.code)) continue;
    seen.add(checked.code);
    let findings: ToolFinding[] = [];
    try {
      findings = analyzers.length > 0 ? await findingsOf(analyzers, checked.code, target) : [];
    } catch (error) {
      return { ...outcome, error: `analyzer: ${(error as Error).message}`, failure: error };
    }
    if (compareFindings(baseline, findings).added.length > 0) {
      reject('analyzer-worse');
      continue;
    }
    // Tools name one weakness differently (cppcheck CWE-788, gcc CWE-119 for an overflow). Only a
    // tool that judges the alert's CWE speaks for it: flawfinder's CWE-119 on any fixed-size
    // buffer says nothing about whether a CWE-787 overflow is still there.
    const judgedBy = (finding: Finding & { tool: string }, id: string) =>
      analyzers.some((analyzer) => analyzer.name === finding.tool && analyzer.judges(id, target.language));
    if (judged.some((id) => findings.some((finding) => judgedBy(finding, id) && mentionsWeakness(finding.cwe, id)))) {
      reject('alert-still-fires');
      continue;
    }
    valid.push({
      code: checked.code,
      findings: findings.length,
      resolved: resolvedFindings(baseline, findings),
      imports: checked.imports,
      notAnalyzed: notAnalyzedBy(findings),
    });
  }
  const best = chooseBest(valid, target.function.code);
  if (!best) return outcome;
  const cwes = target.alerts.length > 0 ? [...new Set(target.alerts.flatMap((alert) => alert.cwe))] : [...new Set(shown.flatMap((demo) => demo.entry.cwe))];
  outcome.suggestion = {
    path: target.path,
    startLine: target.function.startLine,
    endLine: target.function.endLine,
    functionName: target.function.name,
    original: target.function.code,
    replacement: best.code,
    ...(best.imports.length > 0 ? { requiredImports: best.imports } : {}),
    ...(target.function.textBefore !== undefined ? { textBefore: target.function.textBefore } : {}),
    ...(target.function.textAfter !== undefined ? { textAfter: target.function.textAfter } : {}),
    alerts: target.alerts.map((alert) => ({ ruleId: alert.ruleId, message: alert.message, cwe: alert.cwe })),
    resolvedFindings: best.resolved,
    cwe: cwes,
    reason: reasonSentence(target, cwes, shown),
    demonstrations: shown.map((demo) => ({ id: demo.entry.id, source: demo.entry.source, score: demo.score, cwe: demo.entry.cwe })),
    model: deps.model.name,
    analysis: { language: target.language, ran: analyzers.map((analyzer) => analyzer.name), notAnalyzed: best.notAnalyzed },
  };
  return outcome;
}

/** Targets one after another (the model client bounds its own concurrency). */
export async function hardenTargets(targets: readonly Target[], deps: HardenDependencies, options: HardenOptions = {}): Promise<TargetOutcome[]> {
  const outcomes: TargetOutcome[] = [];
  for (const target of targets) outcomes.push(await hardenTarget(target, deps, options));
  return outcomes;
}
