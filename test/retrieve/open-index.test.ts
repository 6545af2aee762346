import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusEntry } from '../../src/corpus/entry.js';
import { corpusHash } from '../../src/corpus/hash.js';
import { judgeManifest, MANIFEST_FILE, readIndexManifest, type IndexManifest } from '../../src/retrieve/index-manifest.js';
import { INDEX_FOLDER, openRetrievalIndex } from '../../src/retrieve/open-index.js';
import { writableFolder } from '../../src/retrieve/index-location.js';
import { appendEntries, snippetEntries, tempDirs } from '../fixtures/retrieval-corpus.js';
import { EXTRA_SNIPPETS, SNIPPETS } from '../fixtures/secure-snippets.js';

const temp = tempDirs('open-index-test-');
afterEach(() => temp.cleanup());

let entries: CorpusEntry[];
let extra: CorpusEntry[];

beforeAll(async () => {
  entries = await snippetEntries(SNIPPETS);
  extra = await snippetEntries(EXTRA_SNIPPETS);
});

async function corpusDir(initial: CorpusEntry[] = entries): Promise<string> {
  const dir = temp.make();
  await appendEntries(dir, initial);
  return dir;
}

const indexDir = (corpus: string) => join(corpus, INDEX_FOLDER, 'default');

async function readManifestJson(corpus: string): Promise<IndexManifest> {
  return JSON.parse(await readFile(join(indexDir(corpus), MANIFEST_FILE), 'utf8')) as IndexManifest;
}

/** The label of the nearest stored vector to an entry's own embedding, and its cosine. */
async function nearest(index: Awaited<ReturnType<typeof openRetrievalIndex>>, code: string) {
  const [vector] = await index.embedder.embed([code]);
  return index.vectors.search(vector!, 1)[0]!;
}

describe('openRetrievalIndex', () => {
  it('builds, then loads, then extends incrementally, and persists everything', async () => {
    const corpus = await corpusDir();

    const first = await openRetrievalIndex({ corpusDir: corpus });
    expect(first.status.action).toBe('built');
    // The first open has neither an index nor a trained embedder; either is a fair reason.
    expect(first.status.reason).toMatch(/no (index|trained default embedder) yet/);
    expect(first.status.embedded).toBe(SNIPPETS.length);
    expect(first.status.dir).toBe(indexDir(corpus));
    expect(first.entries.map((entry) => entry.id)).toEqual(entries.map((entry) => entry.id));
    expect(first.problems).toEqual([]);
    expect(first.vectors.size).toBe(SNIPPETS.length);
    expect(first.vectors.dim).toBe(first.embedder.dim);
    expect(first.bm25.size).toBe(SNIPPETS.length);
    for (const file of [MANIFEST_FILE, 'index.json', 'vectors.f32', join('embedder', 'model.onnx'), join('embedder', 'vocabulary.json')]) {
      expect(existsSync(join(indexDir(corpus), file))).toBe(true);
    }
    const manifest = await readManifestJson(corpus);
    expect(manifest.embedderId).toBe(first.embedder.id);
    expect(manifest.dim).toBe(first.embedder.dim);
    expect(manifest.entryIds).toEqual(entries.map((entry) => entry.id));
    expect(manifest.corpusHash).toBe(corpusHash(entries));
    // Every entry's vector is its own nearest neighbour.
    for (const [label, entry] of entries.entries()) {
      const hit = await nearest(first, entry.code);
      expect(hit.score).toBeCloseTo(1, 5);
      expect(hit.label).toBe(label);
    }

    const second = await openRetrievalIndex({ corpusDir: corpus });
    expect(second.status).toEqual({ action: 'loaded', embedded: 0, dir: indexDir(corpus) });
    expect(second.embedder.id).toBe(first.embedder.id);
    expect(second.vectors.size).toBe(SNIPPETS.length);
    const query = (await first.embedder.embed([SNIPPETS[11]!.code]))[0]!;
    expect(second.vectors.search(query, 5)).toEqual(first.vectors.search(query, 5));

    await appendEntries(corpus, extra);
    const third = await openRetrievalIndex({ corpusDir: corpus });
    expect(third.status.action).toBe('extended');
    expect(third.status.embedded).toBe(2);
    expect(third.status.reason).toContain('2 new');
    // 29 < 27 × 1.5, so the embedder is reused and only the new entries are embedded.
    expect(third.embedder.id).toBe(first.embedder.id);
    expect(third.vectors.size).toBe(SNIPPETS.length + 2);
    expect(third.entries).toHaveLength(SNIPPETS.length + 2);
    expect(third.bm25.size).toBe(SNIPPETS.length + 2);
    for (const [i, entry] of extra.entries()) {
      const hit = await nearest(third, entry.code);
      expect(hit.label).toBe(SNIPPETS.length + i);
      expect(hit.score).toBeCloseTo(1, 5);
    }
    const extendedManifest = await readManifestJson(corpus);
    expect(extendedManifest.entryIds).toEqual([...entries, ...extra].map((entry) => entry.id));
    expect(extendedManifest.corpusHash).toBe(corpusHash([...entries, ...extra]));

    const fourth = await openRetrievalIndex({ corpusDir: corpus });
    expect(fourth.status.action).toBe('loaded');
    expect(fourth.vectors.size).toBe(SNIPPETS.length + 2);
  });

  it('rebuilds on request', async () => {
    const corpus = await corpusDir();
    const first = await openRetrievalIndex({ corpusDir: corpus });
    const rebuilt = await openRetrievalIndex({ corpusDir: corpus, rebuild: true });
    expect(rebuilt.status.action).toBe('built');
    expect(rebuilt.status.reason).toBe('rebuild requested');
    expect(rebuilt.status.embedded).toBe(SNIPPETS.length);
    // Deterministic training: the same corpus gives the same embedder.
    expect(rebuilt.embedder.id).toBe(first.embedder.id);
    expect((await openRetrievalIndex({ corpusDir: corpus })).status.action).toBe('loaded');
  });

  it('rebuilds when an entry the index was built from is removed', async () => {
    const corpus = await corpusDir();
    const first = await openRetrievalIndex({ corpusDir: corpus });
    const file = join(corpus, 'corpus.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(SNIPPETS.length);
    await writeFile(file, `${lines.slice(1).join('\n')}\n`);

    const reopened = await openRetrievalIndex({ corpusDir: corpus });
    expect(reopened.status.action).toBe('built');
    expect(reopened.status.reason).toMatch(/corpus/);
    expect(reopened.status.embedded).toBe(SNIPPETS.length - 1);
    expect(reopened.vectors.size).toBe(SNIPPETS.length - 1);
    expect(reopened.entries[0]!.id).toBe(entries[1]!.id);
    expect(reopened.embedder.id).not.toBe(first.embedder.id);
    expect((await readManifestJson(corpus)).entryIds).toEqual(entries.slice(1).map((entry) => entry.id));
  });

  it('rebuilds when an entry is replaced in place', async () => {
    const corpus = await corpusDir();
    await openRetrievalIndex({ corpusDir: corpus });
    const [replacement] = await snippetEntries([EXTRA_SNIPPETS[0]!]);
    const file = join(corpus, 'corpus.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');
    lines[3] = JSON.stringify(replacement);
    await writeFile(file, `${lines.join('\n')}\n`);

    const reopened = await openRetrievalIndex({ corpusDir: corpus });
    expect(reopened.status.action).toBe('built');
    expect(reopened.status.reason).toMatch(/corpus entries .*changed/);
    expect(reopened.entries[3]!.id).toBe(replacement!.id);
    const hit = await nearest(reopened, replacement!.code);
    expect(hit.label).toBe(3);
  });

  it('rebuilds when the manifest names another embedder, naming both ids', async () => {
    const corpus = await corpusDir();
    const first = await openRetrievalIndex({ corpusDir: corpus });
    const manifestPath = join(indexDir(corpus), MANIFEST_FILE);
    const manifest = await readManifestJson(corpus);
    await writeFile(manifestPath, JSON.stringify({ ...manifest, embedderId: 'default:lsa-7:0123456789ab' }));

    const reopened = await openRetrievalIndex({ corpusDir: corpus });
    expect(reopened.status.action).toBe('built');
    expect(reopened.status.reason).toContain('default:lsa-7:0123456789ab');
    expect(reopened.status.reason).toContain(first.embedder.id);
    expect((await readManifestJson(corpus)).embedderId).toBe(first.embedder.id);
  });

  it('says "no index yet" when only the index (not the embedder) is missing', async () => {
    const corpus = await corpusDir();
    await openRetrievalIndex({ corpusDir: corpus });
    await rm(join(indexDir(corpus), MANIFEST_FILE));
    const reopened = await openRetrievalIndex({ corpusDir: corpus });
    expect(reopened.status.action).toBe('built');
    expect(reopened.status.reason).toBe('no index yet');
  });

  it('rebuilds when the saved vectors are damaged', async () => {
    const corpus = await corpusDir();
    await openRetrievalIndex({ corpusDir: corpus });
    const vectorsPath = join(indexDir(corpus), 'vectors.f32');
    const bytes = await readFile(vectorsPath);
    bytes[10] = (bytes[10]! + 1) % 256;
    await writeFile(vectorsPath, bytes);
    const reopened = await openRetrievalIndex({ corpusDir: corpus });
    expect(reopened.status.action).toBe('built');
    expect(reopened.status.reason).toMatch(/saved vectors unreadable/);
    expect(reopened.vectors.size).toBe(SNIPPETS.length);
  });

  it('rebuilds when the manifest and the saved vectors disagree in size', async () => {
    const corpus = await corpusDir();
    await openRetrievalIndex({ corpusDir: corpus });
    const manifest = await readManifestJson(corpus);
    // A manifest for one entry fewer: on its own it would mean "extend by one".
    const shorter = entries.slice(0, -1);
    await writeFile(
      join(indexDir(corpus), MANIFEST_FILE),
      JSON.stringify({ ...manifest, entryIds: shorter.map((entry) => entry.id), corpusHash: corpusHash(shorter) }),
    );
    const reopened = await openRetrievalIndex({ corpusDir: corpus });
    expect(reopened.status.action).toBe('built');
    expect(reopened.status.reason).toMatch(/do not match the manifest/);
    expect(reopened.vectors.size).toBe(SNIPPETS.length);
  });

  it('builds, persists and reloads the HNSW graph above the exact threshold, and extends it', async () => {
    const corpus = await corpusDir();
    const first = await openRetrievalIndex({ corpusDir: corpus, hnsw: { exactThreshold: 5 } });
    expect(first.status.action).toBe('built');
    const graphPath = join(indexDir(corpus), 'hnsw.bin');
    expect(existsSync(graphPath)).toBe(true);
    const indexJson = JSON.parse(await readFile(join(indexDir(corpus), 'index.json'), 'utf8')) as { graph: boolean; options: { exactThreshold: number } };
    expect(indexJson.graph).toBe(true);
    expect(indexJson.options.exactThreshold).toBe(5);

    const loaded = await openRetrievalIndex({ corpusDir: corpus });
    expect(loaded.status.action).toBe('loaded');
    const [query] = await loaded.embedder.embed([SNIPPETS[12]!.code]);
    const approximate = loaded.vectors.search(query!, 3);
    expect(approximate.map((hit) => hit.label)).toEqual(loaded.vectors.searchExact(query!, 3).map((hit) => hit.label));
    expect(approximate[0]!.label).toBe(12);

    await appendEntries(corpus, extra);
    const extended = await openRetrievalIndex({ corpusDir: corpus });
    expect(extended.status.action).toBe('extended');
    expect(extended.vectors.size).toBe(SNIPPETS.length + 2);
    const [newQuery] = await extended.embedder.embed([EXTRA_SNIPPETS[1]!.code]);
    expect(extended.vectors.searchApproximate(newQuery!, 1)[0]!.label).toBe(SNIPPETS.length + 1);
    const reloaded = await openRetrievalIndex({ corpusDir: corpus });
    expect(reloaded.status.action).toBe('loaded');
    expect(reloaded.vectors.searchApproximate(newQuery!, 1)[0]!.label).toBe(SNIPPETS.length + 1);
  });

  it('writes nothing with persist: false', async () => {
    const corpus = await corpusDir();
    const opened = await openRetrievalIndex({ corpusDir: corpus, persist: false });
    expect(opened.status.action).toBe('built');
    expect(opened.vectors.size).toBe(SNIPPETS.length);
    expect(existsSync(join(corpus, INDEX_FOLDER))).toBe(false);
    expect(await readIndexManifest(indexDir(corpus))).toBeUndefined();
  });

  it('keeps the index where indexRoot says, and serves without saving when that folder cannot be created', async () => {
    const corpus = await corpusDir();
    const elsewhere = join(temp.make(), 'indexes');
    const kept = await openRetrievalIndex({ corpusDir: corpus, indexRoot: elsewhere });
    expect(kept.status).toMatchObject({ action: 'built', dir: join(elsewhere, 'default') });
    expect(kept.status.notSaved).toBeUndefined();
    expect(await readIndexManifest(join(elsewhere, 'default'))).toBeDefined();
    expect(existsSync(join(corpus, INDEX_FOLDER))).toBe(false);
    expect((await openRetrievalIndex({ corpusDir: corpus, indexRoot: elsewhere })).status.action).toBe('loaded');

    // A file where a folder should be: mkdir fails for root too, as a read-only image would.
    const blocker = join(temp.make(), 'not-a-folder');
    await writeFile(blocker, 'x');
    const unsaved = await openRetrievalIndex({ corpusDir: corpus, indexRoot: join(blocker, 'indexes') });
    expect(unsaved.status.action).toBe('built');
    expect(unsaved.status.notSaved).toMatch(/^cannot create .*not-a-folder\/indexes \(ENOTDIR\)$/);
    expect(unsaved.vectors.size).toBe(SNIPPETS.length);
    expect(unsaved.classifier).toBeDefined();
    const [query] = await unsaved.embedder.embed([SNIPPETS[0]!.code]);
    expect(unsaved.vectors.search(query!, 1)[0]!.label).toBe(0);
  });

  it('fails to create an index folder under /proc with a reason, where a recursive mkdir never settles', async () => {
    expect(await writableFolder('/proc/seccoder-test/seed-index')).toBe('cannot create /proc/seccoder-test/seed-index (ENOENT)');
    const nested = join(temp.make(), 'a', 'b', 'c');
    expect(await writableFolder(nested)).toBeUndefined();
    expect(existsSync(nested)).toBe(true);
  });

  it('reports bad corpus lines as problems and indexes the rest', async () => {
    const corpus = await corpusDir();
    const file = join(corpus, 'corpus.jsonl');
    await writeFile(file, `${await readFile(file, 'utf8')}{"not": "an entry"}\n`);
    const opened = await openRetrievalIndex({ corpusDir: corpus, persist: false });
    expect(opened.entries).toHaveLength(SNIPPETS.length);
    expect(opened.problems).toHaveLength(1);
    expect(opened.problems[0]!.line).toBe(SNIPPETS.length + 1);
  });
});

describe('judgeManifest', () => {
  const embedder = { id: 'default:lsa-8:aaaaaaaaaaaa', dim: 8 };
  function manifestFor(built: readonly CorpusEntry[], overrides: Partial<IndexManifest> = {}): IndexManifest {
    return {
      format: 1,
      embedderId: embedder.id,
      dim: embedder.dim,
      corpusHash: corpusHash(built),
      entryIds: built.map((entry) => entry.id),
      updatedAt: '2026-01-01T00:00:00.000Z',
      ...overrides,
    };
  }

  it('rebuilds when there is no index', () => {
    expect(judgeManifest(undefined, entries, embedder)).toEqual({ action: 'rebuild', reason: 'no index yet' });
  });

  it('uses an index built from exactly this corpus', () => {
    expect(judgeManifest(manifestFor(entries), entries, embedder)).toEqual({ action: 'use' });
  });

  it('extends an index built from a prefix of the corpus', () => {
    expect(judgeManifest(manifestFor(entries.slice(0, 20)), entries, embedder)).toEqual({ action: 'extend', from: 20 });
    expect(judgeManifest(manifestFor([]), entries, embedder)).toEqual({ action: 'extend', from: 0 });
  });

  it('rebuilds for another embedder, naming both', () => {
    const verdict = judgeManifest(manifestFor(entries, { embedderId: 'onnx:bge:123' }), entries, embedder);
    expect(verdict.action).toBe('rebuild');
    expect(verdict.action === 'rebuild' && verdict.reason).toBe(`index was built with embedder onnx:bge:123, now ${embedder.id}`);
  });

  it('rebuilds for another dimension', () => {
    const verdict = judgeManifest(manifestFor(entries, { dim: 16 }), entries, embedder);
    expect(verdict).toEqual({ action: 'rebuild', reason: 'index has dimension 16, embedder 8' });
  });

  it('rebuilds when the corpus shrank', () => {
    const verdict = judgeManifest(manifestFor(entries), entries.slice(0, 10), embedder);
    expect(verdict).toEqual({ action: 'rebuild', reason: `corpus shrank from ${entries.length} to 10 entries` });
  });

  it('rebuilds when the built prefix changed: reordered, replaced, or same ids with other code', () => {
    const reason = { action: 'rebuild', reason: 'corpus entries changed since the index was built' };
    const swapped = [entries[1]!, entries[0]!, ...entries.slice(2)];
    expect(judgeManifest(manifestFor(entries), swapped, embedder)).toEqual(reason);
    const replaced = [...entries.slice(0, 5), extra[0]!, ...entries.slice(6)];
    expect(judgeManifest(manifestFor(entries.slice(0, 10)), replaced, embedder)).toEqual(reason);
    const sameIdOtherCode = entries.map((entry, i) => (i === 2 ? { ...entry, sha256: extra[1]!.sha256 } : entry));
    expect(judgeManifest(manifestFor(entries), sameIdOtherCode, embedder)).toEqual(reason);
    // A change after the built prefix is just new entries.
    expect(judgeManifest(manifestFor(entries.slice(0, 5)), replaced, embedder)).toEqual({ action: 'extend', from: 5 });
  });

  it('checks the embedder before the corpus', () => {
    const verdict = judgeManifest(manifestFor(entries, { embedderId: 'other' }), entries.slice(0, 3), embedder);
    expect(verdict.action === 'rebuild' && verdict.reason).toMatch(/embedder other/);
  });
});

describe('corpusHash', () => {
  it('depends on ids, code hashes and order', () => {
    const base = corpusHash(entries);
    expect(corpusHash([...entries])).toBe(base);
    expect(corpusHash([entries[1]!, entries[0]!, ...entries.slice(2)])).not.toBe(base);
    expect(corpusHash(entries.map((entry, i) => (i === 0 ? { ...entry, id: 'renamed' } : entry)))).not.toBe(base);
    expect(corpusHash(entries.map((entry, i) => (i === 0 ? { ...entry, sha256: '0'.repeat(64) } : entry)))).not.toBe(base);
    expect(corpusHash(entries.slice(0, -1))).not.toBe(base);
    expect(corpusHash([])).toMatch(/^[0-9a-f]{64}$/);
  });
});
