// Demonstration selection: the corpus entries most similar to a query, by dense cosine, BM25,
// their reciprocal-rank fusion, or (cwe-aware) similarity weighted by the CWE a classifier trained
// on the corpus labels predicts for the query. Same-language entries come first (in cwe-aware, an
// entry of another language may pass them when its weakness is far likelier); a CWE known from an
// alert puts that CWE's entries first of all, its same-language ones first.
import type { CorpusEntry } from '../corpus/entry.js';
import type { Embedder } from '../embed/types.js';
import { languageFamily, type Language } from '../lang/languages.js';
import type { VectorIndex } from '../index/types.js';
import type { Bm25Index } from './bm25.js';
import type { CwePredictor } from './cwe-classifier.js';
import { cweDistance, type CweDistance } from '../cwe/hierarchy.js';
import { StaleIndexError } from './errors.js';
import { weighEvidence, type AnalyzerEvidenceOptions, type QueryEvidence } from './analyzer-evidence.js';
import { voteWithNeighbours, type NeighbourSearch, type NeighbourVoteOptions } from './neighbour-vote.js';

const DEFAULT_OTHER_LANGUAGE_PENALTY = 1;

export const RETRIEVAL_MODES = ['cwe-aware', 'hybrid', 'dense', 'bm25'] as const;
export type RetrievalMode = (typeof RETRIEVAL_MODES)[number];

export interface RetrievalQuery {
  code: string;
  /** When given, entries of the same language family rank first (softly in cwe-aware: `otherLanguagePenalty`). */
  language?: Language;
  /** When given (e.g. from a code-scanning alert), entries with this CWE rank first. */
  cwe?: string;
  /** Number of demonstrations (default 5). */
  k?: number;
  /**
   * 'cwe-aware' only: what the analyzers found in the code, as evidence of its weakness
   * (analyzer-evidence.ts), weighed unless the retriever's `evidence` option is false.
   */
  evidence?: QueryEvidence;
}

export interface Demonstration {
  entry: CorpusEntry;
  /** Rank score of the mode used: cosine (dense), BM25 score, fused RRF score (hybrid), or log P(CWE) + β·cosine (cwe-aware). */
  score: number;
  /** Cosine similarity to the query, when computed. */
  similarity?: number;
  sameLanguage: boolean;
  cweMatch: boolean;
}

export interface RetrieverOptions {
  /** Default 'cwe-aware' when a classifier is given, else 'hybrid'. */
  mode?: RetrievalMode;
  /** Needed by 'cwe-aware'; without it that mode ranks as 'hybrid'. */
  classifier?: CwePredictor;
  /** Weight of cosine similarity against log P(CWE) in 'cwe-aware' (default 2). */
  similarityWeight?: number;
  /** Predicted CWEs considered per query in 'cwe-aware' (default 5, and at least k, so k demonstrations can each show a different CWE). */
  topClasses?: number;
  /**
   * 'cwe-aware' only: after the first demonstration, the best one of each next likely CWE
   * (default true), so a few demonstrations cover the classifier's doubt instead of repeating
   * its first guess.
   */
  diversify?: boolean;
  /** Candidates drawn from each ranking before fusing (default 50, at least 5·k). */
  fusionPool?: number;
  /** RRF constant (default 60, as in Cormack et al.). */
  rrfK?: number;
  /**
   * 'cwe-aware' only: how much a demonstration in another language family loses, in log-probability
   * units (default 1: it must show a weakness e times likelier). An example of the likely weakness
   * in another language teaches more than one of an unlikely weakness in the same language; the
   * CV harness measured 1 above 2, 4 and Infinity (every same-language entry first).
   */
  otherLanguagePenalty?: number;
  /**
   * 'cwe-aware' only: the labelled documents nearest a query vote on its CWE, as much as the
   * nearest is close (see neighbour-vote.ts). Without it the classifier alone decides.
   */
  neighbours?: NeighbourSearch;
  neighbourVote?: NeighbourVoteOptions;
  /** Ids of retired entries: kept in the corpus file and the index, never retrieved. */
  retired?: ReadonlySet<string>;
  /**
   * 'cwe-aware' only: what an entry's record of suggestions adds to its score, in log-probability
   * units (acceptance-prior.ts: below 0 for entries whose suggestions get dismissed, 0 without
   * feedback, so a new entry is not buried).
   */
  prior?: (entryId: string) => number;
  /** 'cwe-aware' only: how a query's analyzer evidence is weighed (default DEFAULT_ANALYZER_EVIDENCE); false: ignored. */
  evidence?: AnalyzerEvidenceOptions | false;
}

/** A soft language filter: entries of another language family compete, `penalty` behind. */
interface LanguagePreference {
  sameLanguage: (label: number) => boolean;
  penalty: number;
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
    const wanted = options.mode ?? (options.classifier ? 'cwe-aware' : 'hybrid');
    this.mode = wanted === 'cwe-aware' && !options.classifier ? 'hybrid' : wanted;
  }

  async retrieve(query: RetrievalQuery): Promise<Demonstration[]> {
    const k = query.k ?? 5;
    if (k <= 0 || this.entries.length === 0) return [];
    const vector = this.mode === 'bm25' ? undefined : (await this.embedder.embed([query.code]))[0];
    const family = query.language ? languageFamily(query.language) : undefined;
    const sameLanguage = (label: number) => family === undefined || languageFamily(this.entryAt(label).language) === family;
    const hasCwe = (label: number) => query.cwe !== undefined && this.entryAt(label).cwe.includes(query.cwe);
    /** How close the entry's nearest CWE is to the query's in the CWE hierarchy (undefined: unrelated, or no CWE asked). */
    const closenessOf = new Map<number, CweDistance | undefined>();
    const closeness = (label: number): CweDistance | undefined => {
      const wanted = query.cwe;
      if (wanted === undefined) return undefined;
      if (closenessOf.has(label)) return closenessOf.get(label);
      let best: CweDistance | undefined;
      for (const cwe of this.entryAt(label).cwe) {
        const distance = cweDistance(wanted, cwe);
        if (distance !== undefined && (best === undefined || distance < best)) best = distance;
      }
      closenessOf.set(label, best);
      return best;
    };

    // Tiers, best first; each fills what the previous left of k. A known CWE comes before the
    // language: an example of the alert's weakness in another language teaches more than an
    // example of another weakness in the same one. Then its nearest relatives in the CWE
    // hierarchy (parent or child, then sibling), each same language first: tools tag one bug with
    // a parent or a child CWE, and the corpus may lack the alert's own.
    const penalty = this.options.otherLanguagePenalty ?? DEFAULT_OTHER_LANGUAGE_PENALTY;
    const softLanguage = this.mode === 'cwe-aware' && Number.isFinite(penalty);
    const tiers: ((label: number) => boolean)[] = [];
    if (query.cwe) {
      for (const distance of [0, 1, 2] as const) {
        tiers.push((label) => sameLanguage(label) && closeness(label) === distance);
        if (family) tiers.push((label) => !sameLanguage(label) && closeness(label) === distance);
      }
    }
    const unrelated = (label: number) => closeness(label) === undefined;
    if (softLanguage) tiers.push(unrelated);
    else {
      tiers.push((label) => sameLanguage(label) && unrelated(label));
      if (family) tiers.push((label) => !sameLanguage(label) && unrelated(label));
    }
    const languagePreference = softLanguage && family ? { sameLanguage, penalty } : undefined;

    const retired = this.options.retired;
    const live = retired && retired.size > 0 ? (label: number) => !retired.has(this.entryAt(label).id) : () => true;
    const results: Demonstration[] = [];
    for (const tier of tiers) {
      if (results.length >= k) break;
      for (const hit of this.rank(query, vector, k - results.length, (label) => live(label) && tier(label), languagePreference)) {
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
    if (!entry) throw new StaleIndexError(label);
    return entry;
  }

  private rank(
    query: RetrievalQuery,
    vector: Float32Array | undefined,
    k: number,
    filter: (label: number) => boolean,
    languagePreference?: LanguagePreference,
  ): Ranked[] {
    const { code } = query;
    if (this.mode === 'dense' && vector) {
      return this.vectors.search(vector, k, filter).map((hit) => ({ ...hit, similarity: hit.score }));
    }
    if (this.mode === 'bm25' || !vector) {
      return this.bm25.search(code, k, filter).map((hit) => ({ label: hit.doc, score: hit.score }));
    }
    if (this.mode === 'cwe-aware' && this.options.classifier)
      return this.rankByPredictedCwe(query, vector, k, filter, languagePreference, this.options.classifier);
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

  /**
   * The most similar entries of each likely CWE, scored log P(CWE | query) + β·cosine, so the
   * first demonstration is the closest example of the weakness the query most likely has, and
   * the next ones cover the next likely weaknesses when the classifier is unsure.
   */
  private rankByPredictedCwe(
    query: RetrievalQuery,
    vector: Float32Array,
    k: number,
    filter: (label: number) => boolean,
    languagePreference: LanguagePreference | undefined,
    classifier: CwePredictor,
  ): Ranked[] {
    const predicted = classifier.predict(query.code);
    const { neighbours } = this.options;
    const voted = neighbours
      ? voteWithNeighbours(predicted, classifier.classes, neighbours(vector, this.options.neighbourVote?.k ?? 5), this.options.neighbourVote)
      : predicted;
    const probabilities =
      this.options.evidence !== false && query.evidence ? weighEvidence(voted, classifier.classes, query.evidence, this.options.evidence) : voted;
    const probability = new Map(classifier.classes.map((cwe, i) => [cwe, probabilities[i] as number]));
    const floor = Math.log(1e-6);
    const beta = this.options.similarityWeight ?? 2;
    const scoreOf = (label: number, similarity: number) => {
      const best = Math.max(floor, ...this.entryAt(label).cwe.map((cwe) => Math.log(probability.get(cwe) ?? 1e-6)));
      const penalty = languagePreference && !languagePreference.sameLanguage(label) ? languagePreference.penalty : 0;
      return best + beta * similarity - penalty + (this.options.prior?.(this.entryAt(label).id) ?? 0);
    };
    const likely = classifier.classes
      .map((cwe, i) => ({ cwe, p: probabilities[i] as number }))
      .sort((a, b) => b.p - a.p)
      .slice(0, Math.max(this.options.topClasses ?? 5, k));
    const ranked = new Map<number, Ranked>();
    const consider = (hits: { label: number; score: number }[]) => {
      for (const hit of hits) {
        if (!ranked.has(hit.label)) ranked.set(hit.label, { label: hit.label, score: scoreOf(hit.label, hit.score), similarity: hit.score });
      }
    };
    // With a soft language filter each side is searched on its own, so the penalty cannot hide
    // a same-language entry behind more similar ones in other languages.
    const sides: ((label: number) => boolean)[] = languagePreference
      ? [(label) => filter(label) && languagePreference.sameLanguage(label), (label) => filter(label) && !languagePreference.sameLanguage(label)]
      : [filter];
    const bestOfClass: Ranked[] = [];
    for (const { cwe } of likely) {
      let best: Ranked | undefined;
      for (const side of sides) {
        const hits = this.vectors.search(vector, k, (label) => side(label) && this.entryAt(label).cwe.includes(cwe));
        consider(hits);
        const candidate = hits[0] && ranked.get(hits[0].label);
        if (candidate && (!best || candidate.score > best.score)) best = candidate;
      }
      if (best) bestOfClass.push(best);
    }
    // Entries of the other CWEs (or none) still compete on similarity.
    for (const side of sides) consider(this.vectors.search(vector, k, side));
    const byScore = [...ranked.values()].sort((a, b) => b.score - a.score || a.label - b.label);
    if (this.options.diversify === false) return byScore.slice(0, k);
    const first = byScore.slice(0, 1);
    const leaders = bestOfClass.filter((hit) => hit !== first[0]).sort((a, b) => b.score - a.score || a.label - b.label);
    const order = [...first, ...leaders, ...byScore];
    return [...new Set(order)].slice(0, k);
  }
}
