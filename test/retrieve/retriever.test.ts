import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusEntry } from '../../src/corpus/entry.js';
import { cweDistance } from '../../src/cwe/hierarchy.js';
import { languageFamily } from '../../src/lang/languages.js';
import { openRetrievalIndex, type RetrievalIndex } from '../../src/retrieve/open-index.js';
import { RETRIEVAL_MODES, Retriever, type Demonstration, type RetrievalMode } from '../../src/retrieve/retriever.js';
import { weighEvidence } from '../../src/retrieve/analyzer-evidence.js';
import { appendEntries, snippetEntries, tempDirs } from '../fixtures/retrieval-corpus.js';
import { SNIPPETS } from '../fixtures/secure-snippets.js';

const SQL_QUERY = `def find_user(conn, name):
    cur = conn.cursor()
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)
    return cur.fetchall()
`;

// Looks like an out-of-bounds write (CWE-787), not a use-after-free.
const BOUNDS_QUERY = `void copy_input(char *dst, const char *src, size_t len) {
    memcpy(dst, src, len + 1);
    dst[len] = 0;
}
`;

const temp = tempDirs('retriever-test-');
let index: RetrievalIndex;
let entries: CorpusEntry[];

beforeAll(async () => {
  const dir = temp.make();
  await appendEntries(dir, await snippetEntries(SNIPPETS));
  index = await openRetrievalIndex({ corpusDir: dir, persist: false });
  entries = index.entries;
});
afterAll(() => temp.cleanup());

function retriever(mode: RetrievalMode, options: { fusionPool?: number; rrfK?: number; diversify?: boolean; otherLanguagePenalty?: number } = {}): Retriever {
  return new Retriever(index.entries, index.embedder, index.vectors, index.bm25, { mode, classifier: index.classifier, ...options });
}

const isCFamily = (entry: CorpusEntry) => languageFamily(entry.language) === 'c-family';
const labelOf = (demo: Demonstration) => entries.indexOf(demo.entry);
/** cwe-aware's language preference is soft by default; these tests check the strict tiers every mode can give. */
const STRICT_LANGUAGE = { otherLanguagePenalty: Number.POSITIVE_INFINITY };
/** Entries sharing at least one token with the query: everything BM25 can rank. */
const candidates = (code: string) => index.bm25.search(code, entries.length).map((hit) => entries[hit.doc]!);

describe('Retriever', () => {
  it('the fixture has the mix the tests rely on', () => {
    expect(entries).toHaveLength(SNIPPETS.length);
    expect(entries.filter(isCFamily)).toHaveLength(11);
    expect(entries.filter((entry) => isCFamily(entry) && entry.cwe.includes('CWE-416'))).toHaveLength(5);
    expect(entries.filter((entry) => entry.language === 'cpp')).toHaveLength(1);
    expect(entries.filter((entry) => entry.language === 'javascript')).toHaveLength(5);
  });

  it('defaults to cwe-aware with a classifier, hybrid without, and k = 5', async () => {
    expect(index.classifier).toBeDefined();
    expect(new Retriever(index.entries, index.embedder, index.vectors, index.bm25, { classifier: index.classifier }).mode).toBe('cwe-aware');
    expect(new Retriever(index.entries, index.embedder, index.vectors, index.bm25, { mode: 'cwe-aware' }).mode).toBe('hybrid');
    const hybrid = new Retriever(index.entries, index.embedder, index.vectors, index.bm25);
    expect(hybrid.mode).toBe('hybrid');
    const results = await hybrid.retrieve({ code: SQL_QUERY });
    expect(results).toHaveLength(5);
  });

  for (const mode of RETRIEVAL_MODES) {
    describe(`${mode} mode`, () => {
      it('puts a python CWE-89 entry first for a python SQL-injection-like query', async () => {
        const results = await retriever(mode).retrieve({ code: SQL_QUERY, k: 3 });
        expect(results).toHaveLength(3);
        expect(results[0]!.entry.language).toBe('python');
        expect(results[0]!.entry.cwe).toContain('CWE-89');
        // No language or CWE was given: everything counts as same-language, nothing as a CWE match.
        expect(results.every((demo) => demo.sameLanguage && !demo.cweMatch)).toBe(true);
      });

      it('with language "c", all C/C++ entries come before any other language', async () => {
        const results = await retriever(mode, STRICT_LANGUAGE).retrieve({ code: SQL_QUERY, language: 'c', k: 15 });
        expect(results).toHaveLength(15);
        results.forEach((demo) => expect(demo.sameLanguage).toBe(isCFamily(demo.entry)));
        // BM25 only ranks entries that share a term with the query; dense and hybrid rank them all.
        const cFamily = mode === 'bm25' ? candidates(SQL_QUERY).filter(isCFamily).length : 11;
        expect(cFamily).toBeGreaterThan(4);
        const flags = results.map((demo) => demo.sameLanguage);
        expect(flags).toEqual([...Array<boolean>(cFamily).fill(true), ...Array<boolean>(15 - cFamily).fill(false)]);
        // C++ is in the C family.
        const cpp = entries.find((entry) => entry.language === 'cpp')!;
        if (mode !== 'bm25') expect(results.slice(0, 11).map((demo) => demo.entry.id)).toContain(cpp.id);
        // No entry twice.
        expect(new Set(results.map(labelOf)).size).toBe(15);
      });

      it('with CWE-416 and language C, the CWE-416 C/C++ entries come first even for a bounds-looking query', async () => {
        const expected = entries.filter((entry) => isCFamily(entry) && entry.cwe.includes('CWE-416'));
        const results = await retriever(mode, STRICT_LANGUAGE).retrieve({ code: BOUNDS_QUERY, language: 'c', cwe: 'CWE-416', k: 8 });
        expect(results).toHaveLength(8);
        const head = results.slice(0, expected.length);
        expect(new Set(head.map((demo) => demo.entry.id))).toEqual(new Set(expected.map((entry) => entry.id)));
        expect(head.every((demo) => demo.cweMatch && demo.sameLanguage)).toBe(true);
        const tail = results.slice(expected.length);
        expect(tail.every((demo) => !demo.cweMatch && demo.sameLanguage && isCFamily(demo.entry))).toBe(true);
        // Without the CWE the same query prefers the bounds-checking entries.
        const plain = await retriever(mode).retrieve({ code: BOUNDS_QUERY, language: 'c', k: 1 });
        expect(plain[0]!.entry.cwe).toContain('CWE-787');
        expect(plain[0]!.cweMatch).toBe(false);
      });

      it('with a CWE the language lacks, that CWE in other languages comes before the language', async () => {
        const sql = entries.filter((entry) => entry.cwe.includes('CWE-89'));
        expect(sql.some(isCFamily)).toBe(false);
        const results = await retriever(mode, STRICT_LANGUAGE).retrieve({ code: SQL_QUERY, language: 'c', cwe: 'CWE-89', k: sql.length });
        const head = results.slice(0, sql.length);
        expect(new Set(head.map((demo) => demo.entry.id))).toEqual(new Set(sql.map((entry) => entry.id)));
        expect(head.every((demo) => demo.cweMatch && !demo.sameLanguage)).toBe(true);
        // Then CWE-89's relatives (its siblings under injection, CWE-78 and CWE-79, in any language), then unrelated C.
        const related = (demo: Demonstration) => demo.entry.cwe.some((cwe) => cweDistance('CWE-89', cwe) !== undefined);
        const all = await retriever(mode, STRICT_LANGUAGE).retrieve({ code: SQL_QUERY, language: 'c', cwe: 'CWE-89', k: entries.length });
        const tail = all.slice(sql.length);
        const firstUnrelated = tail.findIndex((demo) => !related(demo));
        expect(firstUnrelated).toBeGreaterThan(0);
        expect(tail.slice(0, firstUnrelated).every((demo) => !demo.cweMatch && related(demo))).toBe(true);
        const unrelated = tail.slice(firstUnrelated);
        expect(unrelated.every((demo) => !related(demo))).toBe(true);
        expect(unrelated.findIndex((demo) => !demo.sameLanguage)).toBe(unrelated.filter((demo) => demo.sameLanguage).length);
      });

      it('with a CWE the corpus lacks, its nearest relative in the CWE hierarchy comes first (CWE-564 ⊂ CWE-89, CWE-121 ⊂ CWE-787)', async () => {
        expect(entries.some((entry) => entry.cwe.includes('CWE-564') || entry.cwe.includes('CWE-121'))).toBe(false);
        const neutral = 'def total(items):\n    return sum(item.price for item in items)\n';
        const hibernate = await retriever(mode, STRICT_LANGUAGE).retrieve({ code: neutral, language: 'python', cwe: 'CWE-564', k: 1 });
        expect(hibernate[0]!.entry.cwe).toContain('CWE-89');
        expect(hibernate[0]!.entry.language).toBe('python');
        const stack = await retriever(mode, STRICT_LANGUAGE).retrieve({ code: 'int sum(int a, int b) { return a + b; }', language: 'c', cwe: 'CWE-121', k: 1 });
        expect(stack[0]!.entry.cwe).toContain('CWE-787');
        expect(stack[0]!.cweMatch).toBe(false);
      });

      it('fills with other languages when the language has fewer than k entries', async () => {
        const code = 'const html = escapeHtml(comment.body); element.textContent = String(html);';
        const results = await retriever(mode, STRICT_LANGUAGE).retrieve({ code, language: 'typescript', k: 8 });
        const available = mode === 'bm25' ? candidates(code).length : entries.length;
        expect(available).toBeGreaterThanOrEqual(8);
        expect(results).toHaveLength(8);
        expect(results.slice(0, 5).every((demo) => demo.entry.language === 'javascript' && demo.sameLanguage)).toBe(true);
        expect(results.slice(5).every((demo) => demo.entry.language !== 'javascript' && !demo.sameLanguage)).toBe(true);
      });

      it('respects k', async () => {
        const retrieve = (k: number) => retriever(mode).retrieve({ code: BOUNDS_QUERY, k });
        expect(await retrieve(1)).toHaveLength(1);
        expect(await retrieve(4)).toHaveLength(4);
        expect(await retrieve(0)).toEqual([]);
        // The top of a longer list is the shorter list.
        const four = await retrieve(4);
        const two = await retrieve(2);
        expect(two.map(labelOf)).toEqual(four.slice(0, 2).map(labelOf));
      });

      it('ranks by descending score within a tier', async () => {
        // cwe-aware's diversity pass reorders by design; its plain score order is what is checked here.
        const results = await retriever(mode, { diversify: false }).retrieve({ code: BOUNDS_QUERY, k: 8 });
        for (let i = 1; i < results.length; i += 1) expect(results[i]!.score).toBeLessThanOrEqual(results[i - 1]!.score);
      });
    });
  }

  it('cwe-aware puts the closest entry of the most likely CWE first, then the best of the next likely CWEs', async () => {
    const classifier = index.classifier!;
    const probabilities = classifier.predict(BOUNDS_QUERY);
    const likely = classifier.classes.map((cwe, i) => ({ cwe, p: probabilities[i]! })).sort((a, b) => b.p - a.p);
    const results = await retriever('cwe-aware').retrieve({ code: BOUNDS_QUERY, language: 'c', k: 3 });
    const [vector] = await index.embedder.embed([BOUNDS_QUERY]);
    const cOnly = (label: number) => isCFamily(entries[label]!);
    // Expected first: max over C entries of log P(cwe) + 2·cosine, computed here from the parts.
    const scored = index.vectors.search(vector!, entries.length, cOnly).map((hit) => ({
      label: hit.label,
      score: Math.max(...entries[hit.label]!.cwe.map((cwe) => Math.log(probabilities[classifier.classes.indexOf(cwe)] ?? 1e-6))) + 2 * hit.score,
    }));
    scored.sort((a, b) => b.score - a.score);
    expect(labelOf(results[0]!)).toBe(scored[0]!.label);
    expect(results[0]!.score).toBeCloseTo(scored[0]!.score, 6);
    // The next ones are of other likely CWEs than the first's.
    const firstCwes = results[0]!.entry.cwe;
    expect(results[1]!.entry.cwe.some((cwe) => !firstCwes.includes(cwe))).toBe(true);
    expect(likely.slice(0, 5).map((l) => l.cwe)).toEqual(expect.arrayContaining([results[1]!.entry.cwe[0]!]));
  });

  it("cwe-aware weighs the analyzers' findings on the query, unless told not to", async () => {
    const plain = await retriever('cwe-aware').retrieve({ code: BOUNDS_QUERY, language: 'c', k: 6 });
    // The weakness the classifier finds least likely for this query, named by an analyzer.
    const named = plain.at(-1)!.entry.cwe[0]!;
    const evidence = { cwe: [named], tools: [{ tool: 'cppcheck', ruleId: 'some-rule', cwe: [named] }] };
    const rankOfNamed = (results: Demonstration[]) => results.findIndex((demo) => demo.entry.cwe.includes(named));
    const weighed = await retriever('cwe-aware').retrieve({ code: BOUNDS_QUERY, language: 'c', k: 6, evidence });
    expect(rankOfNamed(weighed)).toBeGreaterThanOrEqual(0);
    expect(rankOfNamed(weighed)).toBeLessThan(rankOfNamed(plain));
    // Its score is the log of the weighed probability plus 2·cosine (less 1 in another language).
    const classifier = index.classifier!;
    const p = weighEvidence(classifier.predict(BOUNDS_QUERY), classifier.classes, evidence);
    const demo = weighed[rankOfNamed(weighed)]!;
    const penalty = demo.sameLanguage ? 0 : 1;
    expect(demo.score).toBeCloseTo(Math.log(p[classifier.classes.indexOf(named)]!) + 2 * demo.similarity! - penalty, 6);
    // Strong enough evidence puts it first.
    const strong = new Retriever(index.entries, index.embedder, index.vectors, index.bm25, {
      mode: 'cwe-aware',
      classifier: index.classifier,
      evidence: { strength: 30 },
    });
    expect((await strong.retrieve({ code: BOUNDS_QUERY, language: 'c', k: 1, evidence }))[0]!.entry.cwe).toContain(named);
    const ignoring = new Retriever(index.entries, index.embedder, index.vectors, index.bm25, {
      mode: 'cwe-aware',
      classifier: index.classifier,
      evidence: false,
    });
    expect((await ignoring.retrieve({ code: BOUNDS_QUERY, language: 'c', k: 6, evidence })).map((d) => d.entry.id)).toEqual(plain.map((d) => d.entry.id));
  });

  it('cwe-aware shows k different CWEs in its first k demonstrations, even past the 5 most likely', async () => {
    const cwes = new Set(entries.flatMap((entry) => entry.cwe));
    expect(cwes.size).toBe(6);
    const results = await retriever('cwe-aware').retrieve({ code: BOUNDS_QUERY, k: 6 });
    expect(new Set(results.map((demo) => demo.entry.cwe[0]))).toEqual(cwes);
  });

  it('cwe-aware with a finite otherLanguagePenalty lets a far likelier CWE in another language come first', async () => {
    const withPenalty = (otherLanguagePenalty?: number) =>
      new Retriever(index.entries, index.embedder, index.vectors, index.bm25, { mode: 'cwe-aware', classifier: index.classifier, otherLanguagePenalty });
    const strict = await withPenalty(Number.POSITIVE_INFINITY).retrieve({ code: SQL_QUERY, language: 'c', k: 3 });
    expect(strict.every((demo) => demo.sameLanguage && isCFamily(demo.entry))).toBe(true);
    // A huge penalty picks the strict first demonstration (the next ones cover other likely CWEs in any language).
    expect((await withPenalty(1e6).retrieve({ code: SQL_QUERY, language: 'c', k: 1 }))[0]!.entry.id).toBe(strict[0]!.entry.id);

    const soft = await withPenalty(0.5).retrieve({ code: SQL_QUERY, language: 'c', k: 3 });
    // The default is soft (1).
    expect((await withPenalty().retrieve({ code: SQL_QUERY, language: 'c', k: 3 })).map((demo) => demo.entry.id)).toEqual(
      (await withPenalty(1).retrieve({ code: SQL_QUERY, language: 'c', k: 3 })).map((demo) => demo.entry.id),
    );
    expect(soft[0]!.sameLanguage).toBe(false);
    expect(soft[0]!.entry.cwe).toContain('CWE-89');
    // The score is log P(CWE) + 2·cosine − the penalty, and beats the best C entry's.
    const probabilities = index.classifier!.predict(SQL_QUERY);
    const p89 = probabilities[index.classifier!.classes.indexOf('CWE-89')]!;
    expect(soft[0]!.score).toBeCloseTo(Math.log(p89) + 2 * soft[0]!.similarity! - 0.5, 6);
    expect(soft[0]!.score).toBeGreaterThan(strict[0]!.score);
    // A C entry still wins when the weakness it shows is as likely.
    const bounds = await withPenalty(0.5).retrieve({ code: BOUNDS_QUERY, language: 'c', k: 1 });
    expect(bounds[0]!.sameLanguage).toBe(true);
  });

  it('hybrid score is the reciprocal-rank fusion of the dense and BM25 rankings', async () => {
    const rrfK = 60;
    const [vector] = await index.embedder.embed([SQL_QUERY]);
    const dense = index.vectors.search(vector!, 50);
    const sparse = index.bm25.search(SQL_QUERY, 50);
    expect(dense.length).toBeGreaterThan(5);
    expect(sparse.length).toBeGreaterThan(5);
    const expected = new Map<number, number>();
    dense.forEach((hit, rank) => expected.set(hit.label, (expected.get(hit.label) ?? 0) + 1 / (rrfK + rank + 1)));
    sparse.forEach((hit, rank) => expected.set(hit.doc, (expected.get(hit.doc) ?? 0) + 1 / (rrfK + rank + 1)));
    const ranked = [...expected].sort(([a, x], [b, y]) => y - x || a - b).slice(0, 6);

    const results = await retriever('hybrid').retrieve({ code: SQL_QUERY, k: 6 });
    expect(results.map(labelOf)).toEqual(ranked.map(([label]) => label));
    results.forEach((demo, i) => {
      expect(demo.score).toBeCloseTo(ranked[i]![1], 12);
      const denseHit = dense.find((hit) => hit.label === labelOf(demo));
      expect(demo.similarity).toBe(denseHit?.score);
    });
  });

  it('hybrid honours rrfK and fusionPool', async () => {
    const [vector] = await index.embedder.embed([BOUNDS_QUERY]);
    const dense = index.vectors.search(vector!, 5);
    const sparse = index.bm25.search(BOUNDS_QUERY, 5);
    const expected = new Map<number, number>();
    dense.forEach((hit, rank) => expected.set(hit.label, (expected.get(hit.label) ?? 0) + 1 / (10 + rank + 1)));
    sparse.forEach((hit, rank) => expected.set(hit.doc, (expected.get(hit.doc) ?? 0) + 1 / (10 + rank + 1)));
    const ranked = [...expected].sort(([a, x], [b, y]) => y - x || a - b).slice(0, 1);
    // pool = max(fusionPool, 5·k) = 5 for k = 1.
    const results = await retriever('hybrid', { rrfK: 10, fusionPool: 1 }).retrieve({ code: BOUNDS_QUERY, k: 1 });
    expect(results.map(labelOf)).toEqual(ranked.map(([label]) => label));
    expect(results[0]!.score).toBeCloseTo(ranked[0]![1], 12);
  });

  it('dense scores are the cosine similarity with the query', async () => {
    const results = await retriever('dense').retrieve({ code: SQL_QUERY, k: 4 });
    const [query] = await index.embedder.embed([SQL_QUERY]);
    const vectors = await index.embedder.embed(results.map((demo) => demo.entry.code));
    results.forEach((demo, i) => {
      const cosine = vectors[i]!.reduce((sum, x, d) => sum + x * query![d]!, 0);
      expect(demo.score).toBeCloseTo(cosine, 5);
      expect(demo.similarity).toBe(demo.score);
    });
    expect(results.map(labelOf)).toEqual(index.vectors.search(query!, 4).map((hit) => hit.label));
  });

  it('bm25 scores are the BM25 index scores, without a similarity', async () => {
    const results = await retriever('bm25').retrieve({ code: SQL_QUERY, k: 4 });
    const expected = index.bm25.search(SQL_QUERY, 4);
    expect(results.map(labelOf)).toEqual(expected.map((hit) => hit.doc));
    results.forEach((demo, i) => {
      expect(demo.score).toBe(expected[i]!.score);
      expect(demo.similarity).toBeUndefined();
    });
  });

  it('with a CWE and no language, that CWE ranks first across languages', async () => {
    const results = await retriever('hybrid').retrieve({ code: SQL_QUERY, cwe: 'CWE-79', k: 7 });
    expect(results.slice(0, 4).every((demo) => demo.cweMatch && demo.entry.cwe.includes('CWE-79'))).toBe(true);
    expect(results.slice(4).every((demo) => !demo.cweMatch)).toBe(true);
    expect(results.every((demo) => demo.sameLanguage)).toBe(true);
  });

  it('returns nothing for an empty corpus', async () => {
    const empty = new Retriever([], index.embedder, index.vectors, index.bm25);
    expect(await empty.retrieve({ code: SQL_QUERY })).toEqual([]);
  });

  it('says the index is out of date when it has labels the entries do not', async () => {
    const stale = new Retriever(entries.slice(0, 3), index.embedder, index.vectors, index.bm25, { mode: 'dense' });
    await expect(stale.retrieve({ code: BOUNDS_QUERY, k: 5 })).rejects.toThrow(/out of date.*seccoder index/);
  });
});
