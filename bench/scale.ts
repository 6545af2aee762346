// Scale benchmark: a synthetic corpus of 100,000 perturbed copies of the real seed entries,
// embedded with the default embedder trained on the seed corpus, indexed by HnswVectorIndex.
// Target (from the issue): HNSW ≥ 20× faster than exact search at recall@10 ≥ 0.95 against
// exact; build time, file sizes and resident memory reported; 1,000 entries added later
// without a rebuild. Speed figures are ratios against a baseline measured in the same process
// (exact search for queries, the full build for incremental adds), so they transfer across
// machines better than absolute times.
//
// Usage: node dist/bench/scale.js [--entries 100000] [--queries 200] [--incremental 1000]
//        [--m 16] [--ef-construction 200]   (progress on stderr, the JSON report on stdout)

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundledCorpusDir } from '../src/corpus/location.js';
import { LocalCorpusStore } from '../src/corpus/local-store.js';
import { DefaultEmbedder } from '../src/embed/default-embedder.js';
import { HnswVectorIndex } from '../src/index/hnsw-index.js';
import { FILES } from '../src/index/index-files.js';
import type { SearchHit } from '../src/index/types.js';
import { corpusHash } from '../src/corpus/hash.js';
import { SyntheticCorpus } from './scale-synthetic.js';
import { cosine, mean, mib, percentile, recallAtK, round, TIE_EPSILON } from './scale-stats.js';

export interface ScaleOptions {
  /** Synthetic entries in the index (default 100,000). */
  entries?: number;
  /** Held-out synthetic queries, not in the index (default 200); a few real entries are added. */
  queries?: number;
  /** Entries added to the saved index after loading it back (default 1,000). */
  incremental?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Folder holding corpus.jsonl with the real seed entries (default: the bundled seed corpus). */
  corpusDir?: string;
  /** HNSW out-degree (default 16, as the index's). */
  m?: number;
  /** HNSW build-time candidate list (default 200, as the index's). */
  efConstruction?: number;
  /** efSearch values to sweep (default 16, 32, 64, 128, 256). */
  efSearch?: number[];
}

export interface LatencyStats {
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

export interface SweepRow extends LatencyStats {
  efSearch: number;
  /** Mean tie-aware recall@10 against exact search, over all queries. */
  recall: number;
  /** The same over the real (unperturbed) seed-entry queries only. */
  recallReal: number;
  /** Exact p50 / HNSW p50. */
  speedup: number;
  /** Exact mean / HNSW mean. */
  meanSpeedup: number;
}

export interface ScaleReport {
  entries: number;
  seedEntries: number;
  dim: number;
  queries: { heldOut: number; real: number; k: number };
  embed: { trainSeconds: number; generateSeconds: number; seconds: number; perSecond: number };
  build: { seconds: number; perSecond: number; m: number; efConstruction: number; exactThreshold: number; seed: number };
  files: { vectorsMiB: number; graphMiB: number };
  /** Resident set size around the build; indexMiB is the difference (vector copy + graph). */
  memory: { rssBeforeMiB: number; rssAfterMiB: number; indexMiB: number; peakRssMiB: number };
  exact: LatencyStats;
  sweep: SweepRow[];
  /** The smallest swept efSearch reaching the recall target, or null when none does. */
  chosen: SweepRow | null;
  target: { speedup: number; recall: number; met: boolean };
  incremental: {
    added: number;
    efSearch: number;
    sizeBefore: number;
    sizeAfter: number;
    seconds: number;
    /** Add time / full build time: far below 1 means the graph was extended, not rebuilt. */
    ratioToBuild: number;
    /** Per-entry add cost / per-entry build cost: near 1 for a true incremental insert. */
    perEntryRatioToBuild: number;
    /** Fraction of added vectors that searchApproximate returns at rank 1 for themselves. */
    foundAtRank1: number;
    /** The same for entries of the original build: new entries should be no harder to find. */
    foundAtRank1Existing: number;
    graphMiBAfter: number;
  };
  totalSeconds: number;
}

const K = 10;
const TARGET = { speedup: 20, recall: 0.95 } as const;
const DEFAULTS = { entries: 100_000, queries: 200, incremental: 1000, m: 32, efConstruction: 200 } as const;
const DEFAULT_EF_SEARCH = [16, 32, 64, 128, 256];
const HNSW_SEED = 100;
/** Real (unperturbed) seed entries queried besides the held-out copies. */
const REAL_QUERIES = 20;
/** Untimed queries first, so JIT warm-up doesn't land in the baseline's percentiles. */
const WARMUP_QUERIES = 5;
/** Timed passes over the queries; each query's latency is its median over them. */
const TIMING_PASSES = 3;
/** Texts generated and embedded at a time: bounds memory (100k texts are ~100 MB of strings). */
const EMBED_CHUNK = 2048;

/** Vectors packed row-major; row i of the corpus buffer is index label i. */
interface Packed {
  data: Float32Array;
  dim: number;
  rows: number;
}

/** Held-out synthetic queries first, then real seed entries. */
interface Queries extends Packed {
  heldOut: number;
}

interface Seeds {
  codes: string[];
  synthetic: SyntheticCorpus;
  embedder: DefaultEmbedder;
  trainSeconds: number;
}

export async function runScaleBenchmark(options: ScaleOptions = {}): Promise<ScaleReport> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const entries = options.entries ?? DEFAULTS.entries;
  const queryCount = options.queries ?? DEFAULTS.queries;
  const incremental = options.incremental ?? DEFAULTS.incremental;
  const m = options.m ?? DEFAULTS.m;
  const efConstruction = options.efConstruction ?? DEFAULTS.efConstruction;
  const efSweep = [...(options.efSearch ?? DEFAULT_EF_SEARCH)].sort((a, b) => a - b);
  // At least one entry, so the graph (and hnsw.bin) exists to be measured.
  requireInteger('entries', entries, 1);
  requireInteger('queries', queryCount, 0);
  requireInteger('incremental', incremental, 0);

  const seeds = await loadSeeds(options.corpusDir ?? bundledCorpusDir(), log);
  const dim = seeds.embedder.dim;
  const codeOf = (n: number): string => seeds.synthetic.code(n);

  // One buffer for the index rows and the incremental rows, so buffer row = index label throughout.
  const vectors: Packed = { data: new Float32Array((entries + incremental) * dim), dim, rows: entries + incremental };
  log(`embedding ${entries} synthetic entries`);
  const embedding = await embedRange(seeds.embedder, codeOf, 0, entries, vectors, 0, log);
  const queries = await embedQueries(seeds, codeOf, entries, queryCount);

  const dir = await mkdtemp(join(tmpdir(), 'seccoder-scale-'));
  try {
    const { built, truth } = await buildStage(vectors, entries, { m, efConstruction }, dir, queries, log);

    const sweep = await sweepEfSearch(dir, efSweep, queries, truth, vectors, log);
    const chosen = sweep.find((row) => row.recall >= TARGET.recall) ?? null;

    // Incremental entries continue the synthetic numbering after the held-out queries.
    const firstNew = entries + queryCount;
    log(`incremental add of ${incremental} entries`);
    await embedRange(seeds.embedder, codeOf, firstNew, firstNew + incremental, vectors, entries, log);
    // Searched at the chosen efSearch, else the largest swept (the closest to target), else the index default.
    const incrementalEf = chosen?.efSearch ?? efSweep.at(-1) ?? 64;
    const incrementalReport = await incrementalAdd(dir, incrementalEf, vectors, entries, incremental, built.seconds);

    return {
      entries,
      seedEntries: seeds.codes.length,
      dim,
      queries: { heldOut: queryCount, real: queries.rows - queryCount, k: K },
      embed: {
        trainSeconds: round(seeds.trainSeconds, 2),
        generateSeconds: round(embedding.generateSeconds, 2),
        seconds: round(embedding.embedSeconds, 2),
        perSecond: Math.round(entries / embedding.embedSeconds),
      },
      build: {
        seconds: round(built.seconds, 2),
        perSecond: Math.round(entries / built.seconds),
        m,
        efConstruction,
        exactThreshold: 0,
        seed: HNSW_SEED,
      },
      files: built.files,
      memory: built.memory,
      exact: latencyStats(truth.latencies),
      sweep,
      chosen,
      target: { ...TARGET, met: chosen !== null && chosen.speedup >= TARGET.speedup },
      incremental: incrementalReport,
      totalSeconds: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reads the real seed entries and trains the default embedder on them once. */
async function loadSeeds(corpusDir: string, log: (line: string) => void): Promise<Seeds> {
  const { entries } = await new LocalCorpusStore(corpusDir).read();
  if (entries.length === 0) throw new Error(`no seed entries in ${corpusDir}`);
  const codes = entries.map((entry) => entry.code);
  log(`training the default embedder on ${codes.length} seed entries`);
  const start = performance.now();
  const embedder = await DefaultEmbedder.train(codes, { entries: entries.length, corpusHash: corpusHash(entries) });
  const trainSeconds = (performance.now() - start) / 1000;
  return { codes, synthetic: new SyntheticCorpus(entries), embedder, trainSeconds };
}

/**
 * Generates synthetic entries [from, to) and embeds them into `target` from row `targetRow`,
 * a chunk at a time. Generation and embedding are timed apart: throughput is the embedder's.
 */
async function embedRange(
  embedder: DefaultEmbedder,
  codeOf: (n: number) => string,
  from: number,
  to: number,
  target: Packed,
  targetRow: number,
  log: (line: string) => void,
): Promise<{ generateSeconds: number; embedSeconds: number }> {
  let generateSeconds = 0;
  let embedSeconds = 0;
  let nextLog = from + (to - from) / 10;
  for (let start = from; start < to; start += EMBED_CHUNK) {
    const end = Math.min(to, start + EMBED_CHUNK);
    let t = performance.now();
    const texts = Array.from({ length: end - start }, (_, i) => codeOf(start + i));
    generateSeconds += (performance.now() - t) / 1000;
    t = performance.now();
    const embedded = await embedder.embed(texts);
    embedSeconds += (performance.now() - t) / 1000;
    embedded.forEach((vector, i) => target.data.set(vector, (targetRow + start - from + i) * target.dim));
    if (end >= nextLog && end < to) {
      log(`  embedded ${end - from}/${to - from} (${Math.round((end - from) / embedSeconds)}/s)`);
      nextLog += (to - from) / 10;
    }
  }
  return { generateSeconds, embedSeconds };
}

/** Held-out synthetic copies (numbered after the corpus, so never indexed) plus a few real entries. */
async function embedQueries(seeds: Seeds, codeOf: (n: number) => string, firstHeldOut: number, heldOut: number): Promise<Queries> {
  const real = Math.min(REAL_QUERIES, seeds.codes.length);
  // Evenly spaced so the real queries span the corpus's languages rather than its first file.
  const step = seeds.codes.length / real;
  const texts = [
    ...Array.from({ length: heldOut }, (_, i) => codeOf(firstHeldOut + i)),
    ...Array.from({ length: real }, (_, i) => seeds.codes[Math.floor(i * step)] ?? ''),
  ];
  const embedded = await seeds.embedder.embed(texts);
  const dim = seeds.embedder.dim;
  const packed: Queries = { data: new Float32Array(texts.length * dim), dim, rows: texts.length, heldOut };
  embedded.forEach((vector, i) => packed.data.set(vector, i * dim));
  return packed;
}

function rowViews(packed: Packed, from: number, to: number): Float32Array[] {
  return Array.from({ length: to - from }, (_, i) => packed.data.subarray((from + i) * packed.dim, (from + i + 1) * packed.dim));
}

interface Built {
  index: HnswVectorIndex;
  seconds: number;
  files: ScaleReport['files'];
  memory: ScaleReport['memory'];
}

/** Builds the graph over the first `entries` rows, timing it and its memory, and saves it to `dir`. */
async function buildAndSave(
  vectors: Packed,
  entries: number,
  params: { m: number; efConstruction: number },
  dir: string,
  log: (line: string) => void,
): Promise<Built> {
  // exactThreshold 0: the graph must exist whatever the corpus size, since HNSW is what's measured.
  const index = new HnswVectorIndex(vectors.dim, { ...params, exactThreshold: 0, seed: HNSW_SEED });
  const rows = rowViews(vectors, 0, entries);
  log(`building HNSW over ${entries} vectors (m ${params.m}, efConstruction ${params.efConstruction})`);
  const rssBefore = process.memoryUsage().rss;
  const start = performance.now();
  // One add call: hnswlib is then sized once for all rows instead of growing by resizes.
  index.add(rows);
  const seconds = (performance.now() - start) / 1000;
  const rssAfter = process.memoryUsage().rss;
  // maxRSS is in KiB and covers the whole process so far, embedding included.
  const peakRss = process.resourceUsage().maxRSS * 1024;
  log(`  built in ${seconds.toFixed(1)} s`);
  await index.save(dir);
  const files = { vectorsMiB: mib(await fileSize(dir, FILES.vectors)), graphMiB: mib(await fileSize(dir, FILES.graph)) };
  return {
    index,
    seconds,
    files,
    memory: {
      rssBeforeMiB: mib(rssBefore),
      rssAfterMiB: mib(rssAfter),
      indexMiB: mib(rssAfter - rssBefore),
      peakRssMiB: mib(peakRss),
    },
  };
}

/** Build, save and exact baseline; the in-memory index dies here, later stages load the saved copy. */
async function buildStage(
  vectors: Packed,
  entries: number,
  params: { m: number; efConstruction: number },
  dir: string,
  queries: Packed,
  log: (line: string) => void,
): Promise<{ built: Omit<Built, 'index'>; truth: Timed }> {
  const { index, ...built } = await buildAndSave(vectors, entries, params, dir, log);
  log(`exact baseline over ${queries.rows} queries`);
  return { built, truth: exactBaseline(index, queries) };
}

async function fileSize(dir: string, name: string): Promise<number> {
  return (await stat(join(dir, name))).size;
}

interface Timed {
  /** Each query's top-k, in query order. */
  hits: SearchHit[][];
  /** Each query's median latency over the passes, in ms. */
  latencies: number[];
}

/**
 * Times `search` on every query over TIMING_PASSES round-robin passes and keeps each query's
 * median, so one GC pause or scheduler hiccup doesn't become a query's latency. Exact and HNSW
 * go through the same procedure, keeping their ratio fair.
 */
function timeQueries(queries: Packed, search: (query: Float32Array) => SearchHit[]): Timed {
  const views = rowViews(queries, 0, queries.rows);
  for (const query of views.slice(0, WARMUP_QUERIES)) search(query);
  const hits: SearchHit[][] = [];
  const samples: number[][] = views.map(() => []);
  for (let pass = 0; pass < TIMING_PASSES; pass++) {
    views.forEach((query, q) => {
      const start = performance.now();
      const found = search(query);
      samples[q]!.push(performance.now() - start);
      if (pass === 0) hits.push(found);
    });
  }
  return { hits, latencies: samples.map((runs) => percentile(runs, 50)) };
}

/** Exact top-k of every query: the ground truth for recall and the baseline for speed-up. */
function exactBaseline(index: HnswVectorIndex, queries: Packed): Timed {
  return timeQueries(queries, (query) => index.searchExact(query, K));
}

/** One row per efSearch, each over the same saved graph and the same queries. */
async function sweepEfSearch(
  dir: string,
  efSweep: readonly number[],
  queries: Queries,
  truth: Timed,
  vectors: Packed,
  log: (line: string) => void,
): Promise<SweepRow[]> {
  const dim = vectors.dim;
  const scoreOf = (query: number) => (label: number) => cosine(queries.data, query * dim, vectors.data, label * dim, dim);
  const rows: SweepRow[] = [];
  for (const efSearch of efSweep) {
    const row = await sweepRow(dir, efSearch, queries, truth, scoreOf);
    log(`efSearch ${efSearch}: recall ${row.recall}, p50 ${row.p50Ms} ms, speed-up ${row.speedup}×`);
    rows.push(row);
  }
  return rows;
}

async function sweepRow(
  dir: string,
  efSearch: number,
  queries: Queries,
  truth: Timed,
  scoreOf: (query: number) => (label: number) => number,
): Promise<SweepRow> {
  const index = await HnswVectorIndex.load(dir, { efSearch });
  const approximate = timeQueries(queries, (query) => index.searchApproximate(query, K));
  const recalls = approximate.hits.map((hits, q) => recallAtK(truth.hits[q] ?? [], hits, K, scoreOf(q)));
  const stats = latencyStats(approximate.latencies);
  const exact = latencyStats(truth.latencies);
  return {
    efSearch,
    recall: round(mean(recalls), 4),
    recallReal: round(mean(recalls.slice(queries.heldOut)), 4),
    ...stats,
    speedup: round(exact.p50Ms / stats.p50Ms, 1),
    meanSpeedup: round(exact.meanMs / stats.meanMs, 1),
  };
}

function latencyStats(latencies: readonly number[]): LatencyStats {
  return {
    p50Ms: round(percentile(latencies, 50), 3),
    p99Ms: round(percentile(latencies, 99), 3),
    meanMs: round(mean(latencies), 3),
  };
}

/**
 * Loads the saved index back, adds rows [entries, entries + added) of `vectors` and checks that
 * each new vector is its own nearest neighbour, then saves again to see the graph file grow.
 */
async function incrementalAdd(
  dir: string,
  efSearch: number,
  vectors: Packed,
  entries: number,
  added: number,
  buildSeconds: number,
): Promise<ScaleReport['incremental']> {
  const index = await HnswVectorIndex.load(dir, { efSearch });
  const sizeBefore = index.size;
  const start = performance.now();
  const labels = index.add(rowViews(vectors, entries, entries + added));
  const seconds = (performance.now() - start) / 1000;

  // The same check on as many evenly spaced built-in entries: the yardstick for the new ones.
  const step = entries / Math.max(1, added);
  const existing = Array.from({ length: Math.min(added, entries) }, (_, i) => Math.floor(i * step));
  const foundNew = selfFoundAtRank1(index, vectors, labels);
  const foundExisting = selfFoundAtRank1(index, vectors, existing);
  await index.save(dir);
  return {
    added,
    efSearch,
    sizeBefore,
    sizeAfter: index.size,
    seconds: round(seconds, 3),
    ratioToBuild: round(seconds / buildSeconds, 4),
    perEntryRatioToBuild: added === 0 ? 0 : round(seconds / added / (buildSeconds / entries), 2),
    foundAtRank1: round(foundNew, 4),
    foundAtRank1Existing: round(foundExisting, 4),
    graphMiBAfter: mib(await fileSize(dir, FILES.graph)),
  };
}

/** Fraction of `labels` whose own vector, as a query, comes back from the graph at rank 1. */
function selfFoundAtRank1(index: HnswVectorIndex, vectors: Packed, labels: readonly number[]): number {
  if (labels.length === 0) return 1;
  const dim = vectors.dim;
  const found = labels.filter((label) => {
    const top = index.searchApproximate(vectors.data.subarray(label * dim, (label + 1) * dim), K)[0];
    if (top === undefined) return false;
    // An identical vector indexed under a lower label legitimately takes rank 1 (ties go low).
    return top.label === label || cosine(vectors.data, label * dim, vectors.data, top.label * dim, dim) >= 1 - TIE_EPSILON;
  });
  return found.length / labels.length;
}

function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`);
}

/** A numeric command-line flag; range checks are left to runScaleBenchmark and the index. */
function numberFlag(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      entries: { type: 'string' },
      queries: { type: 'string' },
      incremental: { type: 'string' },
      m: { type: 'string' },
      'ef-construction': { type: 'string' },
    },
  });
  const report = await runScaleBenchmark({
    entries: numberFlag(values.entries),
    queries: numberFlag(values.queries),
    incremental: numberFlag(values.incremental),
    m: numberFlag(values.m),
    efConstruction: numberFlag(values['ef-construction']),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

// Run standalone (`node dist/bench/scale.js`), but stay inert when imported.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
