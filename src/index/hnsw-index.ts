// VectorIndex on hnswlib-node. Every vector is also kept in a plain Float32Array: hnswlib can't
// hand vectors back in bulk, and exact search (small indexes, selective filters, recall
// benchmarks) and persistence need them.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import hnswlib from 'hnswlib-node';
import type { HierarchicalNSW } from 'hnswlib-node';
import { fsyncDir, writeFileAtomic } from '../fs/atomic-write.js';
import { compareHits, exactTopK, normalizeInto } from './exact-search.js';
import { IndexLoadError } from './index-load-error.js';
import { FILES, fromLittleEndian, readBytes, readManifest, toLittleEndian, type Manifest } from './index-files.js';
import type { SearchHit, VectorIndex } from './types.js';

export { IndexLoadError } from './index-load-error.js';

export interface HnswOptions {
  /** Graph out-degree (default 32). */
  m?: number;
  /** Candidate list size while building (default 200). */
  efConstruction?: number;
  /** Candidate list size while searching (default 64, raised to k when k is larger). */
  efSearch?: number;
  /** Below this many vectors search is exact and no graph is built (default 10 000). */
  exactThreshold?: number;
  /** Seed for hnswlib's level generator, so builds are reproducible (default 100). */
  seed?: number;
}

type Filter = (label: number) => boolean;

const DEFAULTS: Readonly<Required<HnswOptions>> = {
  // 32 rather than hnswlib's usual 16: on clustered code vectors (near-copies of one function)
  // m=16 left ~2% of points unreachable at rank 1 in the 100k benchmark; m=32 costs ~10% build time.
  m: 32,
  efConstruction: 200,
  efSearch: 64,
  exactThreshold: 10_000,
  seed: 100,
};

const INITIAL_CAPACITY = 64;

export class HnswVectorIndex implements VectorIndex {
  readonly dim: number;
  private readonly options: Readonly<Required<HnswOptions>>;
  /** Unit vectors, row-major; rows beyond `count` are spare capacity. */
  private vectors: Float32Array;
  private count = 0;
  /** Once it exists it always holds every vector: `add` keeps it in step. */
  private graph: HierarchicalNSW | undefined;

  constructor(dim: number, options: HnswOptions = {}) {
    if (!Number.isInteger(dim) || dim <= 0) throw new RangeError(`dim must be a positive integer, got ${dim}`);
    this.dim = dim;
    this.options = resolveOptions(options);
    this.vectors = new Float32Array(INITIAL_CAPACITY * dim);
  }

  /** Throws IndexLoadError when the files are missing, corrupt or don't belong together. */
  static async load(dir: string, searchOptions: Pick<HnswOptions, 'efSearch'> = {}): Promise<HnswVectorIndex> {
    const manifest = await readManifest(dir);
    // efSearch only affects searching, so a caller may choose it per load without a rebuild.
    const index = new HnswVectorIndex(manifest.dim, { ...manifest.options, ...searchOptions });
    index.vectors = await loadVectors(join(dir, FILES.vectors), manifest);
    index.count = manifest.size;
    if (manifest.graph) index.graph = await loadGraph(join(dir, FILES.graph), manifest);
    return index;
  }

  get size(): number {
    return this.count;
  }

  add(vectors: Float32Array[]): number[] {
    // Check everything first so a bad batch leaves the index untouched.
    vectors.forEach((vector, i) => this.checkVector(vector, `vector ${i} of the batch`));
    if (vectors.length === 0) return [];
    this.reserve(this.count + vectors.length);
    const labels = vectors.map((vector) => {
      normalizeInto(vector, this.vectors, this.count * this.dim);
      return this.count++;
    });
    // Built eagerly on crossing the threshold so `save` persists it and loads never rebuild.
    if (this.graph || this.count >= this.options.exactThreshold) this.syncGraph();
    return labels;
  }

  /**
   * Exact below `exactThreshold`, HNSW above. HNSW gives up early when the filter admits fewer
   * than k points (or parts of the graph are unreachable), so a short HNSW answer is redone
   * exactly: the result is then only short when fewer than k points pass the filter.
   */
  search(query: Float32Array, k: number, filter?: Filter): SearchHit[] {
    const unit = this.prepareQuery(query, k);
    if (this.count < this.options.exactThreshold) return this.exact(unit, k, filter);
    const hits = this.approximate(unit, k, filter);
    return hits.length < Math.min(k, this.count) ? this.exact(unit, k, filter) : hits;
  }

  /** Always brute force: the ground truth for recall measurements. */
  searchExact(query: Float32Array, k: number, filter?: Filter): SearchHit[] {
    return this.exact(this.prepareQuery(query, k), k, filter);
  }

  /** Always HNSW, building the graph first if needed; may return fewer than k under a filter. */
  searchApproximate(query: Float32Array, k: number, filter?: Filter): SearchHit[] {
    return this.approximate(this.prepareQuery(query, k), k, filter);
  }

  /**
   * Writes vectors.f32, hnsw.bin (when the graph exists) and index.json, each by rename and
   * index.json last, so an interrupted save leaves an index.json whose sizes and checksums
   * reject any half-replaced files. Don't rely on concurrent `add` calls landing in the save.
   */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    // Snapshot synchronously: an `add` during the awaits below must not make files disagree.
    const size = this.count;
    const vectorBytes = toLittleEndian(this.vectors.subarray(0, size * this.dim));
    const graph = this.graph;
    let graphChecksum: number | undefined;
    if (graph) {
      // writeIndexSync (not the threaded writeIndex) so no addPoint can run while it serializes.
      await writeFileAtomic(join(dir, FILES.graph), async (tempPath) => {
        graph.writeIndexSync(tempPath);
        graphChecksum = crc32(await readFile(tempPath));
      });
    }
    await writeFileAtomic(join(dir, FILES.vectors), (tempPath) => writeFile(tempPath, vectorBytes));

    const manifest: Manifest = {
      formatVersion: 1,
      dim: this.dim,
      size,
      options: { ...this.options },
      graph: graph !== undefined,
      checksums: { vectors: crc32(vectorBytes), ...(graphChecksum === undefined ? {} : { graph: graphChecksum }) },
    };
    await writeFileAtomic(join(dir, FILES.manifest), (tempPath) => writeFile(tempPath, `${JSON.stringify(manifest, null, 2)}\n`));
    // A graph left from an earlier, larger save is now unreferenced.
    if (!graph) await rm(join(dir, FILES.graph), { force: true });
    await fsyncDir(dir);
  }

  private exact(unit: Float64Array, k: number, filter: Filter | undefined): SearchHit[] {
    return exactTopK(this.vectors, this.count, this.dim, unit, k, filter);
  }

  private approximate(unit: Float64Array, k: number, filter: Filter | undefined): SearchHit[] {
    // hnswlib throws for k above its capacity, and can't return more than it holds anyway.
    const n = Math.min(k, this.count);
    if (n === 0) return [];
    const graph = this.syncGraph();
    graph.setEf(Math.max(this.options.efSearch, n));
    // The binding only accepts plain Arrays.
    const { distances, neighbors } = graph.searchKnn(Array.from(unit), n, filter);
    return neighbors.map((label, i) => ({ label, score: 1 - distances[i]! })).sort(compareHits);
  }

  /** Creates the graph if needed and adds whatever it lacks, growing capacity by doubling. */
  private syncGraph(): HierarchicalNSW {
    if (!this.graph) {
      const { m, efConstruction, seed } = this.options;
      this.graph = new hnswlib.HierarchicalNSW('cosine', this.dim);
      this.graph.initIndex({ maxElements: this.count, m, efConstruction, randomSeed: seed });
    }
    const graph = this.graph;
    const capacity = graph.getMaxElements();
    // addPoint past capacity throws; resizing keeps the existing graph, unlike a rebuild.
    if (this.count > capacity) graph.resizeIndex(Math.max(this.count, capacity * 2));
    for (let label = graph.getCurrentCount(); label < this.count; label++) {
      graph.addPoint(Array.from(this.vectors.subarray(label * this.dim, (label + 1) * this.dim)), label);
    }
    return graph;
  }

  private reserve(rows: number): void {
    const capacity = this.vectors.length / this.dim;
    if (rows <= capacity) return;
    const grown = new Float32Array(Math.max(rows, capacity * 2, INITIAL_CAPACITY) * this.dim);
    grown.set(this.vectors.subarray(0, this.count * this.dim));
    this.vectors = grown;
  }

  private prepareQuery(query: Float32Array, k: number): Float64Array {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
    this.checkVector(query, 'query');
    const unit = new Float64Array(this.dim);
    normalizeInto(query, unit);
    return unit;
  }

  private checkVector(vector: Float32Array, what: string): void {
    if (vector.length !== this.dim) {
      throw new RangeError(`${what} has dimension ${vector.length}, expected ${this.dim}`);
    }
    // One NaN would silently poison every score it touches.
    if (!vector.every(Number.isFinite)) throw new RangeError(`${what} contains a non-finite value`);
  }
}

function resolveOptions(options: HnswOptions): Required<HnswOptions> {
  const resolved = {
    m: options.m ?? DEFAULTS.m,
    efConstruction: options.efConstruction ?? DEFAULTS.efConstruction,
    efSearch: options.efSearch ?? DEFAULTS.efSearch,
    exactThreshold: options.exactThreshold ?? DEFAULTS.exactThreshold,
    seed: options.seed ?? DEFAULTS.seed,
  };
  // The native binding truncates to uint32 without complaint, so reject odd values here.
  for (const [name, value] of Object.entries(resolved)) {
    const min = name === 'exactThreshold' || name === 'seed' ? 0 : 1;
    if (!Number.isInteger(value) || value < min || value > 0xffff_ffff) {
      throw new RangeError(`HNSW option ${name} must be an integer in [${min}, 2^32), got ${value}`);
    }
  }
  return resolved;
}

async function loadVectors(path: string, manifest: Manifest): Promise<Float32Array> {
  const bytes = await readBytes(path);
  const expected = manifest.size * manifest.dim * 4;
  if (bytes.byteLength !== expected) {
    throw new IndexLoadError(path, `holds ${bytes.byteLength} bytes but index.json promises ${manifest.size} vectors × ${manifest.dim} dims × 4 = ${expected}`);
  }
  if (crc32(bytes) !== manifest.checksums.vectors) {
    throw new IndexLoadError(path, 'checksum differs from index.json (corrupt, or left by an interrupted save)');
  }
  return fromLittleEndian(bytes);
}

async function loadGraph(path: string, manifest: Manifest): Promise<HierarchicalNSW> {
  // Checked before hnswlib sees the file: its loader trusts the header and can crash on garbage.
  const bytes = await readBytes(path);
  if (crc32(bytes) !== manifest.checksums.graph) {
    throw new IndexLoadError(path, 'checksum differs from index.json (corrupt, or left by an interrupted save)');
  }
  const graph = new hnswlib.HierarchicalNSW('cosine', manifest.dim);
  try {
    await graph.readIndex(path);
  } catch (error) {
    throw new IndexLoadError(path, `hnswlib cannot read it: ${(error as Error).message}`, { cause: error });
  }
  const count = graph.getCurrentCount();
  if (count !== manifest.size) {
    throw new IndexLoadError(path, `holds ${count} vectors but index.json says ${manifest.size}`);
  }
  return graph;
}
