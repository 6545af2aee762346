// A suggestion as a unified diff against its file, for the CLI.
import { createTwoFilesPatch } from 'diff';
import type { Suggestion } from './suggestion.js';

/**
 * The diff of replacing the suggestion's lines in `fileText` (the file as it is now). Line
 * numbers in the hunks are the file's, so `git apply` accepts the output.
 */
export function renderSuggestionDiff(suggestion: Suggestion, fileText: string): string {
  const lines = fileText.split('\n');
  const replaced = [
    ...lines.slice(0, suggestion.startLine - 1),
    ...suggestion.replacement.replace(/\n$/, '').split('\n'),
    ...lines.slice(suggestion.endLine),
  ].join('\n');
  return createTwoFilesPatch(`a/${suggestion.path}`, `b/${suggestion.path}`, fileText, replaced, '', '', { context: 3 })
    .split('\n')
    .filter((line) => !line.startsWith('====='))
    .map((line) => line.replace(/\t$/, ''))
    .join('\n');
}
