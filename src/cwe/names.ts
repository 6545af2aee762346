// Official CWE names ("Improper Neutralization of Special Elements used in an SQL Command ('SQL
// Injection')"), from the dictionary of OWASP's cwe-sdk package (raw/cwe-dictionary.json: one
// entry per weakness id, its attributes under `attr`, the name in `attr["@_Name"]`). The file is
// about 8 MB, so it is read once, on the first call, and only the names are kept. The package is
// found by Node's resolution from this module, which also works in the Action's bundle: it ships a
// copy of the package holding the dictionary trimmed to ids and names (scripts/build-action.mjs).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cweId } from './id.js';

let names: ReadonlyMap<string, string> | undefined;

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

function load(): ReadonlyMap<string, string> {
  names ??= namesFromDictionary(JSON.parse(readFileSync(cweDictionaryPath(), 'utf8')));
  return names;
}

/**
 * The official name of a weakness ("CWE-89", "cwe-089", "89" or 89), or undefined when the id is
 * not one or the dictionary does not list it. Throws when the cwe-sdk package is missing or its
 * dictionary unreadable (an install problem, not a data one).
 */
export function cweName(id: string | number): string | undefined {
  const normalized = cweId(id);
  if (!normalized) return undefined;
  return load().get(normalized.slice('CWE-'.length));
}
