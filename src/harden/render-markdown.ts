// A suggestion as the body of a GitHub review comment: a one-click ```suggestion block for one hunk
// of the rewrite (hunks.ts), and two or three sentences saying what is wrong and why the change
// fixes it: the weakness by its official CWE name and the alert's message, the analyzer finding
// the change makes disappear, and the precedent with a link to the commit that fixed it. Everything
// that comes from the pull request, the model, code scanning, an analyzer or the corpus is escaped
// or fenced: it is hostile input.
import { cweName } from '../cwe/names.js';
import { fenceFor } from '../text/fence.js';
import { escapeMarkdown, inlineCode } from '../text/markdown.js';
import { notCheckedReason } from './analysis-note.js';
import { replacementLines, type SuggestionHunk } from './hunks.js';
import type { ResolvedFinding, Suggestion, SuggestionAlert, SuggestionDemonstration } from './suggestion.js';

/** One hunk of a suggestion, as one comment. */
export interface SuggestionPart {
  hunk: SuggestionHunk;
  /** 0-based position among the suggestion's hunks, and how many it has. */
  index: number;
  total: number;
}

/** Untrusted text shortened for a sentence, escaped. */
function quoted(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return escapeMarkdown(line.length > max ? `${line.slice(0, max - 1)}…` : line);
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "CWE-89: Improper Neutralization … ('SQL Injection')" linked to MITRE's page; an unknown id is plain text. */
export function cweMarkdown(cwe: string): string {
  const number = /^CWE-(\d+)$/.exec(cwe)?.[1];
  if (!number) return escapeMarkdown(cwe);
  const name = cweName(cwe);
  return `[${escapeMarkdown(name ? `${cwe}: ${name}` : cwe)}](https://cwe.mitre.org/data/definitions/${number}.html)`;
}

function alertsOf(suggestion: Suggestion): SuggestionAlert[] {
  return Array.isArray(suggestion.alerts) ? suggestion.alerts : [];
}

function resolvedOf(suggestion: Suggestion): ResolvedFinding[] {
  return Array.isArray(suggestion.resolvedFindings) ? suggestion.resolvedFindings : [];
}

/** `requiredImports` when the pipeline sets it (strings only; a suggestion may come from elsewhere, e.g. JSON). */
function importsOf(suggestion: Suggestion): string[] {
  const imports: unknown = suggestion.requiredImports;
  if (!Array.isArray(imports)) return [];
  return imports.filter((item): item is string => typeof item === 'string' && item.trim() !== '').slice(0, 10);
}

/** What is wrong: the weakness by name, and the alert's message when code scanning reported one. */
function problemSentence(suggestion: Suggestion): string {
  const fn = inlineCode(suggestion.functionName.slice(0, 200));
  const weakness = suggestion.cwe.length > 0 ? listed(suggestion.cwe.map(cweMarkdown)) : '';
  const [alert, ...others] = alertsOf(suggestion);
  if (!alert) return `${fn} may be open to ${weakness || 'a security weakness'}.`;
  const more = others.length > 0 ? `; ${others.length} more ${others.length === 1 ? 'alert' : 'alerts'}` : '';
  return `Code scanning reports ${weakness || 'a weakness'} in ${fn}: “${quoted(alert.message)}” (${inlineCode(alert.ruleId.slice(0, 100))}${more}).`;
}

/** Why the change fixes it, when an analyzer shows it: the findings of the original that are gone. */
function fixSentence(suggestion: Suggestion): string | undefined {
  const resolved = resolvedOf(suggestion);
  const [only] = resolved;
  if (!only) return undefined;
  if (resolved.length === 1) {
    const message = quoted(only.message);
    // A quoted message ending a sentence keeps its own full stop.
    return `With this change, ${quoted(only.tool, 40)} no longer reports ${inlineCode(only.ruleId.slice(0, 100))}: “${message}”${/[.!?]$/.test(message) ? '' : '.'}`;
  }
  const shown = resolved
    .slice(0, 3)
    .map((finding) => `${quoted(finding.tool, 40)} ${inlineCode(finding.ruleId.slice(0, 100))} (“${quoted(finding.message, 120)}”)`);
  if (resolved.length > 3) shown.push(`${resolved.length - 3} more`);
  return `With this change, these analyzer findings are gone: ${listed(shown)}.`;
}

const SAFE_URL = /^https:\/\/[^\s()<>]+$/;
const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const COMMIT = /^[0-9a-f]{7,40}$/i;

/** The link to the commit a corpus entry came from: its https URL, else GitHub's page for repo and commit. */
export function commitUrl(source: SuggestionDemonstration['source']): string | undefined {
  // Only https links are rendered as links: a corpus entry's URL is data, not trusted markup.
  if (source.url && SAFE_URL.test(source.url)) return source.url;
  if (source.repo && source.commit && REPO.test(source.repo) && COMMIT.test(source.commit)) {
    return `https://github.com/${source.repo}/commit/${source.commit}`;
  }
  return undefined;
}

/** The precedent: the secure example the rewrite learned from, and the commit that fixed it. */
function precedentSentence(suggestion: Suggestion): string | undefined {
  const demo = suggestion.demonstrations[0];
  if (!demo) return undefined;
  const { source } = demo;
  const fn = source.function ? inlineCode(source.function.slice(0, 200)) : undefined;
  const path = source.path ? inlineCode(source.path.slice(0, 300)) : undefined;
  const subject = [fn, path && `in ${path}`].filter(Boolean).join(' ');
  const url = commitUrl(source);
  if (url) {
    const label = source.repo ? `${quoted(source.repo, 100)}${source.commit ? `@${quoted(source.commit.slice(0, 7), 7)}` : ''}` : 'this commit';
    return `It follows the precedent of [${label}](${url}), the commit that fixed ${subject || 'the same weakness'}.`;
  }
  if (source.repo) return `It follows the precedent of the fix in ${quoted(source.repo, 100)}${subject ? ` to ${subject}` : ''}.`;
  return `It follows the precedent of ${subject || inlineCode(demo.id)}, a secure example in your corpus.`;
}

/** What is wrong, why the change fixes it, and the precedent: two or three sentences on one paragraph. */
export function explanationMarkdown(suggestion: Suggestion): string {
  return [problemSentence(suggestion), fixSentence(suggestion), precedentSentence(suggestion)].filter(Boolean).join(' ');
}

/**
 * "**Not checked by a security analyzer**: none is available for Ruby here." when no analyzer
 * checked the rewrite; '' when one did (or the suggestion does not say).
 */
export function notCheckedMarkdown(suggestion: Suggestion): string {
  const reason = notCheckedReason(suggestion);
  return reason === undefined ? '' : `**Not checked by a security analyzer**: ${escapeMarkdown(reason)}.`;
}

/** "Add `import x` to the file's imports …" when the change needs imports; '' otherwise. */
export function importsMarkdown(suggestion: Suggestion): string {
  const imports = importsOf(suggestion);
  if (imports.length === 0) return '';
  const names = listed(imports.map((item) => inlineCode(item.trim().slice(0, 200))));
  return `Add ${names} to the file's imports: this change needs ${imports.length === 1 ? 'it' : 'them'}.`;
}

/** The one footer line of a comment. */
export function footerMarkdown(suggestion: Suggestion): string {
  return `<sub>Written by ${escapeMarkdown(suggestion.model)} from a secure example in your corpus. Review before committing.</sub>`;
}

/** A ```suggestion block replacing the commented lines with `lines` (none: an empty block, which deletes them). */
export function suggestionBlock(lines: readonly string[]): string {
  const body = lines.join('\n');
  const fence = fenceFor(body);
  return lines.length === 0 ? `${fence}suggestion\n${fence}` : `${fence}suggestion\n${body}\n${fence}`;
}

/** The header line: SecCoder, the function, and which part of its suggestion this is. */
export function headerMarkdown(suggestion: Suggestion, part?: Pick<SuggestionPart, 'index' | 'total'>): string {
  const which = part && part.total > 1 ? ` · change ${part.index + 1} of ${part.total}` : '';
  return `**SecCoder** · ${inlineCode(suggestion.functionName.slice(0, 200))}${which}`;
}

/**
 * One comment: header, explanation, whether no analyzer checked it, the ```suggestion block,
 * imports to add, footer. With a part, the block replaces the hunk's lines; without, the
 * function's lines (startLine..endLine) whole.
 */
export function renderSuggestionMarkdown(suggestion: Suggestion, part?: SuggestionPart): string {
  const lines = [headerMarkdown(suggestion, part), '', explanationMarkdown(suggestion)];
  const notChecked = notCheckedMarkdown(suggestion);
  if (notChecked) lines.push('', notChecked);
  lines.push('', suggestionBlock(part ? part.hunk.replacement : replacementLines(suggestion)));
  const imports = importsMarkdown(suggestion);
  if (imports) lines.push('', imports);
  lines.push('', footerMarkdown(suggestion));
  return lines.join('\n');
}
