import { describe, expect, it } from 'vitest';
import { Bm25Index, type Bm25Hit } from '../../src/retrieve/bm25.js';
import { codeTokens } from '../../src/text/code-tokens.js';

const DOCS = [
  'cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))',
  'memcpy(buf, src, len);\nbuf[len] = 0;',
  'subprocess.run(["ls", path], check=True)\ncursor.close()',
];

/** Textbook Okapi BM25, written independently of the index: one pass over each document. */
function referenceScores(docs: readonly string[], query: string, k1 = 1.2, b = 0.75): number[] {
  const tokenized = docs.map(codeTokens);
  const n = docs.length;
  const avgdl = tokenized.reduce((sum, tokens) => sum + tokens.length, 0) / n;
  const queryTerms = [...new Set(codeTokens(query))];
  return tokenized.map((tokens) => {
    let score = 0;
    for (const term of queryTerms) {
      const tf = tokens.filter((token) => token === term).length;
      if (tf === 0) continue;
      const df = tokenized.filter((other) => other.includes(term)).length;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      score += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * tokens.length) / avgdl));
    }
    return score;
  });
}

/** Expected hits from reference scores: positive scores, best first, ties by lower number. */
function referenceHits(scores: number[], k: number, filter?: (doc: number) => boolean): Bm25Hit[] {
  return scores
    .map((score, doc) => ({ doc, score }))
    .filter((hit) => hit.score > 0 && (!filter || filter(hit.doc)))
    .sort((x, y) => y.score - x.score || x.doc - y.doc)
    .slice(0, k);
}

function expectHits(actual: Bm25Hit[], expected: Bm25Hit[]): void {
  expect(actual.map((hit) => hit.doc)).toEqual(expected.map((hit) => hit.doc));
  actual.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i]!.score, 10));
}

function indexOf(docs: readonly string[], options?: ConstructorParameters<typeof Bm25Index>[0]): Bm25Index {
  const index = new Bm25Index(options);
  index.add(docs);
  return index;
}

describe('Bm25Index', () => {
  it('scores match the hand-computed BM25 formula', () => {
    const index = indexOf(DOCS);
    expect(index.size).toBe(3);
    for (const query of ['cursor.execute(sql % user_id)', 'memcpy(dst, src, len)', 'cursor', 'buf[len]', 'subprocess.run(cmd, shell=True)']) {
      const scores = referenceScores(DOCS, query);
      expect(scores.some((score) => score > 0)).toBe(true);
      expectHits(index.search(query, 10), referenceHits(scores, 10));
    }
  });

  it('computes one score by hand for a single-term query', () => {
    // "memcpy" occurs once, in document 1 only.
    const tokens = DOCS.map(codeTokens);
    const avgdl = (tokens[0]!.length + tokens[1]!.length + tokens[2]!.length) / 3;
    const idf = Math.log(1 + (3 - 1 + 0.5) / (1 + 0.5));
    const expected = (idf * 1 * 2.2) / (1 + 1.2 * (0.25 + (0.75 * tokens[1]!.length) / avgdl));
    const hits = indexOf(DOCS).search('memcpy', 5);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.doc).toBe(1);
    expect(hits[0]!.score).toBeCloseTo(expected, 12);
  });

  it('honours k1 and b', () => {
    const query = 'cursor.execute(query)';
    const index = indexOf(DOCS, { k1: 2, b: 0.3 });
    expectHits(index.search(query, 10), referenceHits(referenceScores(DOCS, query, 2, 0.3), 10));
    // and the result differs from the defaults, so the options are not ignored
    const defaults = indexOf(DOCS).search(query, 10);
    expect(defaults[0]!.score).not.toBeCloseTo(index.search(query, 10)[0]!.score, 6);
  });

  it('ranks the SQL document first for a SQL query and the memcpy document first for a memcpy query', () => {
    const index = indexOf(DOCS);
    expect(index.search('db.execute("SELECT name FROM users WHERE id = %s" % uid)', 3)[0]!.doc).toBe(0);
    expect(index.search('memcpy(out, in, n)', 3)[0]!.doc).toBe(1);
    expect(index.search('subprocess.run(args)', 3)[0]!.doc).toBe(2);
  });

  it('returns only documents that share a term with the query', () => {
    const hits = indexOf(DOCS).search('memcpy', 10);
    expect(hits.map((hit) => hit.doc)).toEqual([1]);
    expect(indexOf(DOCS).search('nothingMatchesThis', 10)).toEqual([]);
  });

  it('respects k and the filter', () => {
    const index = indexOf(DOCS);
    const query = 'cursor.execute(buf, len)';
    const scores = referenceScores(DOCS, query);
    expect(scores.filter((score) => score > 0)).toHaveLength(3);
    expect(index.search(query, 2)).toHaveLength(2);
    expectHits(index.search(query, 2), referenceHits(scores, 2));
    expect(index.search(query, 0)).toEqual([]);
    expect(index.search(query, -1)).toEqual([]);
    const even = (doc: number) => doc % 2 === 0;
    const filtered = index.search(query, 10, even);
    expect(filtered.every((hit) => hit.doc % 2 === 0)).toBe(true);
    expectHits(filtered, referenceHits(scores, 10, even));
    // The filter does not change scores: idf and lengths still come from the whole corpus.
    const unfiltered = new Map(index.search(query, 10).map((hit) => [hit.doc, hit.score]));
    for (const hit of filtered) expect(hit.score).toBe(unfiltered.get(hit.doc));
  });

  it('gives nothing for an empty query or an empty index', () => {
    expect(indexOf(DOCS).search('', 5)).toEqual([]);
    expect(indexOf(DOCS).search('  ;; ,', 5)).toEqual([]);
    expect(new Bm25Index().search('memcpy', 5)).toEqual([]);
    expect(new Bm25Index().size).toBe(0);
  });

  it('breaks ties by the lower document number', () => {
    const index = indexOf(['free(p)', 'free(p)', 'free(p)', 'malloc(n)']);
    const hits = index.search('free(p)', 10);
    expect(hits.map((hit) => hit.doc)).toEqual([0, 1, 2]);
    expect(hits[0]!.score).toBe(hits[2]!.score);
  });

  it('adding documents incrementally equals adding them at once', () => {
    const incremental = new Bm25Index();
    incremental.add(DOCS.slice(0, 1));
    const before = incremental.search('cursor.execute(query)', 5);
    expect(before.map((hit) => hit.doc)).toEqual([0]);
    incremental.add(DOCS.slice(1));
    expect(incremental.size).toBe(3);
    const all = indexOf(DOCS);
    for (const query of ['cursor.execute(query)', 'memcpy(buf, src, len)', 'subprocess.run(cmd)']) {
      expect(incremental.search(query, 10)).toEqual(all.search(query, 10));
    }
    // Document numbers continue from the current size, and idf reflects the grown corpus.
    incremental.add(['memcpy(a, b, c)']);
    const grown = [...DOCS, 'memcpy(a, b, c)'];
    expectHits(incremental.search('memcpy(x, y, z)', 10), referenceHits(referenceScores(grown, 'memcpy(x, y, z)'), 10));
    expect(
      incremental
        .search('memcpy', 10)
        .map((hit) => hit.doc)
        .sort(),
    ).toEqual([1, 3]);
  });

  it('counts a repeated query term once', () => {
    const index = indexOf(DOCS);
    expect(index.search('memcpy memcpy memcpy', 5)).toEqual(index.search('memcpy', 5));
  });
});
