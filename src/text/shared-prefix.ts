// The lines two versions of a function share before the first change: the code a fix leaves
// untouched, i.e. a prompt that stops before the dangerous line.

/** The leading lines both sides share (not every pair carries line_changes, so they are compared here). */
export function sharedPrefixOf(before: string, after: string): string {
  const [a, b] = [before.split('\n'), after.split('\n')];
  let shared = 0;
  while (shared < a.length && shared < b.length && a[shared]?.trimEnd() === b[shared]?.trimEnd()) shared += 1;
  return a.slice(0, shared).join('\n');
}
