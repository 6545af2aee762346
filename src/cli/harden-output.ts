// What `seccoder harden` prints: per target, the suggestion as a diff (or, in precedent mode, the
// demonstrations and the prompt it would send), then a one-line summary.
import type { SkippedTarget } from '../detect/types.js';
import type { SourceFile } from '../detect/targets.js';
import { renderSuggestionDiff } from '../harden/render-diff.js';
import type { TargetOutcome } from '../harden/harden-target.js';

export interface HardenReport {
  model: string | undefined;
  outcomes: TargetOutcome[];
  skipped: SkippedTarget[];
  files: SourceFile[];
}

function demonstrationLine(outcome: TargetOutcome, index: number): string {
  const demo = outcome.demonstrations[index];
  if (!demo) return '';
  const { entry } = demo;
  const where = entry.source.url ?? [entry.source.repo, entry.source.path].filter(Boolean).join(' ');
  return `  ${index + 1}. ${entry.id}  ${entry.cwe.join(',') || 'no CWE'}  ${entry.language}${where ? `  ${where}` : ''}`;
}

function jsonReport(report: HardenReport) {
  return {
    model: report.model ?? null,
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
  };
}

export function printOutcomes(report: HardenReport, options: { json: boolean; style: 'chat' | 'completion' }): void {
  if (options.json) {
    console.log(JSON.stringify(jsonReport(report), null, 2));
    return;
  }
  const contents = new Map(report.files.map((file) => [file.path, file.content]));
  for (const outcome of report.outcomes) {
    const { target } = outcome;
    const alerts = target.alerts.map((alert) => `${alert.ruleId}${alert.cwe.length ? ` (${alert.cwe.join(', ')})` : ''}`).join(', ');
    console.log(
      `== ${target.path}:${target.function.startLine}-${target.function.endLine} ${target.function.name} (${target.reason}${alerts ? `: ${alerts}` : ''})`,
    );
    console.log(outcome.demonstrations.length > 0 ? 'secure demonstrations:' : 'no demonstration fits the prompt budget');
    outcome.demonstrations.forEach((_, index) => console.log(demonstrationLine(outcome, index)));
    if (!report.model) {
      console.log(`prompt it would send (${options.style}, ~${outcome.prompt.estimatedTokens} tokens):`);
      if (options.style === 'completion') console.log(outcome.prompt.completion);
      else for (const message of outcome.prompt.messages) console.log(`--- ${message.role} ---\n${message.content}`);
    } else if (outcome.suggestion) {
      console.log(renderSuggestionDiff(outcome.suggestion, contents.get(target.path) ?? ''));
      console.log(outcome.suggestion.reason);
    } else {
      const rejected = Object.entries(outcome.rejections)
        .map(([reason, count]) => `${count} ${reason}`)
        .join(', ');
      console.log(`no suggestion: ${outcome.error ?? `${outcome.samples} samples, rejected: ${rejected || 'none valid'}`}`);
    }
    console.log('');
  }
  for (const skip of report.skipped)
    console.log(`skipped ${skip.path}${skip.function ? ` ${skip.function}` : ''}: ${skip.reason}${skip.detail ? ` (${skip.detail})` : ''}`);
  const suggestions = report.outcomes.filter((outcome) => outcome.suggestion).length;
  if (report.model) {
    console.log(`${report.outcomes.length} targets, ${suggestions} suggestions from ${report.model}, ${report.skipped.length} skipped.`);
  } else {
    console.log(
      `${report.outcomes.length} targets, ${report.skipped.length} skipped. Precedent mode: no model configured. ` +
        'To get suggestions, pass --model-url <OpenAI-compatible URL or preset> --model <name> (see README).',
    );
  }
}
