// The check run's output for one run: what was found, what was suggested, what was skipped and
// why. A model or analyzer failure fails the check (no silent green); suggestions make it neutral
// (they need a human); nothing to suggest is a success. Pure: the caller creates the check run.
import type { SkippedTarget, Target } from '../../detect/types.js';
import type { TargetOutcome } from '../../harden/harden-target.js';
import { notCheckedReason } from '../../harden/analysis-note.js';
import { cweMarkdown } from '../../harden/render-markdown.js';
import { configProblemsMarkdown, type ConfigProblem } from '../../config/problems.js';
import { CONFIG_PATH, type SecCoderConfig } from '../../config/schema.js';
import { escapeMarkdown, GITHUB_TEXT_LIMIT, inlineCode, plural, tableCell } from '../../text/markdown.js';
import { renderBodySection, type ReviewCounts } from './plan.js';
import { qualifiedName } from '../../detect/qualified-name.js';

export type CheckConclusion = 'success' | 'neutral' | 'failure' | 'cancelled';

/** `output` and `conclusion` of `checks.create` / `checks.update`. */
export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  conclusion: CheckConclusion;
}

export interface CheckRunInput {
  outcomes: readonly TargetOutcome[];
  /** Targets not sent to the model: their unchanged code's suggestion is still on the pull request. Default none. */
  alreadySuggested?: readonly Target[];
  skipped: readonly SkippedTarget[];
  config: SecCoderConfig;
  /** Name of the code model; absent in precedent mode. */
  model?: string;
  /** Why no model was used (e.g. the repository's `model.url` was refused); absent: none configured. */
  modelNotUsed?: string;
  /** Secure examples in the corpus the demonstrations came from. */
  corpusSize: number;
  alertsAvailable: boolean;
  /** Why code-scanning alerts could not be read (e.g. "HTTP 403: Advanced Security must be enabled"). */
  alertsUnavailableReason?: string;
  /** Nothing was posted; the text shows what would have been. */
  dryRun: boolean;
  /** The review plan's counts, when a review was planned. */
  review?: ReviewCounts;
  /** Targets not hardened because the review's deadline passed. Default none. */
  cut?: readonly Target[];
  /** The deadline, in seconds, for the note on `cut`. */
  deadlineSeconds?: number;
}

/** Outcomes without a suggestion because every sample the model wrote was rejected for a reason other than "unchanged". */
function unusableOutcomes(outcomes: readonly TargetOutcome[]): TargetOutcome[] {
  return outcomes.filter(
    (outcome) =>
      !outcome.suggestion &&
      outcome.error === undefined &&
      Object.entries(outcome.rejections).some(([reason, count]) => reason !== 'unchanged' && (count ?? 0) > 0),
  );
}

/**
 * Every skip reason with its row label; `always` rows show even at 0, the others only when they
 * occurred. A Record, so a new reason does not compile until it has a label here.
 */
const SKIP_LABELS: Readonly<Record<SkippedTarget['reason'], { label: string; always: boolean }>> = {
  'ignored-path': { label: 'Skipped: ignored path', always: true },
  'too-large': { label: 'Skipped: too large', always: true },
  'cap-reached': { label: 'Skipped: cap reached', always: true },
  language: { label: 'Skipped: language not configured', always: true },
  'parse-error': { label: 'Skipped: parse error', always: true },
  'alert-outside-function': { label: 'Skipped: alert outside any function', always: false },
  'unsupported-file': { label: 'Skipped: unsupported file', always: false },
  'binary-file': { label: 'Skipped: binary file', always: false },
  'no-function': { label: 'Skipped: no function in the file', always: false },
  'diff-not-applicable': { label: "Skipped: diff does not match the file's lines", always: false },
  'not-in-diff': { label: 'Skipped: file not in the diff', always: false },
  'no-risk': { label: 'Skipped: no risky operation', always: false },
};
const SKIP_ROWS = Object.entries(SKIP_LABELS) as [SkippedTarget['reason'], { label: string; always: boolean }][];

function rejectionsOf(outcome: TargetOutcome): number {
  return Object.values(outcome.rejections).reduce((sum, count) => sum + (count ?? 0), 0);
}

function functionLabel(target: Target): string {
  const fn = target.function;
  const lines = fn.startLine === fn.endLine ? `line ${fn.startLine}` : `lines ${fn.startLine}–${fn.endLine}`;
  return `${inlineCode(target.path)} · ${inlineCode(qualifiedName(fn))} (${lines})`;
}

/** " for [CWE-89: Improper Neutralization …](…)": the weaknesses of the suggestion, else of the target's alerts; '' for none. */
function weaknessOf(outcome: TargetOutcome): string {
  const cwes = [...new Set(outcome.suggestion?.cwe ?? outcome.target.alerts.flatMap((alert) => alert.cwe))];
  if (cwes.length === 0) return '';
  const shown = cwes.slice(0, 3).map(cweMarkdown);
  return ` for ${shown.join(', ')}${cwes.length > 3 ? ` and ${cwes.length - 3} more` : ''}`;
}

function outcomeLine(outcome: TargetOutcome): string {
  const label = functionLabel(outcome.target);
  if (outcome.error !== undefined) return `- ${label}: **failed**: ${escapeMarkdown(outcome.error)}`;
  if (outcome.suggestion) {
    const notChecked = notCheckedReason(outcome.suggestion);
    return `- ${label}: suggestion${weaknessOf(outcome)}${notChecked ? `; **not checked by a security analyzer**: ${escapeMarkdown(notChecked)}` : ''}`;
  }
  const rejected = Object.entries(outcome.rejections)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([reason, count]) => `${reason} ×${count}`);
  const why = rejected.length > 0 ? `samples rejected (${rejected.join(', ')})` : outcome.samples === 0 ? 'no samples' : 'no sample passed';
  return `- ${label}: no suggestion${weaknessOf(outcome)}, ${why}`;
}

/** "2 suggestions not checked by a security analyzer: none is available for Ruby here", when any was not; undefined otherwise. */
function notCheckedLine(suggested: readonly TargetOutcome[]): string | undefined {
  const reasons = suggested.map((outcome) => (outcome.suggestion ? notCheckedReason(outcome.suggestion) : undefined)).filter((reason) => reason !== undefined);
  if (reasons.length === 0) return undefined;
  const distinct = [...new Set(reasons)];
  return `- **${plural(reasons.length, 'suggestion')} not checked by a security analyzer**: ${escapeMarkdown(distinct.join('; '))}`;
}

function skippedLine(skip: SkippedTarget): string {
  const what = skip.function ? `${inlineCode(skip.path)} · ${inlineCode(skip.function)}` : inlineCode(skip.path);
  return `- ${what}: ${skip.reason}${skip.detail ? ` (${escapeMarkdown(skip.detail)})` : ''}`;
}

/** Adds sections while they fit GitHub's limit, then a note on what was left out. */
function fitSections(sections: readonly string[]): string {
  const kept: string[] = [];
  let length = 0;
  for (const [i, section] of sections.entries()) {
    if (length + section.length + 2 > GITHUB_TEXT_LIMIT - 200) {
      kept.push(`_${sections.length - i} more ${sections.length - i === 1 ? 'section was' : 'sections were'} left out to fit GitHub's size limit._`);
      break;
    }
    kept.push(section);
    length += section.length + 2;
  }
  return kept.join('\n\n');
}

export function checkRunOutput(input: CheckRunInput): CheckRunOutput {
  const { outcomes, skipped, config } = input;
  const alreadySuggested = input.alreadySuggested ?? [];
  const targets = outcomes.length + alreadySuggested.length;
  const failed = outcomes.filter((outcome) => outcome.error !== undefined);
  const suggested = outcomes.filter((outcome) => outcome.suggestion !== undefined);
  const skipCount = (reason: SkippedTarget['reason']) => skipped.filter((skip) => skip.reason === reason).length;
  const cut = input.cut ?? [];
  const unusable = unusableOutcomes(outcomes);

  const rows: [string, string][] = [
    ['Targets found', String(targets)],
    ['Suggestions', String(suggested.length)],
  ];
  if (input.review) {
    rows.push([input.dryRun ? 'Would be posted (dry run)' : 'Posted now', String(input.review.posted)]);
    rows.push(['Already on the pull request', String(input.review.alreadyPosted)]);
    if (input.review.tooLong > 0) rows.push(['Too long for a GitHub comment', String(input.review.tooLong)]);
  }
  for (const [reason, { label }] of SKIP_ROWS.filter(([, row]) => row.always)) {
    rows.push([reason === 'cap-reached' ? `${label} (maxTargets ${config.maxTargets})` : label, String(skipCount(reason))]);
  }
  for (const [reason, { label }] of SKIP_ROWS.filter(([, row]) => !row.always)) if (skipCount(reason) > 0) rows.push([label, String(skipCount(reason))]);
  rows.push(['Samples rejected by validation', String(outcomes.reduce((sum, outcome) => sum + rejectionsOf(outcome), 0))]);
  rows.push(['Model or analyzer errors', String(failed.length)]);
  if (cut.length > 0) rows.push(['Not hardened: review deadline passed', String(cut.length)]);

  const summary = [
    '| | count |',
    '| --- | ---: |',
    ...rows.map(([label, value]) => `| ${tableCell(label)} | ${value} |`),
    '',
    `- Model: ${input.model ? inlineCode(input.model) : 'none (precedent mode: demonstrations only, no rewrites)'}`,
    `- Corpus: ${input.corpusSize.toLocaleString('en-US')} secure ${input.corpusSize === 1 ? 'example' : 'examples'}`,
  ];
  const notChecked = notCheckedLine(suggested);
  if (notChecked) summary.push(notChecked);
  if (!input.alertsAvailable) {
    summary.push(`- Code-scanning alerts unavailable: ${escapeMarkdown(input.alertsUnavailableReason ?? 'no reason given')}`);
  }
  if (input.dryRun) summary.push('', '**Dry run**: nothing was posted on the pull request; the details show what would have been.');

  const sections: string[] = [];
  if (targets > 0) {
    const standing = alreadySuggested.map((target) => `- ${functionLabel(target)}: unchanged since its suggestion, not sent to the model again`);
    sections.push(['### Functions', '', ...outcomes.map(outcomeLine), ...standing].join('\n'));
  }
  if (cut.length > 0) {
    const deadline = input.deadlineSeconds !== undefined ? ` (${input.deadlineSeconds} s)` : '';
    sections.push(
      [
        `### Not hardened: the review's deadline${deadline} passed`,
        '',
        ...cut.map((target) => `- ${functionLabel(target)}`),
        '',
        'Re-run the check to try them again.',
      ].join('\n'),
    );
  }
  if (skipped.length > 0) sections.push(['### Skipped', '', ...skipped.map(skippedLine)].join('\n'));
  if (input.dryRun && suggested.length > 0) {
    sections.push('### Suggestions (dry run)');
    for (const outcome of suggested) if (outcome.suggestion) sections.push(renderBodySection(outcome.suggestion));
  }

  let title: string;
  let conclusion: CheckConclusion;
  if (failed.length > 0) {
    conclusion = 'failure';
    title = `Model or analyzer failed on ${failed.length} of ${plural(targets, 'function')}`;
  } else if (suggested.length > 0) {
    conclusion = 'neutral';
    title = `${plural(suggested.length, 'security suggestion')}${input.dryRun ? ' (dry run, not posted)' : ''}${cut.length > 0 ? `; ${cut.length} not hardened (deadline)` : ''}`;
  } else if (!input.model && outcomes.length > 0) {
    // Nothing was looked at by a model: not a green "nothing to fix".
    conclusion = 'neutral';
    title = `${plural(outcomes.length, 'function')} not hardened: ${input.modelNotUsed ?? 'no model configured (precedent mode)'}`;
  } else if (cut.length > 0) {
    // Part of the change was never looked at: not a green "nothing to fix".
    conclusion = 'neutral';
    title = `Review deadline passed: ${plural(cut.length, 'function')} not hardened`;
  } else if (unusable.length > 0) {
    // The model proposed changes, none of which could be posted safely: a human should look.
    conclusion = 'neutral';
    title = `No usable suggestion for ${plural(unusable.length, 'function')}: every rewrite was rejected`;
  } else if (alreadySuggested.length > 0) {
    // The earlier suggestions still stand and still need a human.
    conclusion = 'neutral';
    title = `${plural(alreadySuggested.length, 'earlier security suggestion')} still open`;
  } else {
    conclusion = 'success';
    title = outcomes.length > 0 ? `No security suggestions for ${plural(outcomes.length, 'function')}` : 'No functions to harden';
  }

  return {
    title,
    summary: summary.join('\n'),
    ...(sections.length > 0 ? { text: fitSections(sections) } : {}),
    conclusion,
  };
}

/** The check run when `.github/seccoder.yml` is invalid: a failure naming each key to fix. */
export function checkRunForInvalidConfig(problems: readonly ConfigProblem[]): CheckRunOutput {
  return {
    title: `Invalid ${CONFIG_PATH}`,
    summary: [
      `SecCoder did not run: ${CONFIG_PATH} has ${plural(problems.length, 'problem')}. Fix ${problems.length === 1 ? 'it' : 'them'} on the default branch.`,
      '',
      configProblemsMarkdown(problems),
    ].join('\n'),
    conclusion: 'failure',
  };
}
