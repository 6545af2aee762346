// What `seccoder harden` prints. On stdout, the report: per target, the demonstrations with the
// official name of each CWE shown, the suggestion as a diff and whether no analyzer checked it (or,
// in precedent mode, the prompt it would send, or why no sample was kept), then a one-line summary. On stderr, what went wrong or was left out: the files and functions
// skipped with their reason, and the targets the model or an analyzer failed on.
import { cweLegend } from '../cwe/names.js';
import type { SkippedTarget, Target } from '../detect/types.js';
import { qualifiedName } from '../detect/qualified-name.js';
import type { SourceFile } from '../detect/targets.js';
import { notCheckedNote } from '../harden/analysis-note.js';
import { renderSuggestionDiff } from '../harden/render-diff.js';
import type { TargetOutcome } from '../harden/harden-target.js';

/** Why no model was asked: none configured, or `--dry-run` (with the model it would have asked). */
export type Precedent = { reason: 'no-model' } | { reason: 'dry-run'; model?: string; url?: string };

export interface HardenReport {
  /** The model asked; undefined in precedent mode. */
  model: string | undefined;
  /** Set in precedent mode. */
  precedent?: Precedent;
  outcomes: TargetOutcome[];
  skipped: SkippedTarget[];
  files: SourceFile[];
}

export interface OutputStreams {
  out: (line: string) => void;
  err: (line: string) => void;
}

const CONSOLE: OutputStreams = { out: (line) => console.log(line), err: (line) => console.error(line) };

export function targetLabel(target: Target): string {
  return `${target.path}:${target.function.startLine}-${target.function.endLine} ${qualifiedName(target.function)}`;
}

function demonstrationLine(outcome: TargetOutcome, index: number): string {
  const demo = outcome.demonstrations[index];
  if (!demo) return '';
  const { entry } = demo;
  const where = entry.source.url ?? [entry.source.repo, entry.source.path].filter(Boolean).join(' ');
  return `  ${index + 1}. ${entry.id}  ${entry.cwe.join(',') || 'no CWE'}  ${entry.language}${where ? `  ${where}` : ''}`;
}

/** The official name of each weakness the target's alerts and demonstrations show as a bare id. */
function targetLegend(outcome: TargetOutcome): string[] {
  return cweLegend([...outcome.target.alerts.flatMap((alert) => alert.cwe), ...outcome.demonstrations.flatMap((demo) => demo.entry.cwe)]);
}

/** "3 samples, rejected: 2 parse-error, 1 unchanged": why a target got no suggestion without failing. */
export function noChangeReason(outcome: TargetOutcome): string {
  if (outcome.samples === 0) return 'the model returned no sample';
  const rejected = Object.entries(outcome.rejections)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([reason, count]) => `${count} ${reason}`);
  return `${outcome.samples} samples, rejected: ${rejected.join(', ') || 'none valid'}`;
}

function precedentNote(precedent: Precedent | undefined): string {
  if (precedent?.reason === 'dry-run') {
    const which = precedent.model || precedent.url ? ` (${[precedent.model, precedent.url && `at ${precedent.url}`].filter(Boolean).join(' ')})` : '';
    return `Precedent mode: --dry-run, so the model${which} was not called. Drop --dry-run to get suggestions.`;
  }
  return 'Precedent mode: no model configured. To get suggestions, pass --model-url <OpenAI-compatible URL or preset> --model <name> (see README).';
}

export function skipLine(skip: SkippedTarget): string {
  return `skipped ${skip.path}${skip.function ? ` ${skip.function}` : ''}: ${skip.reason}${skip.detail ? ` (${skip.detail})` : ''}`;
}

/** The targets that failed, one stderr line per distinct error (naming the targets it hit). */
export function failureLines(outcomes: readonly TargetOutcome[]): string[] {
  const byError = new Map<string, string[]>();
  for (const outcome of outcomes) {
    if (outcome.error === undefined) continue;
    byError.set(outcome.error, [...(byError.get(outcome.error) ?? []), targetLabel(outcome.target)]);
  }
  return [...byError].map(([error, labels]) => `seccoder: failed on ${labels.join(', ')}: ${error}`);
}

export function jsonReport(report: HardenReport, extra: Record<string, unknown> = {}) {
  return {
    model: report.model ?? null,
    precedent: report.precedent ?? null,
    targets: report.outcomes.map((outcome) => ({
      path: outcome.target.path,
      function: outcome.target.function.name,
      startLine: outcome.target.function.startLine,
      endLine: outcome.target.function.endLine,
      reason: outcome.target.reason,
      alerts: outcome.target.alerts,
      demonstrations: outcome.demonstrations.map((demo) => ({ id: demo.entry.id, cwe: demo.entry.cwe, score: demo.score, source: demo.entry.source })),
      prompt: report.model ? undefined : { messages: outcome.prompt.messages, completion: outcome.prompt.completion },
      samples: outcome.samples,
      rejections: outcome.rejections,
      suggestion: outcome.suggestion ?? null,
      error: outcome.error ?? null,
    })),
    skipped: report.skipped,
    failed: report.outcomes.filter((outcome) => outcome.error !== undefined).length,
    ...extra,
  };
}

/** Prints the report: `--json` as one JSON document on stdout, else as text. Skips and failures also go to stderr. */
export function printOutcomes(report: HardenReport, options: { json: boolean; style: 'chat' | 'completion' }, streams: OutputStreams = CONSOLE): void {
  const { out, err } = streams;
  for (const skip of report.skipped) err(skipLine(skip));
  for (const line of failureLines(report.outcomes)) err(line);
  if (options.json) {
    out(JSON.stringify(jsonReport(report), null, 2));
    return;
  }
  const contents = new Map(report.files.map((file) => [file.path, file.content]));
  for (const outcome of report.outcomes) {
    const { target } = outcome;
    const alerts = target.alerts.map((alert) => `${alert.ruleId}${alert.cwe.length ? ` (${alert.cwe.join(', ')})` : ''}`).join(', ');
    out(`== ${target.path}:${target.function.startLine}-${target.function.endLine} ${target.function.name} (${target.reason}${alerts ? `: ${alerts}` : ''})`);
    out(outcome.demonstrations.length > 0 ? 'secure demonstrations:' : 'no demonstration fits the prompt budget');
    outcome.demonstrations.forEach((_, index) => out(demonstrationLine(outcome, index)));
    for (const line of targetLegend(outcome)) out(line);
    if (!report.model) {
      out(`prompt it would send (${options.style}, ~${outcome.prompt.estimatedTokens} tokens):`);
      if (options.style === 'completion') out(outcome.prompt.completion);
      else for (const message of outcome.prompt.messages) out(`--- ${message.role} ---\n${message.content}`);
    } else if (outcome.suggestion) {
      out(renderSuggestionDiff(outcome.suggestion, contents.get(target.path) ?? ''));
      out(outcome.suggestion.reason);
      const notChecked = notCheckedNote(outcome.suggestion);
      if (notChecked) out(notChecked);
    } else if (outcome.error !== undefined) {
      out('no suggestion: failed (the error is on stderr)');
    } else {
      out(`no suggestion: ${noChangeReason(outcome)}`);
    }
    out('');
  }
  const suggestions = report.outcomes.filter((outcome) => outcome.suggestion).length;
  const failed = report.outcomes.filter((outcome) => outcome.error !== undefined).length;
  if (report.model) {
    out(
      `${report.outcomes.length} targets, ${suggestions} suggestions from ${report.model}, ${report.skipped.length} skipped${failed > 0 ? `, ${failed} failed` : ''}.`,
    );
  } else {
    out(`${report.outcomes.length} targets, ${report.skipped.length} skipped. ${precedentNote(report.precedent)}`);
  }
}
