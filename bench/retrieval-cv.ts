// `npm run bench:retrieval-cv`: the tuning harness. Grouped k-fold cross-validation on the
// TRAINING pairs only (SVEN train + SafeCoder train); the evaluation sets of `bench:retrieval` are
// never read. Per fold: a corpus of the other folds' secure sides (cleaned as the seed corpus is),
// the index built on it exactly as the app builds one, and the held-out pairs' vulnerable sides as
// queries, asked two ways: the whole vulnerable function, and its shared prefix (the lines before
// the fix's first change: a prompt that stops before the dangerous line). Pairs sharing a commit
// or a repository file sit in one fold, so a query's own fix is never in its corpus.
// Usage: node dist/bench/retrieval-cv.js [--data ../shared/datasets] [--folds 5] [--configs a,b]
// The CV corpus uses no validation filter (folds never see the evaluation sets); acc@1 differences
// below about 0.02 on ~1,100 queries are noise.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { codeHash, normalizeCode, type CorpusEntry } from '../src/corpus/entry.js';
import { DEFAULT_SEED_MAX_CHARS } from '../src/corpus/seed.js';
import { DefaultEmbedder } from '../src/embed/default-embedder.js';
import { groupedFolds } from '../src/eval/grouped-folds.js';
import { loadTrainingPairs, type TrainingPair } from '../src/eval/training-pairs.js';
import { HnswVectorIndex } from '../src/index/hnsw-index.js';
import { languageFamily } from '../src/lang/languages.js';
import { Bm25Index } from '../src/retrieve/bm25.js';
import { trainCorpusClassifier, type CorpusClassifierOptions } from '../src/retrieve/classifier-store.js';
import { corpusHash } from '../src/corpus/hash.js';
import type { LabelledCode } from '../src/corpus/cwe-examples.js';
import type { CwePredictor } from '../src/retrieve/cwe-classifier.js';
import { EXAMPLE_KINDS, MIN_PREFIX_LINES, type ExampleKind } from '../src/corpus/cwe-examples.js';
import { cweExamplesOfPair } from '../src/eval/seed-cwe-examples.js';
import { Retriever, type RetrieverOptions } from '../src/retrieve/retriever.js';
import type { LabelledNeighbour, NeighbourSearch, NeighbourVoteOptions } from '../src/retrieve/neighbour-vote.js';
import type { Embedder } from '../src/embed/types.js';
import { cvQueryText, CV_QUERY_KINDS, type CvQueryKind } from './cv-queries.js';
import type { AnalyzerEvidenceOptions } from '../src/retrieve/analyzer-evidence.js';
import type { FindingsCache } from './query-findings.js';
import { cweArchivePath, EXAMPLE_CODE, WEAKNESS, xhtmlText } from '../src/cwe/mitre-documents.js';
import { readFileSync } from 'node:fs';
import { SequenceClassifier, type SequenceClassifierOptions } from './sequence-classifier.js';

let goodExamples: Map<string, string[]> | undefined;
/** MITRE's "Good" demonstrative example code per CWE (secure code of the weakness, as corpus entries are), for a variant. */
function mitreGoodExamples(cwes: Iterable<string>): LabelledCode[] {
  if (!goodExamples) {
    goodExamples = new Map();
    const xml = readFileSync(cweArchivePath(), 'utf8');
    for (const [, attributes = '', body = ''] of xml.matchAll(WEAKNESS)) {
      const id = /\bID="(\d+)"/.exec(attributes)?.[1];
      if (!id) continue;
      const codes = [...body.matchAll(EXAMPLE_CODE)]
        .filter(([, codeAttributes = '']) => /\bNature="Good"/.test(codeAttributes))
        .map(([, , code = '']) => xhtmlText(code))
        .filter((code) => code !== '');
      if (codes.length > 0) goodExamples.set(`CWE-${id}`, codes);
    }
  }
  return [...new Set(cwes)].flatMap((cwe) => (goodExamples?.get(cwe) ?? []).map((code) => ({ code, cwe: [cwe] })));
}

/** Cosine search over labelled documents (the fold's entries, and the examples when asked). */
async function neighbourSearch(
  embedder: Embedder,
  entries: readonly CorpusEntry[],
  entryVectors: HnswVectorIndex,
  examples: readonly LabelledCode[],
  from: 'entries' | 'all',
): Promise<NeighbourSearch> {
  if (from === 'entries') {
    return (vector, k) =>
      entryVectors.search(vector, k).map((hit): LabelledNeighbour => ({ cwe: (entries[hit.label] as CorpusEntry).cwe, similarity: hit.score }));
  }
  const documents: LabelledCode[] = [...entries.map((entry) => ({ code: entry.code, cwe: entry.cwe })), ...examples];
  const index = new HnswVectorIndex(embedder.dim);
  index.add(await embedder.embed(documents.map((doc) => doc.code)));
  return (vector, k) => index.search(vector, k).map((hit): LabelledNeighbour => ({ cwe: (documents[hit.label] as LabelledCode).cwe, similarity: hit.score }));
}

/** A way of training and using the classifier, compared on the same folds. */
interface CvConfig {
  /** Kinds of corpus/cwe-examples.jsonl examples (built from the training folds' pairs) to train on. */
  examples?: readonly ExampleKind[];
  /** Take examples from every training pair, not only those whose secure side made the corpus. */
  examplesFromAllPairs?: boolean;
  /** Train on the examples alone, not on the corpus's secure functions. */
  examplesOnly?: boolean;
  /** Also each vulnerable example cut after these fractions of its lines (prompts stop anywhere). */
  truncations?: readonly number[];
  /** Longest example kept (default the corpus's cap). */
  exampleMaxChars?: number;
  classifier?: CorpusClassifierOptions;
  retriever?: Omit<RetrieverOptions, 'classifier' | 'mode'>;
  /** Mix the classifier with a vote of the BM25-nearest labelled documents (corpus + examples): weight, neighbours. */
  knn?: { weight: number; k: number };
  /** Near labelled documents vote on the CWE, gated by the nearest one's similarity (neighbour-vote.ts). */
  neighbours?: { from: 'entries' | 'all'; vote?: NeighbourVoteOptions };
  /**
   * How the analyzers' findings on the query are weighed (false: not at all). They come from
   * --findings, a cache written by bench:query-findings; without it no query has evidence.
   */
  evidence?: AnalyzerEvidenceOptions | false;
  /** Also train on MITRE's "Good" example code of each labelled CWE. */
  mitreGood?: boolean;
  /** Mix in a convolutional sequence classifier trained on the same code: P ∝ classifier^(1−w)·sequence^w. */
  sequence?: { weight: number; options?: SequenceClassifierOptions };
}

/** The geometric mix of two predictors over the first one's classes (a class the second lacks gets its floor). */
function geometricMix(first: CwePredictor, second: CwePredictor, weight: number): CwePredictor {
  const secondIndex = new Map(second.classes.map((cwe, i) => [cwe, i]));
  return {
    classes: first.classes,
    predict(code: string): Float64Array {
      const p = first.predict(code);
      const q = second.predict(code);
      const mixed = p.map((value, c) => {
        const j = secondIndex.get(first.classes[c] as string);
        const other = j === undefined ? 1e-6 : Math.max(q[j] as number, 1e-6);
        return Math.exp((1 - weight) * Math.log(Math.max(value, 1e-12)) + weight * Math.log(other));
      });
      const total = mixed.reduce((a, b) => a + b, 0);
      return mixed.map((value) => value / total);
    },
  };
}

/** P(CWE) = (1 − w)·classifier + w·share of the k BM25-nearest labelled documents with that CWE. */
function knnMix(classifier: CwePredictor, documents: readonly LabelledCode[], weight: number, k: number): CwePredictor {
  const bm25 = new Bm25Index();
  bm25.add(documents.map((doc) => doc.code));
  const classIndex = new Map(classifier.classes.map((cwe, i) => [cwe, i]));
  return {
    classes: classifier.classes,
    predict(code: string): Float64Array {
      const p = classifier.predict(code);
      const vote = new Float64Array(p.length);
      const hits = bm25.search(code, k);
      for (const hit of hits) {
        const labels = (documents[hit.doc] as LabelledCode).cwe;
        for (const cwe of labels) {
          const c = classIndex.get(cwe);
          if (c !== undefined) vote[c] = (vote[c] as number) + 1 / labels.length / hits.length;
        }
      }
      return p.map((value, c) => (1 - weight) * value + weight * (vote[c] as number));
    },
  };
}

/**
 * What ships: every kind of example from every training pair, as scripts/build-seed-corpus.ts
 * writes them, MITRE's documents of each CWE, and the analyzers' evidence with its defaults.
 */
const SEED_EXAMPLES: CvConfig = { examples: EXAMPLE_KINDS, examplesFromAllPairs: true, evidence: {} };

// Variants measured while tuning are kept so the comparison can be rerun (`--configs a,b`).
const CONFIGS: Record<string, CvConfig> = {
  'corpus only': {},
  'seed examples': SEED_EXAMPLES,
  vulnerable: { examples: ['vulnerable'] },
  'vulnerable+prefix': { examples: ['vulnerable', 'prefix'] },
  'all examples corpus pairs': { examples: EXAMPLE_KINDS },
  'seed examples uncapped': { ...SEED_EXAMPLES, exampleMaxChars: Number.POSITIVE_INFINITY },
  'seed examples l2=1e-3': { ...SEED_EXAMPLES, classifier: { l2: 1e-3 } },
  'seed examples concept=4': { ...SEED_EXAMPLES, classifier: { conceptWeight: 4 } },
  'seed examples sim=5': { ...SEED_EXAMPLES, retriever: { similarityWeight: 5 } },
  'seed examples only': { ...SEED_EXAMPLES, examplesOnly: true },
  'seed examples halves': { ...SEED_EXAMPLES, truncations: [0.5] },
  'seed examples thirds': { ...SEED_EXAMPLES, truncations: [0.33, 0.67] },
  'seed examples knn .3/10': { ...SEED_EXAMPLES, knn: { weight: 0.3, k: 10 } },
  'seed examples knn .5/5': { ...SEED_EXAMPLES, knn: { weight: 0.5, k: 5 } },
  'seed examples knn .2/3': { ...SEED_EXAMPLES, knn: { weight: 0.2, k: 3 } },
  'seed examples sim=1': { ...SEED_EXAMPLES, retriever: { similarityWeight: 1 } },
  'seed examples sim=3': { ...SEED_EXAMPLES, retriever: { similarityWeight: 3 } },
  'seed examples lang-penalty=2': { ...SEED_EXAMPLES, retriever: { otherLanguagePenalty: 2 } },
  'seed examples lang-penalty=4': { ...SEED_EXAMPLES, retriever: { otherLanguagePenalty: 4 } },
  // The defaults before class weight power 1 and the soft language filter.
  'seed examples classpow=0.5': { ...SEED_EXAMPLES, classifier: { classWeightPower: 0.5 } },
  'seed examples strict language': { ...SEED_EXAMPLES, retriever: { otherLanguagePenalty: Number.POSITIVE_INFINITY } },
  'seed examples classpow=0.5 strict language': {
    ...SEED_EXAMPLES,
    classifier: { classWeightPower: 0.5 },
    retriever: { otherLanguagePenalty: Number.POSITIVE_INFINITY },
  },
  'seed examples classpow=1.5': { ...SEED_EXAMPLES, classifier: { classWeightPower: 1.5 } },
  'nv entries': { ...SEED_EXAMPLES, neighbours: { from: 'entries' } },
  'nv all': { ...SEED_EXAMPLES, neighbours: { from: 'all' } },
  'nv all .5-.8': { ...SEED_EXAMPLES, neighbours: { from: 'all', vote: { low: 0.5, high: 0.8 } } },
  'nv all .7-.95': { ...SEED_EXAMPLES, neighbours: { from: 'all', vote: { low: 0.7, high: 0.95 } } },
  'nv all w.9': { ...SEED_EXAMPLES, neighbours: { from: 'all', vote: { maxWeight: 0.9 } } },
  'nv all k1': { ...SEED_EXAMPLES, neighbours: { from: 'all', vote: { k: 1 } } },
  'nv all k10': { ...SEED_EXAMPLES, neighbours: { from: 'all', vote: { k: 10 } } },
  'mitre good': { ...SEED_EXAMPLES, mitreGood: true },
  // A near copy decides: measured on queries with a fix of their file in the corpus (--group commit).
  'nv entries .8-.95 w.9': { ...SEED_EXAMPLES, neighbours: { from: 'entries', vote: { low: 0.8, high: 0.95, maxWeight: 0.9 } } },
  'nv entries k1 .85-.95 w1': { ...SEED_EXAMPLES, neighbours: { from: 'entries', vote: { k: 1, low: 0.85, high: 0.95, maxWeight: 1 } } },
  'nv entries k3 .7-.9 w.9': { ...SEED_EXAMPLES, neighbours: { from: 'entries', vote: { k: 3, low: 0.7, high: 0.9, maxWeight: 0.9 } } },
  // The default before MITRE's documents and the analyzers' evidence.
  'no mitre no evidence': { ...SEED_EXAMPLES, classifier: { mitreDocuments: false }, evidence: false },
  'no mitre': { ...SEED_EXAMPLES, classifier: { mitreDocuments: false } },
  'no evidence': { ...SEED_EXAMPLES, evidence: false },
  'bigrams 0.5': { ...SEED_EXAMPLES, classifier: { bigramWeight: 0.5 } },
  'bigrams 1': { ...SEED_EXAMPLES, classifier: { bigramWeight: 1 } },
  'evidence 0.75 all tools': { ...SEED_EXAMPLES, evidence: { strength: 0.75, ignoreTools: [] } },
  'evidence 1.5 all tools': { ...SEED_EXAMPLES, evidence: { strength: 1.5, ignoreTools: [] } },
  'evidence 3 all tools': { ...SEED_EXAMPLES, evidence: { strength: 3, ignoreTools: [] } },
  'evidence 6 all tools': { ...SEED_EXAMPLES, evidence: { strength: 6, ignoreTools: [] } },
  'evidence 1.5': { ...SEED_EXAMPLES, evidence: { strength: 1.5 } },
  // A convolutional network over the token sequence (sequence-classifier.ts), alone and mixed
  // geometrically with the classifier. Measured (commit+file folds, function acc@1, seed examples
  // .705): alone .561–.591, c-family .29–.34 (classifier .430); mixed at .15 / .3 / .45 with the
  // 128-filter model .695 / .677 / .657, with width 5 at .15 / .3 .703 / .681. It learns less from
  // ~4,000 documents than the bag of tokens and drags the mix down, so it is not shipped.
  'sequence alone': { ...SEED_EXAMPLES, sequence: { weight: 1 } },
  'sequence alone e20': { ...SEED_EXAMPLES, sequence: { weight: 1, options: { epochs: 20 } } },
  'sequence alone e20 lr.01': { ...SEED_EXAMPLES, sequence: { weight: 1, options: { epochs: 20, learningRate: 0.01 } } },
  'sequence alone e20 w5': { ...SEED_EXAMPLES, sequence: { weight: 1, options: { epochs: 20, width: 5 } } },
  'sequence alone e20 f128 d32': { ...SEED_EXAMPLES, sequence: { weight: 1, options: { epochs: 20, filters: 128, embeddingDim: 32 } } },
  'sequence .15 f128': { ...SEED_EXAMPLES, sequence: { weight: 0.15, options: { epochs: 20, filters: 128, embeddingDim: 32 } } },
  'sequence .3 f128': { ...SEED_EXAMPLES, sequence: { weight: 0.3, options: { epochs: 20, filters: 128, embeddingDim: 32 } } },
  'sequence .45 f128': { ...SEED_EXAMPLES, sequence: { weight: 0.45, options: { epochs: 20, filters: 128, embeddingDim: 32 } } },
  'sequence .15 w5': { ...SEED_EXAMPLES, sequence: { weight: 0.15, options: { epochs: 20, width: 5 } } },
  'sequence .3 w5': { ...SEED_EXAMPLES, sequence: { weight: 0.3, options: { epochs: 20, width: 5 } } },
};
const DEFAULT_CONFIGS = ['corpus only', 'seed examples'];

/** Secure sides as the seed corpus takes them: changed, not too long, duplicates merged. */
function corpusOf(pairs: readonly TrainingPair[]): CorpusEntry[] {
  const byHash = new Map<string, CorpusEntry>();
  for (const pair of pairs) {
    const code = normalizeCode(pair.after);
    if (code === normalizeCode(pair.before) || pair.after.length > DEFAULT_SEED_MAX_CHARS) continue;
    const sha256 = codeHash(code);
    const earlier = byHash.get(sha256);
    if (earlier) {
      if (!earlier.cwe.includes(pair.cwe)) earlier.cwe.push(pair.cwe);
      continue;
    }
    byHash.set(sha256, {
      id: `cv-${sha256.slice(0, 16)}`,
      language: pair.language,
      code,
      cwe: [pair.cwe],
      source: { repo: pair.repo, commit: pair.commit, path: pair.file, dataset: pair.dataset },
      origin: 'seed',
      addedAt: '2024-07-14T00:00:00.000Z',
      sha256,
    });
  }
  return [...byHash.values()];
}

/** The examples the seed script would write for these pairs: only fixes whose secure side is in the corpus. */
function examplesOf(pairs: readonly TrainingPair[], entries: readonly CorpusEntry[], config: CvConfig): LabelledCode[] {
  const inCorpus = new Set(entries.map((entry) => entry.sha256));
  const kinds = config.examples ?? [];
  return pairs
    .filter((pair) => config.examplesFromAllPairs === true || inCorpus.has(codeHash(pair.after)))
    .flatMap((pair) => cweExamplesOfPair(pair, config.exampleMaxChars ?? DEFAULT_SEED_MAX_CHARS))
    .filter((example) => kinds.includes(example.kind))
    .flatMap((example) => {
      const whole = { code: example.code, cwe: example.cwe };
      if (example.kind !== 'vulnerable') return [whole];
      const lines = example.code.split('\n');
      const cuts = (config.truncations ?? []).map((fraction) => lines.slice(0, Math.round(lines.length * fraction)).join('\n'));
      return [whole, ...cuts.filter((code) => code.split('\n').length >= MIN_PREFIX_LINES).map((code) => ({ code, cwe: example.cwe }))];
    });
}

interface Tally {
  hits: number;
  n: number;
}

type Results = Map<string, Map<string, Tally>>; // retriever × "kind|language" or "kind|cwe:CWE-n" → tally

/** Per-CWE tallies, averaged into a macro column: the evaluation scenario sets hold a few queries per CWE, not the training mix. */
const CWE_KEY = 'cwe:';

function count(results: Results, retriever: string, key: string, hit: boolean): void {
  const byKey = results.get(retriever) ?? new Map<string, Tally>();
  results.set(retriever, byKey);
  const tally = byKey.get(key) ?? { hits: 0, n: 0 };
  byKey.set(key, tally);
  tally.n += 1;
  if (hit) tally.hits += 1;
}

async function runFold(
  pairs: TrainingPair[],
  folds: number[],
  fold: number,
  configs: [string, CvConfig][],
  results: Results,
  findings: FindingsCache | undefined,
): Promise<void> {
  const training = pairs.filter((_, i) => folds[i] !== fold);
  const heldOut = pairs.filter((pair, i) => folds[i] === fold && normalizeCode(pair.before) !== normalizeCode(pair.after));
  const entries = corpusOf(training);
  const embedder = await DefaultEmbedder.train(
    entries.map((entry) => entry.code),
    { entries: entries.length, corpusHash: corpusHash(entries) },
  );
  const vectors = new HnswVectorIndex(embedder.dim);
  vectors.add(await embedder.embed(entries.map((entry) => entry.code)));
  const bm25 = new Bm25Index();
  bm25.add(entries.map((entry) => entry.code));
  const retrievers: [string, Retriever][] = [
    ['bm25+lang', new Retriever(entries, embedder, vectors, bm25, { mode: 'bm25' })],
    ['dense+lang', new Retriever(entries, embedder, vectors, bm25, { mode: 'dense' })],
    ['hybrid+lang', new Retriever(entries, embedder, vectors, bm25, { mode: 'hybrid' })],
  ];
  // Configs that differ only in how a sequence model is mixed share the fold's trained model.
  const trainedSequences = new Map<string, SequenceClassifier | undefined>();
  const sequenceModels = (key: string, options: SequenceClassifierOptions | undefined, documents: LabelledCode[]) => {
    if (!trainedSequences.has(key)) trainedSequences.set(key, SequenceClassifier.train(documents, options));
    return trainedSequences.get(key);
  };
  for (const [name, config] of configs) {
    const examples = [
      ...examplesOf(training, entries, config),
      ...(config.mitreGood ? mitreGoodExamples([...entries.flatMap((entry) => entry.cwe), ...training.map((pair) => pair.cwe)]) : []),
    ];
    const trained = trainCorpusClassifier(config.examplesOnly ? [] : entries, examples, config.classifier);
    const sequence = config.sequence;
    const sequenceModel = sequence
      ? sequenceModels(JSON.stringify(sequence.options ?? {}), sequence.options, [
          ...entries.map((entry) => ({ code: entry.code, cwe: entry.cwe })),
          ...examples,
        ])
      : undefined;
    const mixedTrained =
      trained && sequence && sequenceModel ? (sequence.weight >= 1 ? sequenceModel : geometricMix(trained, sequenceModel, sequence.weight)) : trained;
    const classifier =
      mixedTrained && config.knn
        ? knnMix(mixedTrained, [...entries.map((entry) => ({ code: entry.code, cwe: entry.cwe })), ...examples], config.knn.weight, config.knn.k)
        : mixedTrained;
    const neighbours = config.neighbours ? await neighbourSearch(embedder, entries, vectors, examples, config.neighbours.from) : undefined;
    retrievers.push([
      name,
      new Retriever(entries, embedder, vectors, bm25, {
        ...config.retriever,
        mode: 'cwe-aware',
        classifier,
        neighbours,
        neighbourVote: config.neighbours?.vote,
        evidence: config.evidence,
      }),
    ]);
  }
  // Queries whose file or repository has a fix in this fold's corpus (only grouping by commit
  // allows it): the case where a near neighbour may know the answer.
  const filesInCorpus = new Set(entries.map((entry) => `${entry.source.repo ?? ''}/${entry.source.path ?? ''}`));
  const reposInCorpus = new Set(entries.map((entry) => entry.source.repo ?? ''));
  for (const pair of heldOut) {
    const neighbourhood = filesInCorpus.has(`${pair.repo ?? ''}/${pair.file}`) ? 'same-file' : reposInCorpus.has(pair.repo ?? '') ? 'same-repo' : undefined;
    for (const kind of CV_QUERY_KINDS) {
      const code = cvQueryText(pair, kind);
      if (code === undefined) continue;
      for (const [name, retriever] of retrievers) {
        const evidence = findings?.[pair.id]?.[kind];
        const [top] = await retriever.retrieve({ code, language: pair.language, k: 1, evidence });
        const hit = top?.entry.cwe.includes(pair.cwe) ?? false;
        count(results, name, `${kind}|${languageFamily(pair.language)}`, hit);
        count(results, name, `${kind}|all`, hit);
        if (neighbourhood) count(results, name, `${kind}|${neighbourhood}`, hit);
        count(results, name, `${kind}|${CWE_KEY}${pair.cwe}`, hit);
      }
    }
  }
  console.error(`fold ${fold + 1}: corpus ${entries.length}, held-out pairs ${heldOut.length}`);
}

/** Mean over CWEs of each CWE's acc@1, per query kind. */
function macroAccuracy(byKey: Map<string, Tally>, kind: string): number {
  const perCwe = [...byKey].filter(([key, tally]) => key.startsWith(`${kind}|${CWE_KEY}`) && tally.n > 0).map(([, tally]) => tally.hits / tally.n);
  return perCwe.reduce((sum, value) => sum + value, 0) / (perCwe.length || 1);
}

function renderTable(results: Results): string {
  const columns = [...new Set([...results.values()].flatMap((byKey) => [...byKey.keys()]))]
    .filter((key) => !key.includes(CWE_KEY))
    .sort((a, b) => {
      const [ka, la] = a.split('|') as [string, string];
      const [kb, lb] = b.split('|') as [string, string];
      return ka.localeCompare(kb) || (la === 'all' ? -1 : lb === 'all' ? 1 : la.localeCompare(lb));
    });
  const n = (key: string) => [...results.values()][0]?.get(key)?.n ?? 0;
  const lines = [
    `| retriever | ${CV_QUERY_KINDS.map((kind) => `${kind} macro`).join(' | ')} | ${columns.map((key) => `${key.replace('|', ' ')} (${n(key)})`).join(' | ')} |`,
    `| --- | ${[...CV_QUERY_KINDS, ...columns].map(() => '---').join(' | ')} |`,
  ];
  for (const [name, byKey] of results) {
    const cells = columns.map((key) => {
      const tally = byKey.get(key);
      return tally && tally.n > 0 ? (tally.hits / tally.n).toFixed(3) : '–';
    });
    lines.push(`| ${name} | ${CV_QUERY_KINDS.map((kind) => macroAccuracy(byKey, kind).toFixed(3)).join(' | ')} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** acc@1 per query CWE for one query kind, CWEs with at least `minQueries` queries, most frequent first. */
function renderPerCwe(results: Results, kind: CvQueryKind, minQueries: number): string {
  const prefix = `${kind}|${CWE_KEY}`;
  const first = [...results.values()][0] ?? new Map<string, Tally>();
  const cwes = [...first]
    .filter(([key, tally]) => key.startsWith(prefix) && tally.n >= minQueries)
    .sort(([, a], [, b]) => b.n - a.n)
    .map(([key, tally]) => ({ key, cwe: key.slice(prefix.length), n: tally.n }));
  const lines = [`| retriever | ${cwes.map(({ cwe, n }) => `${cwe} (${n})`).join(' | ')} |`, `| --- | ${cwes.map(() => '---').join(' | ')} |`];
  for (const [name, byKey] of results) {
    lines.push(
      `| ${name} | ${cwes
        .map(({ key }) => {
          const t = byKey.get(key);
          return t && t.n > 0 ? (t.hits / t.n).toFixed(2) : '–';
        })
        .join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '../shared/datasets' },
      folds: { type: 'string', default: '5' },
      // 'commit+file' (default): a query never meets another fix of its file. 'commit': as in
      // bench:retrieval's unseen-commit set, other commits' fixes of the same file may be in the corpus.
      group: { type: 'string', default: 'commit+file' },
      configs: { type: 'string', default: DEFAULT_CONFIGS.join(',') },
      // A cache of the analyzers' findings on every query (bench:query-findings), for 'evidence' configs.
      findings: { type: 'string' },
    },
  });
  const k = Number(values.folds);
  if (!Number.isInteger(k) || k < 2) throw new Error(`--folds must be an integer ≥ 2, got ${values.folds}`);
  const configs = values.configs
    .split(',')
    .map((name) => name.trim())
    .map((name): [string, CvConfig] => {
      const config = CONFIGS[name];
      if (!config) throw new Error(`unknown config ${name}: one of ${Object.keys(CONFIGS).join(', ')}`);
      return [name, config];
    });
  const pairs = await loadTrainingPairs(values.data);
  if (values.group !== 'commit+file' && values.group !== 'commit') throw new Error(`--group must be commit+file or commit, got ${values.group}`);
  const byFile = values.group === 'commit+file';
  const folds = groupedFolds(
    pairs.map((pair) => [pair.commit ? `commit:${pair.commit}` : `pair:${pair.id}`, ...(byFile ? [`file:${pair.repo ?? ''}/${pair.file}`] : [])]),
    k,
  );
  const results: Results = new Map();
  const findings = values.findings ? (JSON.parse(await readFile(values.findings, 'utf8')) as FindingsCache) : undefined;
  for (let fold = 0; fold < k; fold += 1) await runFold(pairs, folds, fold, configs, results, findings);
  console.log(`Grouped (${values.group}) ${k}-fold CV on training pairs (${pairs.length}); acc@1 of the top demonstration, language filter on.`);
  console.log(
    findings
      ? `Analyzer evidence from ${values.findings}.\n`
      : 'Analyzer evidence: none (no --findings; run npm run bench:query-findings -- --out FILE first to include it).\n',
  );
  console.log(renderTable(results));
  console.log(`\nPer CWE (whole functions; CWEs with at least 10 queries): acc@1 per retriever.\n`);
  console.log(renderPerCwe(results, 'function', 10));
}

await main();
