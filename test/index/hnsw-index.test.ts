import { copyFile, mkdtemp, readdir, rm, truncate, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HierarchicalNSW } from 'hnswlib-node';
import { afterEach, describe, expect, it } from 'vitest';
import { HnswVectorIndex, IndexLoadError } from '../../src/index/hnsw-index.js';
import type { SearchHit } from '../../src/index/types.js';
import { seededRandom as mulberry32 } from '../../src/embed/lsa/random.js';

function randomVectors(count: number, dim: number, seed: number): Float32Array[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: dim }, () => random() * 2 - 1));
}

/** Cosine similarity of every vector, fully sorted: the obviously-correct reference. */
function naiveSearch(vectors: Float32Array[], query: Float32Array, k: number, filter?: (label: number) => boolean) {
  const norm = (v: Float32Array) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
  return vectors
    .map((v, label) => ({ label, score: v.reduce((sum, x, i) => sum + x * query[i]!, 0) / (norm(v) * norm(query)) }))
    .filter((hit) => !filter || filter(hit.label))
    .sort((a, b) => b.score - a.score || a.label - b.label)
    .slice(0, k);
}

function expectSameHits(actual: SearchHit[], expected: SearchHit[]): void {
  expect(actual.map((hit) => hit.label)).toEqual(expected.map((hit) => hit.label));
  actual.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i]!.score, 5));
}

function buildIndex(count: number, dim: number, seed: number, exactThreshold?: number) {
  const vectors = randomVectors(count, dim, seed);
  const index = new HnswVectorIndex(dim, { exactThreshold });
  index.add(vectors);
  return { index, vectors };
}

// The test peeks at the private graph to prove growth reuses it rather than rebuilding.
function graphOf(index: HnswVectorIndex): HierarchicalNSW | undefined {
  return Reflect.get(index, 'graph') as HierarchicalNSW | undefined;
}

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hnsw-index-test-'));
  tempDirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('HnswVectorIndex', () => {
  it('assigns labels in insertion order', () => {
    const index = new HnswVectorIndex(4);
    expect(index.add(randomVectors(3, 4, 1))).toEqual([0, 1, 2]);
    expect(index.add(randomVectors(2, 4, 2))).toEqual([3, 4]);
    expect(index.add([])).toEqual([]);
    expect(index.size).toBe(5);
    expect(index.dim).toBe(4);
  });

  describe('exact search', () => {
    it('matches a naive cosine computation', () => {
      const { index, vectors } = buildIndex(300, 16, 7);
      for (const query of randomVectors(10, 16, 8)) {
        const expected = naiveSearch(vectors, query, 10);
        expectSameHits(index.search(query, 10), expected);
        expectSameHits(index.searchExact(query, 10), expected);
      }
    });

    it('returns everything, sorted, when k exceeds the size', () => {
      const { index, vectors } = buildIndex(20, 8, 3);
      const [query] = randomVectors(1, 8, 4);
      expectSameHits(index.search(query!, 50), naiveSearch(vectors, query!, 50));
      expect(index.search(query!, 0)).toEqual([]);
      expect(new HnswVectorIndex(8).search(query!, 5)).toEqual([]);
    });

    it('scores zero vectors 0 and breaks ties by lower label', () => {
      const index = new HnswVectorIndex(3);
      const v = Float32Array.of(1, 2, 3);
      index.add([Float32Array.of(0, 0, 0), v, Float32Array.of(2, 4, 6), v]);
      const hits = index.search(v, 4);
      expect(hits.map((hit) => hit.label)).toEqual([1, 2, 3, 0]);
      expect(hits[0]!.score).toBeCloseTo(1, 6);
      expect(hits[3]!.score).toBe(0);
      expect(index.search(Float32Array.of(0, 0, 0), 2)).toEqual([
        { label: 0, score: 0 },
        { label: 1, score: 0 },
      ]);
    });
  });

  describe('filter', () => {
    const even = (label: number) => label % 2 === 0;

    it('restricts exact results to admitted labels', () => {
      const { index, vectors } = buildIndex(300, 16, 11);
      for (const query of randomVectors(5, 16, 12)) {
        expectSameHits(index.search(query, 10, even), naiveSearch(vectors, query, 10, even));
      }
    });

    it('restricts HNSW results to admitted labels', () => {
      const { index, vectors } = buildIndex(500, 16, 13, 50);
      for (const query of randomVectors(5, 16, 14)) {
        const hits = index.search(query, 10, even);
        expect(hits).toHaveLength(10);
        expect(hits.every((hit) => even(hit.label))).toBe(true);
        // Even approximate, the best admitted neighbour of a random query is reliably found.
        expect(hits[0]!.label).toBe(naiveSearch(vectors, query, 1, even)[0]!.label);
      }
    });

    it('falls back to exact search when a selective filter starves HNSW', () => {
      const { index, vectors } = buildIndex(500, 16, 15, 50);
      const admitted = new Set([3, 250, 499]);
      const filter = (label: number) => admitted.has(label);
      const [query] = randomVectors(1, 16, 16);
      const hits = index.search(query!, 10, filter);
      expectSameHits(hits, naiveSearch(vectors, query!, 10, filter));
      // Exact equality (HNSW's float32 distances differ in the last bits) shows the fallback ran.
      expect(hits).toEqual(index.searchExact(query!, 10, filter));
    });
  });

  describe('HNSW', () => {
    it('reaches recall@10 >= 0.9 against exact search', () => {
      const { index } = buildIndex(2000, 32, 21);
      const queries = randomVectors(50, 32, 22);
      let found = 0;
      for (const query of queries) {
        const truth = new Set(index.searchExact(query, 10).map((hit) => hit.label));
        found += index.searchApproximate(query, 10).filter((hit) => truth.has(hit.label)).length;
      }
      expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.9);
    });

    it('reports cosine similarity as the score', () => {
      const { index, vectors } = buildIndex(200, 16, 23, 50);
      const [query] = randomVectors(1, 16, 24);
      const hits = index.search(query!, 5);
      const naive = naiveSearch(vectors, query!, 200);
      for (const hit of hits) {
        expect(hit.score).toBeCloseTo(naive.find((n) => n.label === hit.label)!.score, 5);
      }
      expect(index.search(vectors[42]!, 1)[0]).toEqual({ label: 42, score: expect.closeTo(1, 5) });
    });
  });

  describe('persistence', () => {
    it('round-trips an exact-only index without writing a graph', async () => {
      const dir = join(await tempDir(), 'nested', 'index');
      const { index } = buildIndex(200, 16, 31);
      await index.save(dir);
      expect((await readdir(dir)).sort()).toEqual(['index.json', 'vectors.f32']);

      const loaded = await HnswVectorIndex.load(dir);
      expect(loaded.size).toBe(200);
      expect(loaded.dim).toBe(16);
      for (const query of randomVectors(5, 16, 32)) {
        expect(loaded.search(query, 10)).toEqual(index.search(query, 10));
        expect(loaded.search(query, 10, (label) => label > 100)).toEqual(index.search(query, 10, (label) => label > 100));
      }
    });

    it('round-trips an index with a graph', async () => {
      const dir = await tempDir();
      const { index } = buildIndex(500, 16, 33, 50);
      await index.save(dir);
      expect((await readdir(dir)).sort()).toEqual(['hnsw.bin', 'index.json', 'vectors.f32']);

      const loaded = await HnswVectorIndex.load(dir);
      expect(loaded.size).toBe(500);
      for (const query of randomVectors(5, 16, 34)) {
        expect(loaded.search(query, 10)).toEqual(index.search(query, 10));
        expect(loaded.searchApproximate(query, 10)).toEqual(index.searchApproximate(query, 10));
        expect(loaded.searchExact(query, 10)).toEqual(index.searchExact(query, 10));
      }
    });

    it('grows a loaded graph in place instead of rebuilding it', async () => {
      const dir = await tempDir();
      const { index } = buildIndex(100, 16, 35, 50);
      await index.save(dir);
      const loaded = await HnswVectorIndex.load(dir);
      const graph = graphOf(loaded)!;
      const initialCapacity = graph.getMaxElements();

      const added = randomVectors(1000, 16, 36);
      const labels = loaded.add(added);
      expect(labels[0]).toBe(100);
      expect(labels.at(-1)).toBe(1099);
      expect(loaded.size).toBe(1100);
      expect(graphOf(loaded)).toBe(graph);
      expect(graph.getCurrentCount()).toBe(1100);
      expect(graph.getMaxElements()).toBeGreaterThan(initialCapacity);

      for (const label of [100, 600, 1099]) {
        const [best] = loaded.searchApproximate(added[label - 100]!, 5);
        expect(best).toEqual({ label, score: expect.closeTo(1, 5) });
      }
    });

    it('replaces a previous save, leaving no temp files or stale graph', async () => {
      const dir = await tempDir();
      await buildIndex(500, 8, 37, 50).index.save(dir);
      const { index: small } = buildIndex(10, 8, 38);
      await small.save(dir);
      expect((await readdir(dir)).sort()).toEqual(['index.json', 'vectors.f32']);
      expect((await HnswVectorIndex.load(dir)).size).toBe(10);
    });
  });

  describe('errors', () => {
    it('rejects vectors and queries of the wrong dimension', () => {
      const index = new HnswVectorIndex(8);
      index.add(randomVectors(2, 8, 41));
      expect(() => index.add([...randomVectors(1, 8, 42), new Float32Array(7)])).toThrow(/vector 1 of the batch has dimension 7, expected 8/);
      expect(index.size).toBe(2);
      expect(() => index.search(new Float32Array(9), 1)).toThrow(/query has dimension 9, expected 8/);
      expect(() => index.searchExact(new Float32Array(9), 1)).toThrow(/expected 8/);
      expect(() => index.searchApproximate(new Float32Array(9), 1)).toThrow(/expected 8/);
    });

    it('rejects non-finite values and bad arguments', () => {
      const index = new HnswVectorIndex(2);
      expect(() => index.add([Float32Array.of(1, NaN)])).toThrow(/non-finite/);
      expect(() => index.search(Float32Array.of(1, 0), -1)).toThrow(/k must be/);
      expect(() => new HnswVectorIndex(0)).toThrow(/dim/);
      expect(() => new HnswVectorIndex(2, { m: 0 })).toThrow(/option m/);
    });

    async function expectLoadError(dir: string, file: string, reason: RegExp): Promise<void> {
      const error = await HnswVectorIndex.load(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(IndexLoadError);
      expect((error as IndexLoadError).path).toBe(join(dir, file));
      expect((error as IndexLoadError).message).toMatch(reason);
    }

    it('throws IndexLoadError for a missing directory', async () => {
      const dir = join(await tempDir(), 'does-not-exist');
      await expectLoadError(dir, 'index.json', /file not found/);
    });

    it('throws IndexLoadError for a truncated vectors.f32', async () => {
      const dir = await tempDir();
      await buildIndex(30, 8, 43).index.save(dir);
      await truncate(join(dir, 'vectors.f32'), 30 * 8 * 4 - 4);
      await expectLoadError(dir, 'vectors.f32', /holds 956 bytes .* 30 vectors × 8 dims/);
    });

    it('throws IndexLoadError for a corrupt or mismatched manifest', async () => {
      const dir = await tempDir();
      await buildIndex(30, 8, 44).index.save(dir);
      await writeFile(join(dir, 'index.json'), '{"formatVersion": 1');
      await expectLoadError(dir, 'index.json', /not valid JSON/);
      await writeFile(join(dir, 'index.json'), '{"formatVersion": 2}');
      await expectLoadError(dir, 'index.json', /formatVersion/);
    });

    it('throws IndexLoadError for a graph from another save', async () => {
      const [first, second] = [await tempDir(), await tempDir()];
      await buildIndex(200, 8, 45, 50).index.save(first);
      await buildIndex(300, 8, 46, 50).index.save(second);
      await copyFile(join(second, 'hnsw.bin'), join(first, 'hnsw.bin'));
      await expectLoadError(first, 'hnsw.bin', /checksum/);
    });

    it('throws IndexLoadError when the graph is missing', async () => {
      const dir = await tempDir();
      await buildIndex(200, 8, 47, 50).index.save(dir);
      await rm(join(dir, 'hnsw.bin'));
      await expectLoadError(dir, 'hnsw.bin', /file not found/);
    });

    it('throws IndexLoadError for vectors with the right size but wrong content', async () => {
      const dir = await tempDir();
      await buildIndex(30, 8, 48).index.save(dir);
      const bytes = await readFile(join(dir, 'vectors.f32'));
      bytes[10] = bytes[10]! ^ 0xff;
      await writeFile(join(dir, 'vectors.f32'), bytes);
      await expectLoadError(dir, 'vectors.f32', /checksum/);
    });
  });
});
