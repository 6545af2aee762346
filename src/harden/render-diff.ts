// A suggestion as a unified diff against its file, for the CLI.
import { createTwoFilesPatch } from 'diff';
import { replacementLines } from './hunks.js';
import type { Suggestion } from './suggestion.js';

/**
 * The diff of replacing the suggestion's lines in `fileText` (the file as it is now). Line
 * numbers in the hunks are the file's, so `git apply` accepts the output.
 */
export function renderSuggestionDiff(suggestion: Suggestion, fileText: string): string {
  const lines = fileText.split('\n');
  // replacementLines keeps code that shares the function's first or last line (`} module.exports = …`).
  const replaced = [...lines.slice(0, suggestion.startLine - 1), ...replacementLines(suggestion), ...lines.slice(suggestion.endLine)].join('\n');
  return unifiedDiff(suggestion.path, fileText, replaced);
}

/**
 * `before` → `after` of one file as a unified diff with `a/` and `b/` paths and 3 lines of
 * context, as `git apply` reads it: no `=====` banner, no tab after the file names (code lines
 * are left exactly as they are).
 */
export function unifiedDiff(path: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, '', '', { context: 3 })
    .split('\n')
    .filter((line) => !line.startsWith('====='))
    .map((line) => (line.startsWith('--- ') || line.startsWith('+++ ') ? line.replace(/\t$/, '') : line))
    .join('\n');
}
