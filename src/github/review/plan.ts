// What to post on a pull request for one run of the pipeline, decided without touching GitHub:
// which suggestions become inline review comments, which go in the review body (GitHub only
// accepts comments on lines of the diff), which were already posted by an earlier run, and which
// earlier suggestions the change has made outdated. Pure: the caller posts the plan.
import { diffLines } from 'diff';
import { linesInDiff, type ChangedFile } from '../../detect/diff.js';
import type { SkippedTarget } from '../../detect/types.js';
import type { TargetOutcome } from '../../harden/harden-target.js';
import { renderSuggestionMarkdown } from '../../harden/render-markdown.js';
import type { Suggestion } from '../../harden/suggestion.js';
import {
  codeFingerprint,
  fingerprintOf,
  renderFingerprint,
  sameCode,
  sameFunction,
  sameSuggestion,
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
  /** New inline comments. */
  inline: number;
  /** New suggestions shown in the review body, outside the diff. */
  inBody: number;
  /** Suggestions skipped because an earlier run posted one for the same unchanged function. */
  alreadyPosted: number;
  /** Earlier suggestions whose function has changed since. */
  outdated: number;
  /** Suggestions whose comment would exceed GitHub's size limit. */
  tooLong: number;
}

export interface ReviewPlan {
  /** The head commit the review is anchored to (`commit_id`). */
  commitId: string;
  comments: ReviewComment[];
  /**
   * Suggestions outside the diff as sections of the review body, in order; their fingerprints
   * are `bodyFingerprints[i]`, which `renderReviewBody` writes at the end of the body.
   */
  bodySections: string[];
  bodyFingerprints: Fingerprint[];
  /** Earlier suggestions to answer with "outdated" (`renderOutdatedReply`). */
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

/** `-`/`+` lines of the function's rewrite with a hunk header in the file's line numbers. */
export function suggestionDiff(suggestion: Suggestion): string {
  const before = `${suggestion.original.replace(/\n$/, '')}\n`;
  const after = `${suggestion.replacement.replace(/\n$/, '')}\n`;
  const lines: string[] = [];
  for (const change of diffLines(before, after)) {
    const prefix = change.added ? '+' : change.removed ? '-' : ' ';
    for (const line of change.value.replace(/\n$/, '').split('\n')) lines.push(`${prefix}${line}`);
  }
  const count = (text: string) => text.split('\n').length - 1;
  const start = suggestion.startLine;
  return [`@@ -${start},${count(before)} +${start},${count(after)} @@`, ...lines].join('\n');
}

/**
 * A suggestion outside the diff, for the review body: where it is, then the comment's text with
 * the ```suggestion block (which only works on diff lines) shown as a ```diff block instead.
 */
export function renderBodySection(suggestion: Suggestion): string {
  const where = `#### ${inlineCode(suggestion.functionName)} in ${inlineCode(suggestion.path)}, lines ${suggestion.startLine}–${suggestion.endLine}`;
  const markdown = renderSuggestionMarkdown(suggestion);
  // The block exactly as renderSuggestionMarkdown writes it.
  const block = codeBlock(suggestion.replacement, 'suggestion');
  const diff = codeBlock(suggestionDiff(suggestion), 'diff');
  const parts = markdown.split(block);
  // The header and reason before the block are escaped and cannot hold it, so it splits in two.
  const body = parts.length === 2 ? parts.join(diff) : `${markdown}\n\n${diff}`;
  return `${where}\n\n${body}`;
}

function commentFor(suggestion: Suggestion, body: string): ReviewComment {
  const { path, startLine, endLine } = suggestion;
  if (startLine === endLine) return { path, line: endLine, side: 'RIGHT', body };
  return { path, start_line: startLine, start_side: 'RIGHT', line: endLine, side: 'RIGHT', body };
}

/** Room left in a review body for sections once header, footer and fingerprints are in. */
const BODY_SECTION_BUDGET = GITHUB_TEXT_LIMIT - 4_000;

/**
 * Decides what to post. A suggestion is skipped when an earlier one (by fingerprint) covers the
 * same path, function and original code, whatever it suggested: the model samples differently
 * every run, and a redelivered webhook or an unrelated push must not repeat it. When a function
 * this run looked at has changed since an earlier suggestion, that suggestion is `outdated`
 * (whether or not a new one is posted: applying it would overwrite the new code); one already
 * answered as outdated is not listed again.
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
  const counts: ReviewCounts = { suggestions: 0, inline: 0, inBody: 0, alreadyPosted: input.alreadySuggested ?? 0, outdated: 0, tooLong: 0 };
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
    const file = input.diff.find((changed) => changed.path === suggestion.path && changed.status !== 'deleted');
    if (file && linesInDiff(file, suggestion.startLine, suggestion.endLine)) {
      const body = withFingerprints(renderSuggestionMarkdown(suggestion), [fp]);
      if (body.length > GITHUB_TEXT_LIMIT) {
        counts.tooLong += 1;
        continue;
      }
      comments.push(commentFor(suggestion, body));
      counts.inline += 1;
    } else {
      const section = renderBodySection(suggestion);
      const cost = section.length + renderFingerprint(fp).length + 8;
      if (sectionChars + cost > BODY_SECTION_BUDGET) {
        counts.tooLong += 1;
        continue;
      }
      sectionChars += cost;
      bodySections.push(section);
      bodyFingerprints.push(fp);
      counts.inBody += 1;
    }
    planned.push(fp);
  }

  const outdated: Fingerprint[] = [];
  for (const existing of active) {
    const changed = current.some((now) => sameFunction(now, existing) && now.orig !== existing.orig);
    const stillThere = current.some((now) => sameCode(now, existing));
    if (changed && !stillThere && !outdated.some((other) => sameSuggestion(other, existing))) outdated.push(existing);
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

/** The review's Markdown: a short header, the suggestions outside the diff, then the fingerprints. */
export function renderReviewBody(plan: ReviewPlan, context: ReviewBodyContext): string {
  const { counts } = plan;
  const fresh = counts.inline + counts.inBody;
  const where = [counts.inline > 0 ? `${counts.inline} inline` : '', counts.inBody > 0 ? `${counts.inBody} below` : ''].filter(Boolean).join(', ');
  const lines = [
    `**SecCoder** checked ${plural(context.targetsFound, 'function')} and suggests ${plural(fresh, 'secure rewrite')}${where ? ` (${where})` : ''}.`,
  ];
  if (counts.alreadyPosted > 0) {
    lines.push('', `${plural(counts.alreadyPosted, 'earlier suggestion')} for unchanged code ${counts.alreadyPosted === 1 ? 'is' : 'are'} not repeated.`);
  }
  if (plan.bodySections.length > 0) {
    lines.push(
      '',
      '### Outside the changed lines',
      '',
      'GitHub only accepts suggestions on lines this pull request changed; these functions need the change applied by hand.',
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

/** The reply to an earlier suggestion's thread once its function has changed, with its own marker. */
export function renderOutdatedReply(fp: Fingerprint): string {
  const text = `This suggestion for ${inlineCode(fp.fn)} is outdated: the function has changed since it was written, so applying it would overwrite the new code.`;
  return withFingerprints(text, [{ ...fp, outdated: true }]);
}
