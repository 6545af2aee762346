// Suggestions applied to their files, for `seccoder harden --write` and `--patch`: each replaces
// its function's lines (startLine..endLine) with the rewrite (as the printed diff shows it: code
// sharing the function's first or last line stays, src/harden/hunks.ts), bottom-up in each file
// so that the line numbers of the ones above stay valid.
import { replacementLines } from '../harden/hunks.js';
import { unifiedDiff } from '../harden/render-diff.js';
import type { Suggestion } from '../harden/suggestion.js';
import { SecCoderError } from '../errors/seccoder-error.js';

/** A suggestion whose lines are not in the file any more (the file changed since it was read). */
export class StaleSuggestionError extends SecCoderError {
  override name = 'StaleSuggestionError';
  constructor(path: string, functionName: string, startLine: number, endLine: number) {
    super(`${path}: lines ${startLine}-${endLine} are no longer ${functionName} as it was hardened; nothing was written`, {
      hint: 'run seccoder harden again on the file as it is now',
    });
  }
}

/** The file's text with every suggestion applied. Throws StaleSuggestionError when a function's lines changed. */
export function applySuggestions(content: string, suggestions: readonly Suggestion[]): string {
  const lines = content.split('\n');
  // A file written with CRLF keeps them in the rewritten lines.
  const crlf = lines.length > 1 && lines.slice(0, -1).every((line) => line.endsWith('\r'));
  const ordered = [...suggestions].sort((a, b) => b.startLine - a.startLine);
  let above = Infinity;
  for (const suggestion of ordered) {
    const { startLine, endLine } = suggestion;
    if (endLine >= above) throw new Error(`overlapping suggestions in ${suggestion.path} at lines ${startLine}-${endLine}`);
    above = startLine;
    const current = lines
      .slice(startLine - 1, endLine)
      .map((line) => line.replace(/\r$/, ''))
      .join('\n');
    if (endLine > lines.length || current !== suggestion.original.replace(/\r/g, '').replace(/\n$/, '')) {
      throw new StaleSuggestionError(suggestion.path, suggestion.functionName, startLine, endLine);
    }
    const replacement = replacementLines({ ...suggestion, replacement: suggestion.replacement.replace(/\r/g, '') }).map((line) => (crlf ? `${line}\r` : line));
    // The last line of the file has no line ending of its own.
    if (crlf && endLine === lines.length && !(lines[endLine - 1] ?? '').endsWith('\r')) {
      replacement[replacement.length - 1] = (replacement[replacement.length - 1] ?? '').replace(/\r$/, '');
    }
    lines.splice(startLine - 1, endLine - startLine + 1, ...replacement);
  }
  return lines.join('\n');
}

/** One file's change as a unified diff `git apply` accepts (paths `a/<path>`, `b/<path>`); empty when unchanged. */
export function filePatch(path: string, before: string, after: string): string {
  if (before === after) return '';
  const patch = unifiedDiff(path, before, after);
  return `diff --git a/${path} b/${path}\n${patch.endsWith('\n') ? patch : `${patch}\n`}`;
}

/** Suggestions grouped by path, in the order of first appearance. */
export function byPath(suggestions: readonly Suggestion[]): Map<string, Suggestion[]> {
  const groups = new Map<string, Suggestion[]>();
  for (const suggestion of suggestions) groups.set(suggestion.path, [...(groups.get(suggestion.path) ?? []), suggestion]);
  return groups;
}
