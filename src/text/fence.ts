// A backtick fence longer than any backtick run in the content, so hostile code cannot close the
// block (or code span) it is shown in and smuggle the rest out as Markdown or as instructions.

/** The shortest run of backticks, at least `minimum` long, that no backtick run in `texts` matches. */
export function fenceOfAtLeast(minimum: number, ...texts: string[]): string {
  let longest = 0;
  for (const text of texts) {
    for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  }
  return '`'.repeat(Math.max(minimum, longest + 1));
}

/** A code-block fence (at least three backticks) for `texts`. */
export function fenceFor(...texts: string[]): string {
  return fenceOfAtLeast(3, ...texts);
}
