// `npm run bench:retrieval`: retrieval quality on held-out query sets (acc@1, acc@5, average
// minimum number) for each retriever, known-CWE coverage, and speed, as JSON and Markdown.
// Usage: node dist/bench/retrieval.js [--data ../shared/datasets] [--corpus corpus] [--quick] [--out dir]
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CorpusEntry } from '../src/corpus/entry.js';
import { LocalCorpusStore } from '../src/corpus/local-store.js';
import { outcomeOf, randomExpectation, scoreOutcomes, type RetrievalScores } from '../src/eval/retrieval-metrics.js';
import { loadBenchmarkQuerySets, type NamedQuerySet, type RetrievalQueryCase } from '../src/eval/scenarios.js';
import { languageFamily } from '../src/lang/languages.js';
import { readCweExamples } from '../src/corpus/cwe-examples.js';
import { openRetrievalIndex, type RetrievalIndex } from '../src/retrieve/open-index.js';
import { Retriever, type RetrievalMode } from '../src/retrieve/retriever.js';
import { renderMarkdown } from './retrieval-report.js';
import { analyzersFor, defaultAnalyzers, findingsOfAll } from '../src/analyze/registry.js';
import { evidenceOfFindings, type QueryEvidence } from '../src/retrieve/analyzer-evidence.js';
import { runScaleBenchmark } from './scale.js';

interface RetrieverSpec {
  name: string;
  mode: RetrievalMode;
  languageFilter: boolean;
  /** cwe-aware only: the best demonstration of each next likely CWE after the first. */
  diversify?: boolean;
  /** cwe-aware only: the analyzers' findings on the query are evidence of its weakness (as in the pipeline when it validates). */
  analyzerEvidence?: boolean;
}

const RETRIEVERS: RetrieverSpec[] = [
  { name: 'cwe-aware+lang (CWE-diverse)', mode: 'cwe-aware', languageFilter: true, diversify: true },
  { name: 'cwe-aware+lang+analyzers (CWE-diverse)', mode: 'cwe-aware', languageFilter: true, diversify: true, analyzerEvidence: true },
  { name: 'cwe-aware+lang (no diversity)', mode: 'cwe-aware', languageFilter: true, diversify: false },
  { name: 'bm25', mode: 'bm25', languageFilter: false },
  { name: 'bm25+lang', mode: 'bm25', languageFilter: true },
  { name: 'dense+lang', mode: 'dense', languageFilter: true },
  { name: 'hybrid+lang', mode: 'hybrid', languageFilter: true },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Per query: its CWE and the CWEs of the top demonstration (for the confusion summary). */
type TopCwes = Map<string, { cwe: string; language: RetrievalQueryCase['language']; shown: string[] }>;

type EvidenceByQuery = Map<string, QueryEvidence>;

/** The analyzers' findings on each query, once (tools that fail give no evidence, as in the pipeline), and how long they took. */
async function analyzerEvidence(sets: readonly NamedQuerySet[]): Promise<{ byQuery: EvidenceByQuery; latency: { n: number; p50Ms: number; p99Ms: number } }> {
  const all = defaultAnalyzers();
  const byQuery: EvidenceByQuery = new Map();
  const times: number[] = [];
  for (const query of sets.flatMap((set) => set.cases)) {
    if (byQuery.has(query.id)) continue;
    const analyzers = await analyzersFor(query.language, all);
    if (analyzers.length === 0) continue;
    const started = performance.now();
    const findings = await findingsOfAll(analyzers, { code: query.code, language: query.language }, () => undefined);
    times.push(performance.now() - started);
    byQuery.set(query.id, evidenceOfFindings(findings));
  }
  times.sort((a, b) => a - b);
  return { byQuery, latency: { n: times.length, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) } };
}

async function evaluate(
  index: RetrievalIndex,
  spec: RetrieverSpec,
  cases: RetrievalQueryCase[],
  evidence: EvidenceByQuery,
  tops?: TopCwes,
): Promise<RetrievalScores> {
  const retriever = new Retriever(index.entries, index.embedder, index.vectors, index.bm25, {
    mode: spec.mode,
    classifier: index.classifier,
    diversify: spec.diversify,
  });
  const outcomes = [];
  for (const query of cases) {
    const queryEvidence = spec.analyzerEvidence ? evidence.get(query.id) : undefined;
    const ranking = await retriever.retrieve({
      code: query.code,
      language: spec.languageFilter ? query.language : undefined,
      k: index.entries.length,
      ...(queryEvidence ? { evidence: queryEvidence } : {}),
    });
    tops?.set(query.id, { cwe: query.cwe, language: query.language, shown: ranking[0]?.entry.cwe ?? [] });
    outcomes.push(
      outcomeOf(
        ranking.map((demo) => demo.entry),
        query.cwe,
      ),
    );
  }
  return scoreOutcomes(outcomes);
}

/**
 * For C and C++ queries: each query CWE's count, and what the top demonstration showed (its own
 * CWE when it carries it, else its first), most frequent first. The C memory-safety CWEs look
 * alike; this says which ones are taken for which.
 */
function cConfusion(tops: TopCwes): { cwe: string; n: number; shown: { cwe: string; n: number }[] }[] {
  const byCwe = new Map<string, Map<string, number>>();
  for (const top of tops.values()) {
    if (languageFamily(top.language) !== 'c-family') continue;
    const shown = top.shown.includes(top.cwe) ? top.cwe : (top.shown[0] ?? 'none');
    const counts = byCwe.get(top.cwe) ?? new Map<string, number>();
    byCwe.set(top.cwe, counts.set(shown, (counts.get(shown) ?? 0) + 1));
  }
  return [...byCwe]
    .map(([cwe, counts]) => ({
      cwe,
      n: [...counts.values()].reduce((sum, count) => sum + count, 0),
      shown: [...counts].map(([shownCwe, n]) => ({ cwe: shownCwe, n })).sort((a, b) => b.n - a.n || a.cwe.localeCompare(b.cwe)),
    }))
    .sort((a, b) => b.n - a.n || a.cwe.localeCompare(b.cwe));
}

function evaluateRandom(entries: CorpusEntry[], cases: RetrievalQueryCase[]): RetrievalScores {
  const expectations = cases.map((query) => randomExpectation(entries, query.language, query.cwe));
  const matched = expectations.filter((e) => e.avgMin !== undefined);
  return {
    n: cases.length,
    acc1: expectations.reduce((sum, e) => sum + e.acc1, 0) / (cases.length || 1),
    acc1Related: expectations.reduce((sum, e) => sum + e.acc1Related, 0) / (cases.length || 1),
    acc5: expectations.reduce((sum, e) => sum + e.acc5, 0) / (cases.length || 1),
    avgMinNumber: matched.reduce((sum, e) => sum + (e.avgMin ?? 0), 0) / (matched.length || 1),
    unmatched: cases.length - matched.length,
  };
}

/** With the CWE known (from an alert), the top demonstration must carry it wherever the corpus can. */
async function knownCweCheck(index: RetrievalIndex, sets: NamedQuerySet[]) {
  const cells = new Set(index.entries.flatMap((entry) => entry.cwe.map((cwe) => `${languageFamily(entry.language)}|${cwe}`)));
  const anyLanguage = new Set(index.entries.flatMap((entry) => entry.cwe));
  const retriever = new Retriever(index.entries, index.embedder, index.vectors, index.bm25, { classifier: index.classifier });
  const missingCells = new Set<string>();
  let coverable = 0;
  let correct = 0;
  // Queries whose language lacks the CWE but another language has it: shown that one instead.
  const crossLanguage = { n: 0, correct: 0 };
  for (const set of sets) {
    for (const query of set.cases) {
      const cell = `${languageFamily(query.language)}|${query.cwe}`;
      const [top] = await retriever.retrieve({ code: query.code, language: query.language, cwe: query.cwe, k: 1 });
      const hit = top?.entry.cwe.includes(query.cwe) ?? false;
      if (!cells.has(cell)) {
        missingCells.add(cell);
        if (anyLanguage.has(query.cwe)) {
          crossLanguage.n += 1;
          if (hit) crossLanguage.correct += 1;
        }
        continue;
      }
      coverable += 1;
      if (hit) correct += 1;
    }
  }
  return {
    coverable,
    acc1: coverable === 0 ? Number.NaN : correct / coverable,
    missingCells: [...missingCells].sort(),
    crossLanguage: { n: crossLanguage.n, acc1: crossLanguage.n === 0 ? Number.NaN : crossLanguage.correct / crossLanguage.n },
  };
}

async function speed(index: RetrievalIndex, entries: CorpusEntry[]) {
  // A 3,000-character function as the query: the longest seed entry not over 3,000 characters.
  const query = entries.filter((entry) => entry.code.length <= 3000).sort((a, b) => b.code.length - a.code.length)[0] as CorpusEntry;
  const result: Record<string, { p50Ms: number; p99Ms: number }> = {};
  for (const mode of ['bm25', 'dense', 'hybrid', 'cwe-aware'] as const) {
    const retriever = new Retriever(index.entries, index.embedder, index.vectors, index.bm25, { mode, classifier: index.classifier });
    const times: number[] = [];
    for (let i = 0; i < 220; i += 1) {
      const started = performance.now();
      await retriever.retrieve({ code: query.code, language: query.language, k: 5 });
      if (i >= 20) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    result[mode] = { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
  }
  const bm25 = result.bm25 as { p50Ms: number };
  return {
    queryChars: query.code.length,
    latency: result,
    ratioToBm25: Object.fromEntries(Object.entries(result).map(([mode, r]) => [mode, r.p50Ms / bm25.p50Ms])),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '../shared/datasets' },
      corpus: { type: 'string', default: 'corpus' },
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const corpusDir = resolve(values.corpus);
  const { entries } = await new LocalCorpusStore(corpusDir).read();

  const buildStarted = performance.now();
  const index = await openRetrievalIndex({ corpusDir, rebuild: true, persist: false });
  const buildSeconds = (performance.now() - buildStarted) / 1000;

  // Commits the retriever learned from: the corpus entries' and the classifier examples' (a val pair
  // from one of them has a near-duplicate sibling in training and is not "unseen").
  const examples = await readCweExamples(corpusDir);
  const seedCommits = new Set(
    [...entries.map((entry) => entry.source.commit), ...examples.map((example) => example.source.commit)].filter((commit): commit is string => Boolean(commit)),
  );
  const corpusCwes = new Set(entries.flatMap((entry) => entry.cwe));
  const sets = (await loadBenchmarkQuerySets(resolve(values.data), seedCommits)).map((set) =>
    set.name === 'generalization' ? { ...set, cases: set.cases.filter((query) => corpusCwes.has(query.cwe)) } : set,
  );

  const evidence = await analyzerEvidence(sets);
  const quality: Record<string, Record<string, RetrievalScores>> = {};
  const defaultTops: TopCwes = new Map();
  for (const set of sets) {
    quality[set.name] = { random: evaluateRandom(entries, set.cases) };
    for (const spec of RETRIEVERS) {
      const tops = spec === RETRIEVERS[0] ? defaultTops : undefined;
      (quality[set.name] as Record<string, RetrievalScores>)[spec.name] = await evaluate(index, spec, set.cases, evidence.byQuery, tops);
    }
  }
  const report = {
    corpus: { dir: corpusDir, entries: entries.length },
    sets: sets.map((set) => ({ name: set.name, description: set.description, n: set.cases.length })),
    quality,
    confusionC: { retriever: RETRIEVERS[0]?.name ?? '', cwes: cConfusion(defaultTops) },
    knownCwe: await knownCweCheck(index, sets),
    index: { buildSeconds, embedder: index.embedder.id, dim: index.embedder.dim },
    speed: { ...(await speed(index, entries)), analyzerEvidence: evidence.latency },
    scale: values.quick ? undefined : await runScaleBenchmark({ log: (line) => console.error(line) }),
  };
  const markdown = renderMarkdown(report);
  console.log(markdown);
  console.log(JSON.stringify(report));
  if (values.out) {
    await mkdir(values.out, { recursive: true });
    await writeFile(join(values.out, 'retrieval.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(values.out, 'retrieval.md'), `${markdown}\n`);
  }
}

await main();
