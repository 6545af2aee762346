// Quoting untrusted pull-request text (code, file context, alert messages, paths) so that it
// reads as data inside a prompt and can never end the block it is quoted in.

const FENCE_MIN = 3;

/**
 * A backtick fence longer than any backtick run in `text` (at least three), so a ``` inside
 * hostile code cannot close the block early and smuggle the rest out as instructions.
 */
export function fenceFor(...texts: string[]): string {
  let longest = 0;
  for (const text of texts) {
    for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  }
  return '`'.repeat(Math.max(FENCE_MIN, longest + 1));
}

const INLINE_MAX = 200;

/**
 * Untrusted metadata (a path, a rule id, a CWE list) on one line: control characters, line breaks
 * and backticks become spaces, so it cannot start a new paragraph, heading or code block.
 * Long values are cut (they are labels, never content the model must read whole).
 */
export function oneLine(text: string, max = INLINE_MAX): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029`]+/g, ' ').replace(/ {2,}/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}
