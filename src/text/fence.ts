// A Markdown code fence longer than any backtick run in the content, so hostile code cannot close
// the block it is shown in.

export function fenceFor(content: string, minimum = 3): string {
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(minimum, longest + 1));
}
