// A classifier is a smooth guess; a near copy of the query with a known label is evidence. Code
// under review often has a close relative among the labelled documents (another fix of the same
// function, the vulnerable side of an earlier fix of the same file), and that relative's CWE is a
// better answer than the classifier's. This mixes a similarity-weighted vote of the most similar
// labelled documents into the classifier's probabilities, by as much as the nearest one is close:
// nothing when it is a stranger, up to `maxWeight` when it is a near copy.
/** A labelled document close to the query, with its cosine similarity. */
export interface LabelledNeighbour {
  cwe: readonly string[];
  similarity: number;
}

/** The labelled documents most similar to a query's vector, most similar first. */
export type NeighbourSearch = (vector: Float32Array, k: number) => LabelledNeighbour[];

export interface NeighbourVoteOptions {
  /** Neighbours voting (default 5). */
  k?: number;
  /** Similarity of the nearest neighbour below which the vote counts for nothing (default 0.6). */
  low?: number;
  /** Similarity of the nearest neighbour from which the vote counts fully (default 0.9). */
  high?: number;
  /** Share of the final probability the vote gets at most (default 0.7). */
  maxWeight?: number;
}

export const DEFAULT_NEIGHBOUR_VOTE: Required<NeighbourVoteOptions> = { k: 5, low: 0.6, high: 0.9, maxWeight: 0.7 };

/** The vote's weight for a nearest similarity: 0 up to `low`, rising linearly to `maxWeight` at `high`. */
export function voteWeight(nearest: number, options: Required<NeighbourVoteOptions>): number {
  if (!(nearest > options.low)) return 0;
  const span = options.high - options.low;
  const share = span <= 0 ? 1 : Math.min(1, (nearest - options.low) / span);
  return options.maxWeight * share;
}

/**
 * P(CWE) over `classes`, moved towards the labels of the nearest labelled documents: each votes
 * with its similarity, labels it carries that are not classes are ignored.
 */
export function voteWithNeighbours(
  probabilities: Float64Array,
  classes: readonly string[],
  neighbours: readonly LabelledNeighbour[],
  options: NeighbourVoteOptions = {},
): Float64Array {
  const settings = { ...DEFAULT_NEIGHBOUR_VOTE, ...options };
  const weight = voteWeight(neighbours[0]?.similarity ?? 0, settings);
  if (weight === 0) return probabilities;
  const classIndex = new Map(classes.map((cwe, index) => [cwe, index]));
  const vote = new Float64Array(probabilities.length);
  let total = 0;
  for (const neighbour of neighbours.slice(0, settings.k)) {
    const strength = Math.max(0, neighbour.similarity);
    const known = neighbour.cwe.filter((cwe) => classIndex.has(cwe));
    if (strength === 0 || known.length === 0) continue;
    for (const cwe of known) {
      const index = classIndex.get(cwe) as number;
      vote[index] = (vote[index] as number) + strength / known.length;
    }
    total += strength;
  }
  if (total === 0) return probabilities;
  return probabilities.map((p, index) => (1 - weight) * p + (weight * (vote[index] as number)) / total);
}
