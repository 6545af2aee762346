// Markdown pieces the GitHub texts share. Paths, function names, config keys and error messages
// come from the pull request, the repository's config or a model: they are hostile, and every one
// goes through a helper here before it reaches a comment, a review or a check run.
import { fenceFor, fenceOfAtLeast } from './fence.js';

/** Escapes Markdown and HTML control characters in one line of untrusted text. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>~]/g, (char) => `\\${char}`).replace(/\r?\n/g, ' ');
}

/**
 * Untrusted text as an inline code span: on one line, delimited by more backticks than any run
 * inside it (padded when it starts or ends with one), so it cannot close its span. HTML and
 * Markdown inside a code span are shown, not interpreted.
 */
export function inlineCode(text: string): string {
  const line = text.replace(/\r\n?|\n/g, ' ');
  const fence = fenceOfAtLeast(1, line);
  const pad = line.startsWith('`') || line.endsWith('`') || line === '' ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/**
 * A cell of a GFM table. Pipes must be escaped even inside code spans (GFM splits rows before
 * parsing inlines and turns `\|` back into `|`).
 */
export function tableCell(markdown: string): string {
  return markdown.replace(/\r\n?|\n/g, ' ').replace(/\|/g, '\\|');
}

/** A fenced block whose fence is longer than any backtick run in `content`. */
export function codeBlock(content: string, info = ''): string {
  const body = content.replace(/\n$/, '');
  const fence = fenceFor(body);
  return `${fence}${info}\n${body}\n${fence}`;
}

/** `1 function`, `2 functions`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** GitHub refuses comment, review and check-run texts longer than this (characters). */
export const GITHUB_TEXT_LIMIT = 65_535;
