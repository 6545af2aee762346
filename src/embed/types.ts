// The one interface every embedding model implements, so retrieval never knows which one it runs.

export interface Embedder {
  /** Stable identity of the model and its weights; an index built with another id is rebuilt. */
  readonly id: string;
  /** Length of every vector `embed` returns. */
  readonly dim: number;
  /** One L2-normalized vector per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}
