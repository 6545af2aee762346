// What the Action tells the workflow: the number of suggestions (an output) and the job summary in
// Markdown, from the same check-run output and review preview the App posts.
import * as core from '@actions/core';
import { configProblemsMarkdown } from '../config/problems.js';
import type { GrowthResult } from '../github/growth/grow-corpus.js';
import { escapeMarkdown, inlineCode, tableCell } from '../text/markdown.js';
import type { ReviewResult } from '../github/review/review-pull-request.js';

/** What one run of the Action did; written as the JSON report. */
export type ActionOutcome =
  | { kind: 'review'; pull: number; dryRun: boolean; result: ReviewResult }
  | { kind: 'growth'; pull: number; result: GrowthResult }
  | { kind: 'skipped'; reason: string };

/** The `suggestions` output: functions with a suggested rewrite in this review (0 for anything else). */
export function suggestionsOf(outcome: ActionOutcome): number {
  return outcome.kind === 'review' && outcome.result.status === 'reviewed' ? outcome.result.counts.suggestions : 0;
}

/** The job summary's Markdown. */
export function summaryMarkdown(outcome: ActionOutcome): string {
  const lines = ['## SecCoder', ''];
  if (outcome.kind === 'skipped') return [...lines, `Nothing to do: ${escapeMarkdown(outcome.reason)}.`].join('\n');
  if (outcome.kind === 'growth') {
    const { result } = outcome;
    if (result.status === 'skipped') return [...lines, `Pull request #${outcome.pull}: ${escapeMarkdown(result.reason)}.`].join('\n');
    lines.push(`Pull request #${outcome.pull} added ${result.added.length} ${result.added.length === 1 ? 'function' : 'functions'} to the corpus.`);
    if (result.rejected.length > 0) {
      lines.push('', '| file | function | not added because |', '| --- | --- | --- |');
      for (const rejection of result.rejected) {
        lines.push(
          `| ${tableCell(inlineCode(rejection.path))} | ${rejection.function ? tableCell(inlineCode(rejection.function)) : ''} | ${escapeMarkdown(rejection.reason)} |`,
        );
      }
    }
    return lines.join('\n');
  }
  const { result } = outcome;
  if (result.status === 'skipped') return [...lines, `Pull request #${outcome.pull} not reviewed: ${escapeMarkdown(result.reason)}.`].join('\n');
  if (result.status === 'invalid-config') return [...lines, 'The SecCoder config is invalid:', '', configProblemsMarkdown(result.problems)].join('\n');
  const { checkRun, body } = result.preview;
  lines.push(`### ${escapeMarkdown(checkRun.title)} (${checkRun.conclusion})`, '', checkRun.summary);
  if (outcome.dryRun) lines.push('', '### The review a run without dry-run would post', '', body);
  return lines.join('\n');
}

/** Appends the summary to the step's GITHUB_STEP_SUMMARY file. */
export async function writeJobSummary(outcome: ActionOutcome): Promise<void> {
  await core.summary.addRaw(summaryMarkdown(outcome), true).write();
}
