// Demonstration selection: the corpus entries most similar to a query, by dense cosine, BM25, or
// their reciprocal-rank fusion. Same-language entries come first; a CWE known from an alert puts
// that CWE's entries first of all.
import type { CorpusEntry } from '../corpus/entry.js';
import type { Embedder } from '../embed/types.js';
import { languageFamily, type Language } from '../lang/languages.js';
import type { VectorIndex } from '../index/types.js';
import type { Bm25Index } from './bm25.js';

export const RETRIEVAL_MODES = ['dense', 'bm25', 'hybrid'] as const;
export type RetrievalMode = (typeof RETRIEVAL_MODES)[number];

export interface RetrievalQuery {
  code: string;
  /** When given, entries of the same language family rank first. */
  language?: Language;
  /** When given (e.g. from a code-scanning alert), entries with this CWE rank first. */
  cwe?: string;
  /** Number of demonstrations (default 5). */
  k?: number;
}

export interface Demonstration {
  entry: CorpusEntry;
  /** Rank score of the mode used: cosine (dense), BM25 score, or fused RRF score (hybrid). */
  score: number;
  /** Cosine similarity to the query, when computed. */
  similarity?: number;
  sameLanguage: boolean;
  cweMatch: boolean;
}

export interface RetrieverOptions {
  mode?: RetrievalMode;
  /** Candidates drawn from each ranking before fusing (default 50, at least 5·k). */
  fusionPool?: number;
  /** RRF constant (default 60, as in Cormack et al.). */
  rrfK?: number;
}

interface Ranked {
  label: number;
  score: number;
  similarity?: number;
}

export class Retriever {
  readonly mode: RetrievalMode;

  constructor(
    private readonly entries: readonly CorpusEntry[],
    private readonly embedder: Embedder,
    private readonly vectors: VectorIndex,
    private readonly bm25: Bm25Index,
    private readonly options: RetrieverOptions = {},
  ) {
    this.mode = options.mode ?? 'hybrid';
  }

  async retrieve(query: RetrievalQuery): Promise<Demonstration[]> {
    const k = query.k ?? 5;
    if (k <= 0 || this.entries.length === 0) return [];
    const vector = this.mode === 'bm25' ? undefined : (await this.embedder.embed([query.code]))[0];
    const family = query.language ? languageFamily(query.language) : undefined;
    const sameLanguage = (label: number) => family === undefined || languageFamily(this.entryAt(label).language) === family;
    const hasCwe = (label: number) => query.cwe !== undefined && this.entryAt(label).cwe.includes(query.cwe);

    // Tiers, best first; each fills what the previous left of k.
    const tiers: ((label: number) => boolean)[] = [];
    if (query.cwe) tiers.push((label) => sameLanguage(label) && hasCwe(label));
    tiers.push((label) => sameLanguage(label) && !hasCwe(label));
    if (family) tiers.push((label) => !sameLanguage(label));

    const results: Demonstration[] = [];
    for (const tier of tiers) {
      if (results.length >= k) break;
      for (const hit of this.rank(query.code, vector, k - results.length, tier)) {
        results.push({
          entry: this.entryAt(hit.label),
          score: hit.score,
          similarity: hit.similarity,
          sameLanguage: sameLanguage(hit.label),
          cweMatch: hasCwe(hit.label),
        });
      }
    }
    return results;
  }

  private entryAt(label: number): CorpusEntry {
    const entry = this.entries[label];
    if (!entry) throw new Error(`index label ${label} has no corpus entry: the index is out of date, run \`seccoder index\``);
    return entry;
  }

  private rank(code: string, vector: Float32Array | undefined, k: number, filter: (label: number) => boolean): Ranked[] {
    if (this.mode === 'dense' && vector) {
      return this.vectors.search(vector, k, filter).map((hit) => ({ ...hit, similarity: hit.score }));
    }
    if (this.mode === 'bm25' || !vector) {
      return this.bm25.search(code, k, filter).map((hit) => ({ label: hit.doc, score: hit.score }));
    }
    const pool = Math.max(this.options.fusionPool ?? 50, 5 * k);
    const rrfK = this.options.rrfK ?? 60;
    const dense = this.vectors.search(vector, pool, filter);
    const sparse = this.bm25.search(code, pool, filter);
    const fused = new Map<number, Ranked>();
    dense.forEach((hit, rank) => fused.set(hit.label, { label: hit.label, score: 1 / (rrfK + rank + 1), similarity: hit.score }));
    sparse.forEach((hit, rank) => {
      const existing = fused.get(hit.doc);
      if (existing) existing.score += 1 / (rrfK + rank + 1);
      else fused.set(hit.doc, { label: hit.doc, score: 1 / (rrfK + rank + 1) });
    });
    return [...fused.values()].sort((a, b) => b.score - a.score || a.label - b.label).slice(0, k);
  }
}
