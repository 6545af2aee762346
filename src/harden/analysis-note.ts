// The one line saying a rewrite was not checked by any static analyzer: no analyzer for its
// language is installed (Go, Java and Ruby have none here), or those that ran could not analyze it
// (a lone C function that does not compile without its headers). The PR comment, the check run and
// the CLI all show it; a rewrite some analyzer did check needs no line.
import { isLanguage, languageName } from '../lang/languages.js';
import type { Suggestion } from './suggestion.js';

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const names = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.slice(0, 40)) : [];

/**
 * Why no analyzer checked the rewrite: "none is available for Ruby here", "gcc could not analyze
 * it"; undefined when one did, or when the suggestion does not say (it came from elsewhere, e.g. JSON).
 */
export function notCheckedReason(suggestion: Pick<Suggestion, 'analysis'>): string | undefined {
  const analysis: unknown = suggestion.analysis;
  if (typeof analysis !== 'object' || analysis === null) return undefined;
  const { language, ran, notAnalyzed } = analysis as Record<string, unknown>;
  const ranNames = names(ran);
  const unable = names(notAnalyzed).filter((name) => ranNames.includes(name));
  if (ranNames.some((name) => !unable.includes(name))) return undefined;
  if (ranNames.length > 0) return `${listed(unable)} could not analyze it`;
  return `none is available for ${typeof language === 'string' && isLanguage(language) ? languageName(language) : 'its language'} here`;
}

/** "Not checked by a security analyzer: none is available for Ruby here." (plain text), or undefined. */
export function notCheckedNote(suggestion: Pick<Suggestion, 'analysis'>): string | undefined {
  const reason = notCheckedReason(suggestion);
  return reason === undefined ? undefined : `Not checked by a security analyzer: ${reason}.`;
}
