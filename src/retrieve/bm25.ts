// Okapi BM25 over code tokens: the paper's sparse baseline, and half of the hybrid ranking.
import { codeTokens, termCounts } from '../text/code-tokens.js';

export interface Bm25Options {
  /** Term-frequency saturation (default 1.2). */
  k1?: number;
  /** Length normalization (default 0.75). */
  b?: number;
}

interface Posting {
  doc: number;
  tf: number;
}

export interface Bm25Hit {
  doc: number;
  score: number;
}

export class Bm25Index {
  private readonly postings = new Map<string, Posting[]>();
  private readonly lengths: number[] = [];
  private totalLength = 0;
  private readonly k1: number;
  private readonly b: number;

  constructor(options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
  }

  get size(): number {
    return this.lengths.length;
  }

  /** Adds documents; their numbers continue from the current size. */
  add(codes: readonly string[]): void {
    for (const code of codes) {
      const doc = this.lengths.length;
      const tokens = codeTokens(code);
      this.lengths.push(tokens.length);
      this.totalLength += tokens.length;
      for (const [term, tf] of termCounts(tokens)) {
        let list = this.postings.get(term);
        if (!list) {
          list = [];
          this.postings.set(term, list);
        }
        list.push({ doc, tf });
      }
    }
  }

  /**
   * Best-scoring documents first (ties by lower number), at most k, optionally filtered. Only
   * documents sharing a term with the query are ranked, so there may be fewer than k.
   */
  search(code: string, k: number, filter?: (doc: number) => boolean): Bm25Hit[] {
    const n = this.lengths.length;
    if (n === 0 || k <= 0) return [];
    const averageLength = this.totalLength / n || 1;
    const scores = new Float64Array(n);
    const touched: number[] = [];
    for (const term of new Set(codeTokens(code))) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const norm = this.k1 * (1 - this.b + (this.b * (this.lengths[doc] ?? 0)) / averageLength);
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = (scores[doc] ?? 0) + (idf * tf * (this.k1 + 1)) / (tf + norm);
      }
    }
    const hits: Bm25Hit[] = [];
    for (const doc of touched) {
      if (filter && !filter(doc)) continue;
      hits.push({ doc, score: scores[doc] ?? 0 });
    }
    hits.sort((x, y) => y.score - x.score || x.doc - y.doc);
    return hits.slice(0, k);
  }
}
