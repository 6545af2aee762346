// Retrieval quality as the paper measures it, plus the stricter headline: does the first
// demonstration have the query's CWE?
import type { CorpusEntry } from '../corpus/entry.js';
import { cweDistance } from '../cwe/hierarchy.js';
import { languageFamily, type Language } from '../lang/languages.js';

export interface CaseOutcome {
  /** 1-based rank of the first demonstration with the query's CWE; undefined when none has it. */
  firstMatch: number | undefined;
  /** Whether the top demonstration has the query's CWE, its parent or a child (CWE hierarchy). */
  relatedAt1?: boolean;
}

export interface RetrievalScores {
  n: number;
  /** Top demonstration has the query's CWE. */
  acc1: number;
  /** Top demonstration has the query's CWE, its parent or a child (exact acc@1 stays the headline). */
  acc1Related: number;
  /** One of the top five has it. */
  acc5: number;
  /** The paper's average minimum number: mean rank of the first same-CWE demonstration. */
  avgMinNumber: number;
  /** Queries whose CWE no demonstration has (counted as misses, left out of avgMinNumber). */
  unmatched: number;
}

export function scoreOutcomes(outcomes: readonly CaseOutcome[]): RetrievalScores {
  const n = outcomes.length;
  const matched = outcomes.filter((outcome) => outcome.firstMatch !== undefined) as { firstMatch: number }[];
  const share = (predicate: (rank: number) => boolean) => (n === 0 ? 0 : matched.filter((o) => predicate(o.firstMatch)).length / n);
  return {
    n,
    acc1: share((rank) => rank === 1),
    acc1Related: n === 0 ? 0 : outcomes.filter((o) => o.firstMatch === 1 || o.relatedAt1 === true).length / n,
    acc5: share((rank) => rank <= 5),
    avgMinNumber: matched.length === 0 ? Number.NaN : matched.reduce((sum, o) => sum + o.firstMatch, 0) / matched.length,
    unmatched: n - matched.length,
  };
}

/** Rank of the first entry carrying `cwe` in a ranking of corpus entries. */
export function firstMatchRank(ranking: readonly CorpusEntry[], cwe: string): number | undefined {
  const index = ranking.findIndex((entry) => entry.cwe.includes(cwe));
  return index === -1 ? undefined : index + 1;
}

/** Whether an entry shows `cwe`, its parent or one of its children. */
export function showsRelatedCwe(entry: CorpusEntry, cwe: string): boolean {
  return entry.cwe.some((shown) => (cweDistance(shown, cwe) ?? 2) <= 1);
}

/** A ranking's outcome for a query about `cwe`. */
export function outcomeOf(ranking: readonly CorpusEntry[], cwe: string): CaseOutcome {
  const top = ranking[0];
  return { firstMatch: firstMatchRank(ranking, cwe), relatedAt1: top !== undefined && showsRelatedCwe(top, cwe) };
}

/**
 * What a random pick scores in expectation, with the same language-first rule the retrievers use:
 * a uniformly random order of the same-language pool, then the rest.
 */
export function randomExpectation(
  entries: readonly CorpusEntry[],
  language: Language,
  cwe: string,
): { acc1: number; acc1Related: number; acc5: number; avgMin: number | undefined } {
  const family = languageFamily(language);
  const pool = entries.filter((entry) => languageFamily(entry.language) === family);
  const rest = entries.filter((entry) => languageFamily(entry.language) !== family);
  const n = pool.length;
  const m = pool.filter((entry) => entry.cwe.includes(cwe)).length;
  // P(no match in the first j draws without replacement) = C(n-m, j) / C(n, j).
  const noneInFirst = (j: number) => {
    let p = 1;
    for (let i = 0; i < j; i += 1) p *= Math.max(0, n - m - i) / (n - i);
    return p;
  };
  const acc1Related = n === 0 ? 0 : pool.filter((entry) => showsRelatedCwe(entry, cwe)).length / n;
  if (m > 0) return { acc1: m / n, acc1Related, acc5: 1 - noneInFirst(Math.min(5, n)), avgMin: (n + 1) / (m + 1) };
  const restMatches = rest.filter((entry) => entry.cwe.includes(cwe)).length;
  return { acc1: 0, acc1Related, acc5: 0, avgMin: restMatches > 0 ? n + (rest.length + 1) / (restMatches + 1) : undefined };
}
