// A nearest-neighbour index over unit vectors. Labels are positions (0, 1, 2, ...) in the order
// vectors were added, so the caller maps them back to corpus entries.

export interface SearchHit {
  label: number;
  /** Cosine similarity, higher is closer. */
  score: number;
}

export interface VectorIndex {
  readonly dim: number;
  /** Number of vectors added so far. */
  readonly size: number;
  /** Adds vectors (growing capacity as needed) and returns the labels assigned to them. */
  add(vectors: Float32Array[]): number[];
  /** The k nearest vectors by cosine similarity, best first, optionally restricted by `filter`. */
  search(query: Float32Array, k: number, filter?: (label: number) => boolean): SearchHit[];
  /** Persists the index into `dir` atomically (a crash leaves the previous files intact). */
  save(dir: string): Promise<void>;
}
