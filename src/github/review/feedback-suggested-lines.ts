// Is a suggestion in the code? The lines of the ```suggestion block of a comment the app posted,
// looked for contiguous in a file (its version at the pull request's head, or the new side of a
// commit's patch), each line compared without its trailing whitespace. Blank lines at either end
// of the block are not looked for, and a block with no line holding a letter or a digit (an empty
// block that deletes lines, a lone `}`) is no evidence: such lines are found in almost any file.
// Pure: no I/O.

/** One line as compared: without trailing whitespace (editors and formatters strip it). */
const normalized = (line: string): string => line.replace(/\s+$/, '');

const FENCE_OPEN = /^(`{3,})suggestion[ \t]*$/;

/**
 * The lines of the first ```suggestion block of a comment body, as they were posted, or undefined
 * when the body has none. The fence is as long as needed (render-markdown.ts), so it is matched exactly.
 */
export function suggestionBlockLines(body: string): string[] | undefined {
  const lines = body.split(/\r?\n/);
  for (let start = 0; start < lines.length; start += 1) {
    const fence = FENCE_OPEN.exec(lines[start] ?? '')?.[1];
    if (fence === undefined) continue;
    const end = lines.findIndex((line, index) => index > start && normalized(line) === fence);
    if (end === -1) return undefined;
    return lines.slice(start + 1, end);
  }
  return undefined;
}

/**
 * The lines to look for: normalized, without the blank lines at either end; undefined when they
 * prove nothing (no line with a letter or a digit).
 */
export function evidenceLines(block: readonly string[]): string[] | undefined {
  const lines = block.map(normalized);
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.some((line) => /[\p{L}\p{N}]/u.test(line)) ? lines : undefined;
}

/** Whether `wanted` (normalized, as `evidenceLines` gives them) are contiguous lines of `text`. */
export function containsLines(text: string, wanted: readonly string[]): boolean {
  if (wanted.length === 0) return false;
  const lines = text.split(/\r?\n/).map(normalized);
  const first = wanted[0];
  for (let at = lines.indexOf(first ?? ''); at !== -1 && at + wanted.length <= lines.length; at = lines.indexOf(first ?? '', at + 1)) {
    if (wanted.every((line, offset) => lines[at + offset] === line)) return true;
  }
  return false;
}

/**
 * The new side of a unified-diff patch (a commit's `files[].patch`), one text per hunk: its
 * context and added lines, in order. Lines are contiguous in the file only within a hunk.
 */
export function patchNewSides(patch: string): string[] {
  const hunks: string[][] = [];
  let current: string[] | undefined;
  for (const line of patch.split(/\r?\n/)) {
    if (line.startsWith('@@')) {
      current = [];
      hunks.push(current);
      continue;
    }
    if (!current) continue;
    if (line.startsWith('+') || line.startsWith(' ')) current.push(line.slice(1));
    else if (line === '') current.push('');
    // '-' lines are the old side; '\ No newline at end of file' is not a line of either.
  }
  return hunks.map((hunk) => hunk.join('\n'));
}
