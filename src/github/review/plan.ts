// What to post on a pull request for one run of the pipeline, decided without touching GitHub.
// Each suggestion is split into hunks (src/harden/hunks.ts): a hunk on lines of the diff becomes a
// one-click inline ```suggestion comment of its own, even when the rest of the function is outside
// the diff; the hunks outside the diff (GitHub only accepts comments on diff lines) are shown in
// the review body as diffs. A function's suggestion is planned whole or not at all: every comment
// carries the function's fingerprint with its part number, so a later run skips what is already
// posted and marks outdated what no longer fits the code. Pure: the caller posts the plan.
import { linesInDiff, type ChangedFile } from '../../detect/diff.js';
import type { SkippedTarget } from '../../detect/types.js';
import type { TargetOutcome } from '../../harden/harden-target.js';
import { hunkDiff, shiftBefore, suggestionHunks, type SuggestionHunk } from '../../harden/hunks.js';
import { explanationMarkdown, importsMarkdown, notCheckedMarkdown, renderSuggestionMarkdown } from '../../harden/render-markdown.js';
import type { Suggestion } from '../../harden/suggestion.js';
import {
  codeFingerprint,
  fingerprintOf,
  renderFingerprint,
  sameCode,
  sameFunction,
  sameSuggestion,
  suggestionFingerprint,
  withFingerprints,
  type Fingerprint,
} from './fingerprint.js';
import { codeBlock, GITHUB_TEXT_LIMIT, inlineCode, plural } from '../../text/markdown.js';

/** One inline comment of `pulls.createReview` (`comments[]`), always on the new (right) side. */
export interface ReviewComment {
  path: string;
  /** First line of a multi-line comment; absent for a single line. */
  start_line?: number;
  start_side?: 'RIGHT';
  /** The (last) line commented on; a ```suggestion replaces start_line..line. */
  line: number;
  side: 'RIGHT';
  body: string;
}

export interface ReviewCounts {
  /** Outcomes with a suggestion. */
  suggestions: number;
  /** Functions whose suggestion is posted now (inline, in the review body, or both). */
  posted: number;
  /** New inline suggestion comments: one per hunk on lines of the diff. */
  inline: number;
  /** New hunks shown in the review body, outside the diff. */
  inBody: number;
  /** Functions skipped because an earlier run posted a suggestion for the same unchanged code. */
  alreadyPosted: number;
  /** Earlier suggestions (functions) whose function has changed since. */
  outdated: number;
  /** Functions whose suggestion would exceed GitHub's size limits (none of its parts is posted). */
  tooLong: number;
}

export interface ReviewPlan {
  /** The head commit the review is anchored to (`commit_id`). */
  commitId: string;
  comments: ReviewComment[];
  /**
   * Hunks outside the diff as sections of the review body, one per function, in order; their
   * fingerprints (one per hunk) are `bodyFingerprints`, which `renderReviewBody` writes at the
   * end of the body.
   */
  bodySections: string[];
  bodyFingerprints: Fingerprint[];
  /**
   * Earlier suggestions to answer with "outdated" (`renderOutdatedReply`), one per function (its
   * whole-suggestion fingerprint, `suggestionFingerprint`). The caller replies on one thread of
   * the function: any of its comments, as `sameSuggestion` finds them.
   */
  outdated: Fingerprint[];
  counts: ReviewCounts;
  /** No comment and no body section: post no review (outdated replies may still be due). */
  nothingNew: boolean;
}

export interface PlanInput {
  outcomes: readonly TargetOutcome[];
  /** The pull request's diff. */
  diff: readonly ChangedFile[];
  /** Fingerprints read from the bot's own earlier comments and reviews (`readFingerprints`). */
  existing: readonly Fingerprint[];
  headSha: string;
  /** Targets not hardened because their standing suggestion is on the pull request (`hardenChange`'s `alreadySuggested`). Default 0. */
  alreadySuggested?: number;
}

/** Earlier suggestions still standing: not themselves "outdated" replies, nor answered by one. */
export function standingSuggestions(existing: readonly Fingerprint[]): Fingerprint[] {
  const answered = existing.filter((fp) => fp.outdated);
  return existing.filter((fp) => !fp.outdated && !answered.some((mark) => sameSuggestion(mark, fp)));
}

/** `2`, `1 and 3`: 1-based numbers of hunks. */
function partNumbers(indices: readonly number[]): string {
  const numbers = indices.map((index) => String(index + 1));
  return numbers.length <= 1 ? (numbers[0] ?? '') : `${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`;
}

/**
 * Hunks of a suggestion outside the diff, for the review body: where the function is, the
 * explanation, and each hunk as a ```diff block in the file's line numbers (a ```suggestion only
 * works on diff lines). `indices`: which hunks (default all).
 */
export function renderBodySection(suggestion: Suggestion, indices?: readonly number[], hunks: readonly SuggestionHunk[] = suggestionHunks(suggestion)): string {
  const shown = indices ?? hunks.map((_, index) => index);
  const lines = suggestion.startLine === suggestion.endLine ? `line ${suggestion.startLine}` : `lines ${suggestion.startLine}–${suggestion.endLine}`;
  const parts = [`#### ${inlineCode(suggestion.functionName)} in ${inlineCode(suggestion.path)}, ${lines}`, '', explanationMarkdown(suggestion)];
  const notChecked = notCheckedMarkdown(suggestion);
  if (notChecked) parts.push('', notChecked);
  if (shown.length < hunks.length) {
    const inline = hunks.length - shown.length;
    parts.push(
      '',
      `${shown.length === 1 ? 'Change' : 'Changes'} ${partNumbers(shown)} of ${hunks.length} ${shown.length === 1 ? 'is' : 'are'} outside the changed lines; the other ${inline === 1 ? 'one is an inline suggestion' : `${inline} are inline suggestions`}.`,
    );
  }
  for (const index of shown) {
    const hunk = hunks[index];
    if (hunk) parts.push('', codeBlock(hunkDiff(hunk, shiftBefore(hunks, index)), 'diff'));
  }
  const imports = importsMarkdown(suggestion);
  if (imports) parts.push('', imports);
  return parts.join('\n');
}

function commentFor(path: string, hunk: SuggestionHunk, body: string): ReviewComment {
  const { startLine, endLine } = hunk;
  if (startLine === endLine) return { path, line: endLine, side: 'RIGHT', body };
  return { path, start_line: startLine, start_side: 'RIGHT', line: endLine, side: 'RIGHT', body };
}

/** Room left in a review body for sections once header, footer and fingerprints are in. */
const BODY_SECTION_BUDGET = GITHUB_TEXT_LIMIT - 4_000;

/**
 * Decides what to post. A suggestion is skipped when an earlier one (by fingerprint, any of its
 * parts) covers the same path, function and original code, whatever it suggested: the model
 * samples differently every run, and a redelivered webhook or an unrelated push must not repeat
 * it. Otherwise all its hunks are planned: those on diff lines as inline comments, the others in
 * one body section; if any would exceed GitHub's size limit, none is (`tooLong`). When a function
 * this run looked at has changed since an earlier suggestion, that suggestion is `outdated`
 * (whether or not a new one is posted: applying it would overwrite the new code), once per
 * function; one already answered as outdated is not listed again.
 */
export function planReview(input: PlanInput): ReviewPlan {
  const active = standingSuggestions(input.existing);
  const current = input.outcomes.map((outcome) => ({
    path: outcome.target.path,
    fn: outcome.suggestion?.functionName ?? outcome.target.function.name,
    orig: codeFingerprint(outcome.suggestion?.original ?? outcome.target.function.code),
  }));

  const comments: ReviewComment[] = [];
  const bodySections: string[] = [];
  const bodyFingerprints: Fingerprint[] = [];
  const counts: ReviewCounts = {
    suggestions: 0,
    posted: 0,
    inline: 0,
    inBody: 0,
    alreadyPosted: input.alreadySuggested ?? 0,
    outdated: 0,
    tooLong: 0,
  };
  const planned: Fingerprint[] = [];
  let sectionChars = 0;

  for (const outcome of input.outcomes) {
    const suggestion = outcome.suggestion;
    if (!suggestion) continue;
    counts.suggestions += 1;
    const fp = fingerprintOf(suggestion);
    if (active.some((existing) => sameCode(existing, fp))) {
      counts.alreadyPosted += 1;
      continue;
    }
    if (planned.some((other) => sameCode(other, fp))) continue;
    const hunks = suggestionHunks(suggestion);
    // The rewrite changes no line of the file (it only differed in code it copied from around the function).
    if (hunks.length === 0) continue;
    const file = input.diff.find((changed) => changed.path === suggestion.path && changed.status !== 'deleted');

    const inline: ReviewComment[] = [];
    const outside: number[] = [];
    for (const [index, hunk] of hunks.entries()) {
      if (!file || !linesInDiff(file, hunk.startLine, hunk.endLine)) {
        outside.push(index);
        continue;
      }
      const part = { hunk, index, total: hunks.length };
      inline.push(commentFor(suggestion.path, hunk, withFingerprints(renderSuggestionMarkdown(suggestion, part), [fingerprintOf(suggestion, part)])));
    }
    const section = outside.length > 0 ? renderBodySection(suggestion, outside, hunks) : undefined;
    const sectionFingerprints = outside.map((index) => fingerprintOf(suggestion, { index, total: hunks.length }));
    const cost = section === undefined ? 0 : section.length + sectionFingerprints.reduce((sum, part) => sum + renderFingerprint(part).length + 1, 8);
    if (inline.some((comment) => comment.body.length > GITHUB_TEXT_LIMIT) || sectionChars + cost > BODY_SECTION_BUDGET) {
      counts.tooLong += 1;
      continue;
    }
    comments.push(...inline);
    if (section !== undefined) {
      sectionChars += cost;
      bodySections.push(section);
      bodyFingerprints.push(...sectionFingerprints);
    }
    counts.posted += 1;
    counts.inline += inline.length;
    counts.inBody += outside.length;
    planned.push(fp);
  }

  const outdated: Fingerprint[] = [];
  for (const existing of active) {
    const changed = current.some((now) => sameFunction(now, existing) && now.orig !== existing.orig);
    const stillThere = current.some((now) => sameCode(now, existing));
    if (changed && !stillThere && !outdated.some((other) => sameSuggestion(other, existing))) outdated.push(suggestionFingerprint(existing));
  }
  counts.outdated = outdated.length;

  return {
    commitId: input.headSha,
    comments,
    bodySections,
    bodyFingerprints,
    outdated,
    counts,
    nothingNew: comments.length === 0 && bodySections.length === 0,
  };
}

export interface ReviewBodyContext {
  /** Candidates not hardened, with why (from target selection). */
  skipped: readonly SkippedTarget[];
  /** Functions hardened this run. */
  targetsFound: number;
  /** Functions left out by the `maxTargets` cap. Default: the `cap-reached` entries of `skipped`. */
  leftOut?: number;
}

/** The review's Markdown: a short header, the hunks outside the diff, then the fingerprints. */
export function renderReviewBody(plan: ReviewPlan, context: ReviewBodyContext): string {
  const { counts } = plan;
  const where = [counts.inline > 0 ? plural(counts.inline, 'inline suggestion') : '', counts.inBody > 0 ? `${plural(counts.inBody, 'change')} below` : '']
    .filter(Boolean)
    .join(', ');
  const lines = [
    counts.posted > 0
      ? `**SecCoder** suggests security fixes for ${counts.posted} of ${plural(context.targetsFound, 'checked function')}${where ? ` (${where})` : ''}.`
      : `**SecCoder** checked ${plural(context.targetsFound, 'function')} and has no new suggestions.`,
  ];
  if (counts.alreadyPosted > 0) {
    lines.push('', `${plural(counts.alreadyPosted, 'earlier suggestion')} for unchanged code ${counts.alreadyPosted === 1 ? 'is' : 'are'} not repeated.`);
  }
  if (plan.bodySections.length > 0) {
    lines.push(
      '',
      '### Outside the changed lines',
      '',
      'GitHub only accepts suggestions on lines this pull request changed; apply these changes by hand.',
      ...plan.bodySections.flatMap((section) => ['', section]),
    );
  }
  if (counts.tooLong > 0) {
    lines.push('', `${plural(counts.tooLong, 'suggestion')} did not fit in a GitHub comment; the check run lists ${counts.tooLong === 1 ? 'it' : 'them'}.`);
  }
  const leftOut = context.leftOut ?? context.skipped.filter((skip) => skip.reason === 'cap-reached').length;
  if (leftOut > 0) {
    lines.push('', `${plural(leftOut, 'more function')} ${leftOut === 1 ? 'was' : 'were'} left out by the \`maxTargets\` cap in \`.github/seccoder.yml\`.`);
  }
  const otherSkips = context.skipped.filter((skip) => skip.reason !== 'cap-reached').length;
  if (otherSkips > 0) {
    lines.push('', `${plural(otherSkips, 'candidate')} ${otherSkips === 1 ? 'was' : 'were'} skipped; the check run says why.`);
  }
  lines.push('', '<sub>Suggestions are written by a code model from secure examples in your corpus. Review before committing.</sub>');
  return withFingerprints(lines.join('\n'), plan.bodyFingerprints);
}

/**
 * The reply to an earlier suggestion's thread once its function has changed, with its own marker
 * (which answers every part of the suggestion). It is posted on one thread per function; when the
 * suggestion was posted as several comments, it says so.
 */
export function renderOutdatedReply(fp: Fingerprint): string {
  const whole = suggestionFingerprint(fp);
  const text =
    whole.parts !== undefined
      ? `The ${whole.parts} suggested changes to ${inlineCode(whole.fn)} (this one and the others with it) are outdated: the function has changed since they were written, so applying any of them would overwrite the new code.`
      : `This suggestion for ${inlineCode(whole.fn)} is outdated: the function has changed since it was written, so applying it would overwrite the new code.`;
  return withFingerprints(text, [{ ...whole, outdated: true }]);
}
