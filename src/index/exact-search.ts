// Brute-force cosine search over a packed buffer of unit vectors: the ground truth for small
// indexes, selective filters and recall measurements.

import type { SearchHit } from './types.js';

/** Writes `source / |source|` into `target`; a zero vector stays zero so it scores 0, not NaN. */
export function normalizeInto(source: ArrayLike<number>, target: Float32Array | Float64Array, offset = 0): void {
  let sumSquares = 0;
  for (let i = 0; i < source.length; i++) sumSquares += source[i]! * source[i]!;
  const scale = sumSquares > 0 ? 1 / Math.sqrt(sumSquares) : 0;
  for (let i = 0; i < source.length; i++) target[offset + i] = source[i]! * scale;
}

/** Best first; equal scores go to the lower label so results never depend on scan order. */
export function compareHits(a: SearchHit, b: SearchHit): number {
  return b.score - a.score || a.label - b.label;
}

/**
 * Top `k` of the first `count` rows of `vectors` (row-major, `dim` wide) by dot product with
 * the unit `query`, restricted to labels admitted by `filter`.
 */
export function exactTopK(vectors: Float32Array, count: number, dim: number, query: Float64Array, k: number, filter?: (label: number) => boolean): SearchHit[] {
  // Min-heap on (score, -label) so the root is always the hit to evict next; O(n log k).
  const heap: SearchHit[] = [];
  if (k <= 0) return heap;
  for (let label = 0; label < count; label++) {
    if (filter && !filter(label)) continue;
    let score = 0;
    const base = label * dim;
    for (let i = 0; i < dim; i++) score += vectors[base + i]! * query[i]!;
    if (heap.length < k) {
      heap.push({ label, score });
      siftUp(heap, heap.length - 1);
    } else if (score > heap[0]!.score) {
      // Labels arrive ascending, so an equal score would lose the tie-break anyway.
      heap[0] = { label, score };
      siftDown(heap, 0);
    }
  }
  return heap.sort(compareHits);
}

// The heap's "smaller" element is the worse hit.
function worse(a: SearchHit, b: SearchHit): boolean {
  return compareHits(a, b) > 0;
}

function siftUp(heap: SearchHit[], index: number): void {
  let child = index;
  while (child > 0) {
    const parent = (child - 1) >> 1;
    if (!worse(heap[child]!, heap[parent]!)) return;
    [heap[child], heap[parent]] = [heap[parent]!, heap[child]!];
    child = parent;
  }
}

function siftDown(heap: SearchHit[], index: number): void {
  let parent = index;
  for (;;) {
    const left = 2 * parent + 1;
    const right = left + 1;
    let worst = parent;
    if (left < heap.length && worse(heap[left]!, heap[worst]!)) worst = left;
    if (right < heap.length && worse(heap[right]!, heap[worst]!)) worst = right;
    if (worst === parent) return;
    [heap[parent], heap[worst]] = [heap[worst]!, heap[parent]!];
    parent = worst;
  }
}
