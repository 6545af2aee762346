// Trains the default embedder's weights from the corpus itself: a code-token vocabulary with
// inverse document frequencies, and an LSA projection (truncated SVD of the TF-IDF matrix).
import { codeTokens, termCounts } from '../../text/code-tokens.js';
import { EmptyCorpusError } from '../errors.js';
import type { CsrMatrix } from './sparse.js';
import { truncatedSvd } from './svd.js';

export interface LsaTrainOptions {
  /** Output dimensions (default 256; fewer when the corpus is too small to support them). */
  dim?: number;
  /** Vocabulary cap, most frequent terms kept (default 30,000). */
  maxTerms?: number;
  /** Terms seen in fewer documents are dropped (default 2; 1 for corpora under 50 entries). */
  minDocumentFrequency?: number;
  /** Above this many documents an evenly spaced sample trains the model (default 20,000). */
  maxTrainingDocuments?: number;
  seed?: number;
}

export interface LsaModel {
  vocabulary: string[];
  /** Inverse document frequency per vocabulary term. */
  idf: Float32Array;
  /** Projection, vocabulary × dim row-major. */
  components: Float32Array;
  dim: number;
}

/** Sublinear TF-IDF weights of one document over a vocabulary, L2-normalized. */
export function tfidfWeights(counts: Map<string, number>, termIndex: Map<string, number>, idf: ArrayLike<number>): { terms: number[]; weights: number[] } {
  const terms: number[] = [];
  const weights: number[] = [];
  let norm = 0;
  for (const [term, count] of counts) {
    const index = termIndex.get(term);
    if (index === undefined) continue;
    const weight = (idf[index] as number) * Math.log1p(count);
    terms.push(index);
    weights.push(weight);
    norm += weight * weight;
  }
  norm = Math.sqrt(norm) || 1;
  return { terms, weights: weights.map((weight) => weight / norm) };
}

function sample<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)] as T);
}

export function trainLsa(codes: readonly string[], options: LsaTrainOptions = {}): LsaModel {
  if (codes.length === 0) throw new EmptyCorpusError();
  const documents = sample(codes, options.maxTrainingDocuments ?? 20_000).map((code) => termCounts(codeTokens(code)));
  const minDf = options.minDocumentFrequency ?? (documents.length < 50 ? 1 : 2);

  const documentFrequency = new Map<string, number>();
  for (const counts of documents) for (const term of counts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const vocabulary = [...documentFrequency]
    .filter(([, df]) => df >= minDf)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, options.maxTerms ?? 30_000)
    .map(([term]) => term);
  const termIndex = new Map(vocabulary.map((term, index) => [term, index]));
  const n = documents.length;
  // Smoothed idf (as scikit-learn's): never zero, so a term in every document still counts a little.
  const idf = Float32Array.from(vocabulary, (term) => Math.log((1 + n) / (1 + (documentFrequency.get(term) ?? 0))) + 1);

  const rowStart = new Int32Array(n + 1);
  const columns: number[] = [];
  const values: number[] = [];
  documents.forEach((counts, row) => {
    const { terms, weights } = tfidfWeights(counts, termIndex, idf);
    columns.push(...terms);
    values.push(...weights);
    rowStart[row + 1] = columns.length;
  });
  const matrix: CsrMatrix = { rows: n, cols: vocabulary.length, rowStart, colIndex: Int32Array.from(columns), values: Float64Array.from(values) };
  const svd = truncatedSvd(matrix, options.dim ?? 256, { seed: options.seed ?? 42 });
  return { vocabulary, idf, components: Float32Array.from(svd.components), dim: svd.k };
}
