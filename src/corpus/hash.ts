// A fingerprint of the corpus in order (ids and code hashes), so an index can tell whether it
// was built from this corpus, or from a prefix of it that new entries were appended to.
import { createHash } from 'node:crypto';
import type { CorpusEntry } from './entry.js';

export function corpusHash(entries: readonly Pick<CorpusEntry, 'id' | 'sha256'>[]): string {
  const hash = createHash('sha256');
  for (const entry of entries) hash.update(`${entry.id}\t${entry.sha256}\n`);
  return hash.digest('hex');
}
