// A suggestion as the smallest GitHub suggestions that make it. The validated rewrite replaces the
// function's text; diffed against the function's lines, each run of changed lines becomes a hunk
// in the file's line numbers (runs with at most MERGE_GAP unchanged lines between them are one
// hunk), and each hunk is one ```suggestion on exactly its lines: a one-line fix is a one-line
// suggestion, not the whole function.
//
// - A pure insertion has no line of its own to comment on: it is anchored to the line before it
//   (the line after, at the function's start), which the suggestion keeps verbatim.
// - The function's first line may start after other code (`x = 1; function f() {`) and its last
//   line may go on after it (`} module.exports = { f };`). That code (`textBefore`/`textAfter`)
//   is not the function's: the new lines carry it verbatim, so a hunk touching such a line keeps
//   it, and a hunk never replaces it with anything else.
//
// Applying every hunk gives the file with the function's text replaced by the rewrite, and
// changes no line outside the function. Pure: no I/O.
import { diffArrays } from 'diff';
import type { FunctionInfo } from '../detect/types.js';
import type { Suggestion } from './suggestion.js';

/** Hunks separated by at most this many unchanged lines are posted as one suggestion. */
export const MERGE_GAP = 2;

export interface SuggestionHunk {
  /** The file lines (1-based, inclusive, right side) the suggestion replaces; never empty. */
  startLine: number;
  endLine: number;
  /** Those lines as they are in the file. */
  original: string[];
  /** What replaces them; empty: the lines are deleted. */
  replacement: string[];
}

export type HunkInput = Pick<Suggestion, 'startLine' | 'endLine' | 'original' | 'replacement' | 'textBefore' | 'textAfter'>;

interface Range {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

const lineList = (text: string): string[] => text.replace(/\r?\n$/, '').split('\n');
const hasCode = (text: string | undefined): text is string => text !== undefined && /\S/.test(text);

/** The code sharing the function's first and last lines, when the original lines really hold it. */
function outside(input: HunkInput, lines: readonly string[]): { before: string; after: string } {
  const first = lines[0] ?? '';
  const last = lines[lines.length - 1] ?? '';
  const before = hasCode(input.textBefore) && first.startsWith(input.textBefore) ? input.textBefore : '';
  let after = hasCode(input.textAfter) && last.endsWith(input.textAfter) ? input.textAfter : '';
  // One line cannot hold the code before and after the function overlapping.
  if (lines.length === 1 && before.length + after.length > first.length) after = '';
  return { before, after };
}

/**
 * The new text of the function's lines: the rewrite, with the code before the function in front of
 * its first line and the code after it behind its last line, verbatim. The model saw whole lines
 * and may have copied that code into its rewrite; a copy is dropped, and the file's text kept. (A
 * copy is only recognized where the function's own text could not end that way.)
 */
export function replacementLines(input: HunkInput): string[] {
  const lines = lineList(input.original);
  const { before, after } = outside(input, lines);
  const rewrite = lineList(input.replacement);
  if (before) {
    const copy = before.trim();
    const own = (lines[0] ?? '').slice(before.length);
    let first = (rewrite[0] ?? '').trimStart();
    if (!own.startsWith(copy) && first.startsWith(copy)) first = first.slice(copy.length).trimStart();
    if (first === '' && rewrite.length > 1) {
      rewrite.shift();
      first = (rewrite[0] ?? '').trimStart();
    }
    // Indented like the line, it continues the line after the code before it.
    rewrite[0] = first;
  }
  if (after) {
    const copy = after.trim();
    const lastLine = lines[lines.length - 1] ?? '';
    const own = lastLine.slice(0, lastLine.length - after.length);
    const at = rewrite.length - 1;
    let last = (rewrite[at] ?? '').trimEnd();
    if (!own.trimEnd().endsWith(copy) && last.endsWith(copy)) last = last.slice(0, last.length - copy.length).trimEnd();
    if (last === '' && rewrite.length > 1) rewrite.pop();
    else rewrite[at] = last;
  }
  rewrite[0] = `${before}${rewrite[0] ?? ''}`;
  rewrite[rewrite.length - 1] = `${rewrite[rewrite.length - 1] ?? ''}${after}`;
  return rewrite;
}

/** Runs of changed lines between `old` and `next`, as index ranges (end exclusive). */
function changedRanges(old: readonly string[], next: readonly string[]): Range[] {
  const ranges: Range[] = [];
  let o = 0;
  let n = 0;
  let open: Range | undefined;
  for (const change of diffArrays([...old], [...next])) {
    const count = change.value.length;
    if (!change.added && !change.removed) {
      o += count;
      n += count;
      open = undefined;
      continue;
    }
    if (!open) {
      open = { oldStart: o, oldEnd: o, newStart: n, newEnd: n };
      ranges.push(open);
    }
    if (change.removed) o += count;
    else n += count;
    open.oldEnd = o;
    open.newEnd = n;
  }
  return ranges;
}

/**
 * The suggestion's hunks, in file order. Empty when the rewrite leaves every line as it is. When
 * `original` does not have the lines startLine..endLine claims, one hunk replaces them all.
 */
export function suggestionHunks(input: HunkInput): SuggestionHunk[] {
  const old = lineList(input.original);
  const next = replacementLines(input);
  if (old.length !== input.endLine - input.startLine + 1) {
    return [{ startLine: input.startLine, endLine: input.endLine, original: old, replacement: next }];
  }
  const { before, after } = outside(input, old);

  const merged: Range[] = [];
  for (const range of changedRanges(old, next)) {
    const previous = merged[merged.length - 1];
    // Unchanged lines between two runs are the same on both sides: the gap is equal in old and new.
    if (previous && range.oldStart - previous.oldEnd <= MERGE_GAP) {
      previous.oldEnd = range.oldEnd;
      previous.newEnd = range.newEnd;
    } else {
      merged.push({ ...range });
    }
  }
  // Each extension below takes one unchanged line next to the hunk; hunks are more than MERGE_GAP
  // (≥ 1) unchanged lines apart, so no two take the same line.
  for (const range of merged) {
    if (range.oldStart === range.oldEnd) {
      // A pure insertion: anchor it to the line before, or at the start to the line after.
      if (range.oldStart > 0) {
        range.oldStart -= 1;
        range.newStart -= 1;
      } else {
        range.oldEnd += 1;
        range.newEnd += 1;
      }
    } else if (range.newStart === range.newEnd) {
      // A deletion reaching the first (last) line would delete the code before (after) the
      // function: take the next (previous) line, which then carries it.
      if (before && range.oldStart === 0) {
        range.oldEnd += 1;
        range.newEnd += 1;
      } else if (after && range.oldEnd === old.length) {
        range.oldStart -= 1;
        range.newStart -= 1;
      }
    }
  }
  return merged.map((range) => ({
    startLine: input.startLine + range.oldStart,
    endLine: input.startLine + range.oldEnd - 1,
    original: old.slice(range.oldStart, range.oldEnd),
    replacement: next.slice(range.newStart, range.newEnd),
  }));
}

/** The hunks of rewriting function `fn` (as extracted from its file) into `replacement`. */
export function suggestionRanges(fn: Pick<FunctionInfo, 'startLine' | 'endLine' | 'code' | 'textBefore' | 'textAfter'>, replacement: string): SuggestionHunk[] {
  return suggestionHunks({
    startLine: fn.startLine,
    endLine: fn.endLine,
    original: fn.code,
    replacement,
    ...(fn.textBefore !== undefined ? { textBefore: fn.textBefore } : {}),
    ...(fn.textAfter !== undefined ? { textAfter: fn.textAfter } : {}),
  });
}

/** `lines` (a whole file, `lines[0]` is line 1) with the hunks applied; hunks must not overlap. */
export function applyHunks(lines: readonly string[], hunks: readonly SuggestionHunk[]): string[] {
  const result = [...lines];
  for (const hunk of [...hunks].sort((a, b) => b.startLine - a.startLine)) {
    result.splice(hunk.startLine - 1, hunk.endLine - hunk.startLine + 1, ...hunk.replacement);
  }
  return result;
}

/**
 * One hunk as a unified diff (`@@ -a,n +b,m @@`, then ` `/`-`/`+` lines) in the file's line
 * numbers; `shift` is how many lines the hunks before it add (negative: remove).
 */
export function hunkDiff(hunk: SuggestionHunk, shift = 0): string {
  const lines: string[] = [];
  for (const change of diffArrays(hunk.original, hunk.replacement)) {
    const prefix = change.added ? '+' : change.removed ? '-' : ' ';
    for (const line of change.value) lines.push(`${prefix}${line}`);
  }
  const newStart = hunk.startLine + shift;
  const oldCount = hunk.original.length;
  const newCount = hunk.replacement.length;
  // As diff prints it: an empty side's start is the line before it.
  return [`@@ -${hunk.startLine},${oldCount} +${newCount === 0 ? newStart - 1 : newStart},${newCount} @@`, ...lines].join('\n');
}

/** How many lines the hunks before `index` add to the file (negative: remove). */
export function shiftBefore(hunks: readonly SuggestionHunk[], index: number): number {
  return hunks.slice(0, index).reduce((sum, hunk) => sum + hunk.replacement.length - hunk.original.length, 0);
}
