// Which entries of a batch are new: the same normalized code (sha256) already in the corpus, or
// earlier in the same batch, is a duplicate. Shared by every CorpusStore.
import type { CorpusEntry } from './entry.js';
import type { AppendResult } from './types.js';

export function splitNewEntries(existing: readonly CorpusEntry[], entries: readonly CorpusEntry[]): AppendResult {
  const known = new Set(existing.map((entry) => entry.sha256));
  const added: CorpusEntry[] = [];
  const duplicates: CorpusEntry[] = [];
  for (const entry of entries) {
    if (known.has(entry.sha256)) {
      duplicates.push(entry);
    } else {
      known.add(entry.sha256);
      added.push(entry);
    }
  }
  return { added, duplicates };
}
