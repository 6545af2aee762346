// Official CWE names ("Improper Neutralization of Special Elements used in an SQL Command ('SQL
// Injection')") and MITRE's mapping usage ("Allowed", "Discouraged", ...), from the dictionary of
// OWASP's cwe-sdk package (raw/cwe-dictionary.json: one entry per weakness id, its attributes under
// `attr`, the name in `attr["@_Name"]`, the usage in `Mapping_Notes.Usage`). The file is about
// 8 MB, so it is read once, on the first call, and only names and usages are kept. The package is
// found by Node's resolution from this module, which also works in the Action's bundle: it ships a
// copy of the package holding the dictionary trimmed to ids, names and usages (scripts/build-action.mjs).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cweId } from './id.js';

interface DictionaryFacts {
  names: ReadonlyMap<string, string>;
  usages: ReadonlyMap<string, string>;
}

let facts: DictionaryFacts | undefined;

/** The dictionary's file: `raw/cwe-dictionary.json` of the cwe-sdk package this module resolves. */
export function cweDictionaryPath(): string {
  return join(dirname(createRequire(import.meta.url).resolve('cwe-sdk/package.json')), 'raw', 'cwe-dictionary.json');
}

/** Id ("89") → name, from the dictionary's JSON; entries without a string name are left out. */
export function namesFromDictionary(dictionary: unknown): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof dictionary !== 'object' || dictionary === null) return found;
  for (const [id, entry] of Object.entries(dictionary)) {
    const name = (entry as { attr?: { '@_Name'?: unknown } } | null)?.attr?.['@_Name'];
    if (typeof name === 'string' && name.trim() !== '' && /^\d+$/.test(id)) found.set(id, name.trim());
  }
  return found;
}

/**
 * Id ("20") → MITRE's mapping usage ("Discouraged"), from each entry's `Mapping_Notes.Usage`;
 * entries without one are left out. MITRE discourages mapping a vulnerability to the Pillars and
 * to broad Classes such as CWE-20 and CWE-74, "level-1 Classes (children of a Pillar)".
 */
export function usagesFromDictionary(dictionary: unknown): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof dictionary !== 'object' || dictionary === null) return found;
  for (const [id, entry] of Object.entries(dictionary)) {
    const usage = (entry as { Mapping_Notes?: { Usage?: unknown } } | null)?.Mapping_Notes?.Usage;
    if (typeof usage === 'string' && usage.trim() !== '' && /^\d+$/.test(id)) found.set(id, usage.trim());
  }
  return found;
}

function load(): DictionaryFacts {
  if (!facts) {
    const dictionary: unknown = JSON.parse(readFileSync(cweDictionaryPath(), 'utf8'));
    facts = { names: namesFromDictionary(dictionary), usages: usagesFromDictionary(dictionary) };
  }
  return facts;
}

/**
 * The official name of a weakness ("CWE-89", "cwe-089", "89" or 89), or undefined when the id is
 * not one or the dictionary does not list it. Throws when the cwe-sdk package is missing or its
 * dictionary unreadable (an install problem, not a data one).
 */
export function cweName(id: string | number): string | undefined {
  const normalized = cweId(id);
  if (!normalized) return undefined;
  return load().names.get(normalized.slice('CWE-'.length));
}

/**
 * The id with its official name, for text a person reads: "CWE-89 (Improper Neutralization of
 * Special Elements used in an SQL Command ('SQL Injection'))"; the id alone when the dictionary
 * does not name it, and the text as given when it is no CWE id.
 */
export function cweWithName(id: string): string {
  const normalized = cweId(id);
  const name = normalized ? cweName(normalized) : undefined;
  return normalized && name ? `${normalized} (${name})` : (normalized ?? id);
}

/**
 * "CWE-89: Improper Neutralization … ('SQL Injection')", one line per distinct weakness among `ids`
 * that the dictionary names, in order: a legend for text that shows bare ids in a table.
 */
export function cweLegend(ids: readonly string[]): string[] {
  const distinct = [...new Set(ids.map((id) => cweId(id)).filter((id) => id !== undefined))];
  return distinct.flatMap((id) => {
    const name = cweName(id);
    return name ? [`${id}: ${name}`] : [];
  });
}

/**
 * MITRE's mapping usage of a weakness ("Allowed", "Allowed-with-Review", "Discouraged" or
 * "Prohibited"), or undefined when the id is not one or the dictionary gives none. Throws as
 * `cweName` does when the dictionary is unreadable.
 */
export function cweMappingUsage(id: string | number): string | undefined {
  const normalized = cweId(id);
  if (!normalized) return undefined;
  return load().usages.get(normalized.slice('CWE-'.length));
}
