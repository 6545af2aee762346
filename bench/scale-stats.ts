// Small numeric helpers for the scale benchmark: latency percentiles, tie-aware recall, rounding.

import type { SearchHit } from '../src/index/types.js';

/** Two hits whose exact scores differ by less than this are tied (float32 storage noise). */
export const TIE_EPSILON = 1e-6;

/** Nearest-rank percentile (p in [0, 100]) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

export function mean(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((sum, x) => sum + x, 0) / samples.length;
}

/**
 * Fraction of the exact top-k that the approximate answer recovered. A returned hit outside the
 * exact list still counts when its exact score ties the k-th exact score: with near-duplicate
 * vectors, which of several equally close points fills the last slots is arbitrary.
 */
export function recallAtK(exact: readonly SearchHit[], approximate: readonly SearchHit[], k: number, exactScore: (label: number) => number): number {
  const wanted = Math.min(k, exact.length);
  if (wanted === 0) return 1;
  const kth = exact[wanted - 1]?.score ?? Number.NEGATIVE_INFINITY;
  const truth = new Set(exact.slice(0, wanted).map((hit) => hit.label));
  const found = approximate.slice(0, wanted).filter((hit) => truth.has(hit.label) || exactScore(hit.label) >= kth - TIE_EPSILON).length;
  return found / wanted;
}

/** Cosine similarity of two rows in packed buffers, in float64 whatever their norms. */
export function cosine(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, dim: number): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < dim; i++) {
    const x = a[aOffset + i]!;
    const y = b[bOffset + i]!;
    dot += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? dot / Math.sqrt(aa * bb) : 0;
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function mib(bytes: number): number {
  return round(bytes / (1024 * 1024), 1);
}
