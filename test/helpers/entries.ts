import { codeHash, type CorpusEntry } from '../../src/corpus/entry.js';
import type { Language } from '../../src/lang/languages.js';

/** A valid corpus entry for tests, its identity derived from its code as in the product. */
export function makeEntry(code: string, language: Language = 'python', cwe: string[] = []): CorpusEntry {
  const sha256 = codeHash(code);
  return {
    id: `manual-${sha256.slice(0, 16)}`,
    language,
    code,
    cwe,
    source: {},
    origin: 'manual',
    addedAt: '2026-01-01T00:00:00.000Z',
    sha256,
  };
}
