// A suggestion as the body of a GitHub review comment: a one-click ```suggestion block, the CWE,
// one sentence on what changed, and the demonstration it learned from. Everything that comes from
// the pull request or the model is escaped or fenced: it is hostile input.
import { fenceFor } from '../text/fence.js';
import { escapeMarkdown } from '../text/markdown.js';
import type { Suggestion, SuggestionDemonstration } from './suggestion.js';

/** Text for inside a code span: Markdown is not interpreted there, so only what could end the span or the line goes. */
function codeSpanText(text: string): string {
  return text.replace(/[`\r\n]/g, '').slice(0, 200);
}

/**
 * The pipeline's one-sentence reason, which marks names as `code`: those spans become code spans
 * (their text cannot end them), everything else is escaped text.
 */
function reasonMarkdown(reason: string): string {
  return reason
    .split('`')
    .map((part, index) => (index % 2 === 1 ? `\`${codeSpanText(part)}\`` : escapeMarkdown(part)))
    .join('');
}

function cweLink(cwe: string): string {
  const number = /^CWE-(\d+)$/.exec(cwe)?.[1];
  return number ? `[${cwe}](https://cwe.mitre.org/data/definitions/${number}.html)` : escapeMarkdown(cwe);
}

function citation(demo: SuggestionDemonstration): string {
  const { source } = demo;
  const where = [source.repo, source.path, source.function && `${source.function}()`].filter(Boolean).map((part) => escapeMarkdown(String(part)));
  const label = where.length > 0 ? where.join(' · ') : escapeMarkdown(demo.id);
  // Only https links are rendered as links: a corpus entry's URL is data, not trusted markup.
  const url = source.url && /^https:\/\/[^\s()<>]+$/.test(source.url) ? source.url : undefined;
  return url ? `[${label}](${url})` : label;
}

export function renderSuggestionMarkdown(suggestion: Suggestion): string {
  const body = suggestion.replacement.replace(/\n$/, '');
  const fence = fenceFor(body);
  const cwes = suggestion.cwe.length > 0 ? suggestion.cwe.map(cweLink).join(', ') : 'security hardening';
  const lines = [
    `**SecCoder** · ${cwes} · \`${codeSpanText(suggestion.functionName)}\``,
    '',
    reasonMarkdown(suggestion.reason),
    '',
    `${fence}suggestion`,
    body,
    fence,
  ];
  if (suggestion.demonstrations.length > 0) {
    lines.push('', `Learned from: ${suggestion.demonstrations.map(citation).join('; ')}`);
  }
  lines.push('', `<sub>Written by ${escapeMarkdown(suggestion.model)} from a secure example in your corpus. Review before committing.</sub>`);
  return lines.join('\n');
}
