// The texts the App is expected to post, written out: the suggestion comment, the review body and
// the check run's summary table. Only the fingerprint hashes are computed (codeFingerprint has its
// own tests); everything else is literal Markdown as GitHub receives it.
import { expect } from 'vitest';
import { codeFingerprint } from '../../../src/github/review/fingerprint.js';
import { HEAD_SHA, VIEWS_PATH } from '../../fixtures/github/app-events.js';
import { FUNCTION_END, FUNCTION_START } from '../../fixtures/review/flask-app.js';
import { MODEL_NAME, NOW } from './harness.js';

export const NOW_ISO = NOW.toISOString();

/** The hidden marker closing a suggestion for `user_by_email` rewriting `original` into `replacement`. */
export function marker(original: string, replacement: string, outdated = false): string {
  const json = `{"path":"${VIEWS_PATH}","fn":"user_by_email","orig":"${codeFingerprint(original)}","sugg":"${codeFingerprint(replacement)}"${outdated ? ',"outdated":true' : ''}}`;
  return `<!-- seccoder:v1 ${json} -->`;
}

/** The file line every fix of the fixtures changes: the query built on line 12. */
export const FIXED_LINE_NUMBER = 12;

/** The comment's explanation without an alert: the weakness by its official name, and the precedent from the test corpus. */
export const EXPLANATION =
  "`user_by_email` may be open to [CWE-89: Improper Neutralization of Special Elements used in an SQL Command \\('SQL Injection'\\)](https://cwe.mitre.org/data/definitions/89.html). It follows the precedent of `get_user`, a secure example in your corpus.";

/** What the comment says of a rewrite no analyzer checked: the App tests run without analyzers. */
export const NOT_CHECKED = '**Not checked by a security analyzer**: none is available for Python here.';

/** The check run's line for `user_by_email` when its suggestion was made (see functionsText). */
export const SUGGESTED =
  "suggestion for [CWE-89: Improper Neutralization of Special Elements used in an SQL Command \\('SQL Injection'\\)](https://cwe.mitre.org/data/definitions/89.html); **not checked by a security analyzer**: none is available for Python here";

/**
 * The inline comment for a rewrite of `user_by_email` that changes only the query: a one-line
 * suggestion on line 12 (not the whole function), closed by the marker of the whole rewrite.
 */
export function suggestionComment(original: string, replacement: string, explanation = EXPLANATION) {
  const fixedLine = replacement.split('\n')[FIXED_LINE_NUMBER - FUNCTION_START];
  return {
    path: VIEWS_PATH,
    line: FIXED_LINE_NUMBER,
    side: 'RIGHT',
    body: [
      '**SecCoder** · `user_by_email`',
      '',
      explanation,
      '',
      NOT_CHECKED,
      '',
      '```suggestion',
      fixedLine,
      '```',
      '',
      `<sub>Written by ${MODEL_NAME} from a secure example in your corpus. Review before committing.</sub>`,
      '',
      marker(original, replacement),
    ].join('\n'),
  };
}

/** The review body when one function was checked and its one suggestion is inline. */
export const ONE_INLINE_REVIEW_BODY = [
  '**SecCoder** suggests security fixes for 1 of 1 checked function (1 inline suggestion).',
  '',
  '<sub>Suggestions are written by a code model from secure examples in your corpus. Review before committing.</sub>',
].join('\n');

export interface SummaryCounts {
  targets: number;
  suggestions: number;
  /** "Posted now" (or "Would be posted (dry run)"); absent when no review was planned. */
  posted?: number;
  alreadyPosted?: number;
  rejected?: number;
  errors?: number;
  dryRun?: boolean;
}

/**
 * The check run's summary: the count table, then the model and corpus lines, the line saying no
 * analyzer checked the suggestions (the App tests run without analyzers), then `notes`.
 */
export function summary(counts: SummaryCounts, notes: string[] = []): string {
  const unchecked =
    counts.suggestions > 0
      ? [
          `- **${counts.suggestions} ${counts.suggestions === 1 ? 'suggestion' : 'suggestions'} not checked by a security analyzer**: none is available for Python here`,
        ]
      : [];
  const review =
    counts.posted === undefined
      ? []
      : [
          `| ${counts.dryRun ? 'Would be posted (dry run)' : 'Posted now'} | ${counts.posted} |`,
          `| Already on the pull request | ${counts.alreadyPosted ?? 0} |`,
        ];
  return [
    '| | count |',
    '| --- | ---: |',
    `| Targets found | ${counts.targets} |`,
    `| Suggestions | ${counts.suggestions} |`,
    ...review,
    '| Skipped: ignored path | 0 |',
    '| Skipped: too large | 0 |',
    '| Skipped: cap reached (maxTargets 10) | 0 |',
    '| Skipped: language not configured | 0 |',
    '| Skipped: parse error | 0 |',
    `| Samples rejected by validation | ${counts.rejected ?? 0} |`,
    `| Model or analyzer errors | ${counts.errors ?? 0} |`,
    '',
    `- Model: \`${MODEL_NAME}\``,
    // testDemonstrations indexes the 27 snippets of test/fixtures/secure-snippets.ts.
    '- Corpus: 27 secure examples',
    ...unchecked,
    ...notes,
  ].join('\n');
}

/** The check run as created when the review starts. */
/**
 * The check run's creation. `byJob`: opened by a queued job (the App), so it names the job run
 * that owns it (`seccoder-run <run id> <pull key>`); the Action's and the CLI's carry no owner.
 */
export function checkRunStarted(headSha = HEAD_SHA, byJob = true) {
  return {
    name: 'SecCoder',
    head_sha: headSha,
    status: 'in_progress',
    started_at: NOW_ISO,
    ...(byJob ? { external_id: expect.stringMatching(/^seccoder-run [0-9a-f-]{36} acme\/shop#12$/) } : {}),
  };
}

/** The check run's completing update. */
export function checkRunCompleted(conclusion: string, output: { title: string; summary: string; text?: string }) {
  return { status: 'completed', conclusion, completed_at: NOW_ISO, output };
}

/** The `text` of the check run listing `user_by_email` and what became of it. */
export function functionsText(outcome: string): string {
  return `### Functions\n\n- \`${VIEWS_PATH}\` · \`user_by_email\` (lines ${FUNCTION_START}–${FUNCTION_END}): ${outcome}`;
}
