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
  return createTwoFilesPatch(`a/${suggestion.path}`, `b/${suggestion.path}`, fileText, replaced, '', '', { context: 3 })
    .split('\n')
    .filter((line) => !line.startsWith('====='))
    .map((line) => line.replace(/\t$/, ''))
    .join('\n');
}
