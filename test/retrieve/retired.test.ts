// A retired entry stays in the corpus file and in the saved vectors, so retiring it costs no
// rebuild, but the retriever never returns it in any mode, not even for a query naming its CWE;
// the classifier learns without it; restoring brings it back, again without a rebuild.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusEntry } from '../../src/corpus/entry.js';
import { LocalCorpusStore } from '../../src/corpus/local-store.js';
import { restoreEntry, retireEntry } from '../../src/corpus/retirement.js';
import { openRetrievalIndex, retrieverFor, type RetrievalIndex } from '../../src/retrieve/open-index.js';
import { RETRIEVAL_MODES } from '../../src/retrieve/retriever.js';
import { appendEntries, snippetEntries, tempDirs } from '../fixtures/retrieval-corpus.js';
import { SNIPPETS } from '../fixtures/secure-snippets.js';

const temp = tempDirs('retired-test-');
afterEach(() => temp.cleanup());

let entries: CorpusEntry[];
beforeAll(async () => {
  entries = await snippetEntries(SNIPPETS);
});

const who = { actor: 'cli:alice', via: { kind: 'command' as const, command: 'seccoder corpus retire' } };

/** Every entry the retriever returns for `code`, in every mode, with and without `cwe`. */
async function everythingReturned(index: RetrievalIndex, code: string, cwe: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const mode of RETRIEVAL_MODES) {
    const retriever = retrieverFor(index, mode);
    for (const query of [
      { code, language: 'python' as const },
      { code, language: 'python' as const, cwe },
      { code, cwe },
    ]) {
      for (const demo of await retriever.retrieve({ ...query, k: entries.length })) ids.add(demo.entry.id);
    }
  }
  return ids;
}

describe('retired entries and the retrieval index', () => {
  it('are never retrieved once retired, without a rebuild, and come back when restored', async () => {
    const dir = temp.make();
    await appendEntries(dir, entries);
    const store = new LocalCorpusStore(dir);
    const first = await openRetrievalIndex({ corpusDir: dir });
    expect(first.status.action).toBe('built');

    // The query: a parameterized SQL lookup; its top hit is the corpus's closest one.
    const query =
      'def get_account(cursor, account_id):\n    cursor.execute("SELECT * FROM accounts WHERE id = %s", (account_id,))\n    return cursor.fetchone()\n';
    const [top] = await retrieverFor(first, 'cwe-aware').retrieve({ code: query, language: 'python', k: 3 });
    expect(top).toBeDefined();
    const target = top!.entry;
    expect(target.cwe).toEqual(['CWE-89']);
    // Before: with k as large as the corpus, every mode returns it.
    expect(await everythingReturned(first, query, 'CWE-89')).toContain(target.id);

    await retireEntry(store, { id: target.id, reason: 'teaches string formatting', ...who });
    const retired = await openRetrievalIndex({ corpusDir: dir });
    // Nothing was embedded again: the file, the embedder and the vectors are as they were.
    expect(retired.status).toEqual({ action: 'loaded', embedded: 0, dir: first.status.dir });
    expect(retired.entries.map((entry) => entry.id)).toEqual(entries.map((entry) => entry.id));
    expect(retired.retired).toEqual(new Set([target.id]));
    const returned = await everythingReturned(retired, query, 'CWE-89');
    expect(returned).not.toContain(target.id);
    // Only the retired one is gone: every other entry is still reachable.
    expect(returned.size).toBe(entries.length - 1);
    const [newTop] = await retrieverFor(retired, 'cwe-aware').retrieve({ code: query, language: 'python', cwe: 'CWE-89', k: 1 });
    expect(newTop?.entry.cwe).toEqual(['CWE-89']);
    expect(newTop?.entry.id).not.toBe(target.id);

    await restoreEntry(store, { id: target.id, ...who });
    const restored = await openRetrievalIndex({ corpusDir: dir });
    expect(restored.status.action).toBe('loaded');
    expect(restored.retired.size).toBe(0);
    const [again] = await retrieverFor(restored, 'cwe-aware').retrieve({ code: query, language: 'python', k: 1 });
    expect(again?.entry.id).toBe(target.id);
  });

  it('trains the CWE classifier without them: a CWE whose entries are all retired is no longer predicted', async () => {
    const dir = temp.make();
    await appendEntries(dir, entries);
    const store = new LocalCorpusStore(dir);
    const before = await openRetrievalIndex({ corpusDir: dir });
    expect(before.classifier?.classes).toContain('CWE-416');

    const useAfterFree = entries.filter((entry) => entry.cwe.includes('CWE-416'));
    expect(useAfterFree.length).toBeGreaterThan(1);
    for (const entry of useAfterFree) await retireEntry(store, { id: entry.id, reason: 'drill', ...who });

    const after = await openRetrievalIndex({ corpusDir: dir });
    expect(after.status.action).toBe('loaded');
    expect(after.classifier?.classes).not.toContain('CWE-416');
    expect(after.classifier?.classes).toContain('CWE-89');
    // Asked for CWE-416 by name, the retriever has none to show and falls back to the others.
    const demos = await retrieverFor(after, 'cwe-aware').retrieve({ code: useAfterFree[0]!.code, language: 'c', cwe: 'CWE-416', k: 5 });
    expect(demos).toHaveLength(5);
    expect(demos.some((demo) => demo.entry.cwe.includes('CWE-416'))).toBe(false);
  });
});
