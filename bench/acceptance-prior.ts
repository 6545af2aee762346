// `npm run bench:acceptance`: does the acceptance prior (src/retrieve/acceptance-prior.ts) move
// "bad" corpus entries down without hiding good rare ones? A closed-loop simulation over the seed
// corpus and the benchmark queries of `bench:retrieval` (SVEN and SafeCoder evaluation scenarios
// and val pairs): some entries are bad (developers dismiss the suggestions they taught); rounds of
// queries go through the real cwe-aware Retriever as the App asks it (k = 3 retrieved, the first
// `demonstrations` shown; half the queries come with their CWE, as from a code-scanning alert); a
// simulated developer applies, dismisses or leaves each suggestion; the outcomes become
// feedback.jsonl records → acceptanceByEntry → acceptancePrior → the next round's retriever. The
// baseline is the same run with the prior off.
//
// The queries are split once, by commit or scenario, into a training half (for `--tune`, which
// sweeps the prior's constants) and a held-out half (the report, read once with the chosen
// constants). Seeded: the same arguments give the same figures.
// Usage: node dist/bench/acceptance-prior.js [--data ../shared/datasets] [--corpus corpus]
//   [--fold heldout|train] [--rounds 12] [--seeds 5] [--tune] [--out dir]
// JSON on stdout, a short table on stderr.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CorpusEntry } from '../src/corpus/entry.js';
import { acceptanceByEntry, type FeedbackRecord } from '../src/corpus/feedback.js';
import type { Embedder } from '../src/embed/types.js';
import { loadBenchmarkQuerySets, type RetrievalQueryCase } from '../src/eval/scenarios.js';
import { seededRandom } from '../src/eval/security/modes.js';
import { acceptancePrior, DEFAULT_ACCEPTANCE_PRIOR, type AcceptancePriorOptions } from '../src/retrieve/acceptance-prior.js';
import type { CwePredictor } from '../src/retrieve/cwe-classifier.js';
import { openRetrievalIndex, type RetrievalIndex } from '../src/retrieve/open-index.js';
import { Retriever, type RetrievalQuery } from '../src/retrieve/retriever.js';

/** Demonstrations the App retrieves per target (config/options.ts: at least 3). */
const RETRIEVED = 3;
/** Depth of the ranking read for the mean rank of bad entries (an entry below it counts as DEPTH + 1). */
const DEPTH = 10;

/** How a simulated developer treats a suggestion. */
interface Developer {
  /** P(dismissed) when a shown demonstration is bad (else left). */
  badDismissed: number;
  /** P(applied) and P(dismissed) otherwise (else left). */
  applied: number;
  dismissed: number;
}

const CAREFUL: Developer = { badDismissed: 0.8, applied: 0.5, dismissed: 0.1 };
/** Dismisses good suggestions at random 30% of the time, applies only as many. */
const NOISY: Developer = { badDismissed: 0.8, applied: 0.3, dismissed: 0.3 };

interface Scenario {
  name: string;
  /** Demonstrations shown per suggestion (the config's `demonstrations`; the App's default is 1). */
  show: number;
  developer: Developer;
  /** Whether some entries are bad. */
  bad: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'careful, show 1', show: 1, developer: CAREFUL, bad: true },
  { name: 'careful, show 3', show: 3, developer: CAREFUL, bad: true },
  { name: 'noisy, show 3', show: 3, developer: NOISY, bad: true },
  { name: 'noisy, show 3, no bad', show: 3, developer: NOISY, bad: false },
];

/** Bad entries: this share of the entries the fold's queries retrieve, drawn by how often (among those retrieved twice or more)… */
const BAD_FREQUENT_SHARE = 0.05;
/** …plus this share of the whole corpus, drawn uniformly (a poisoned entry need not be popular). */
const BAD_RANDOM_SHARE = 0.01;
/** A good entry at rank 1 for at most this many of the fold's queries is "rare"; so is any entry of a CWE with at most RARE_CWE_ENTRIES entries. */
const RARE_RANK1_QUERIES = 2;
const RARE_CWE_ENTRIES = 3;

interface SimQuery extends RetrievalQueryCase {
  /** Asked with its CWE, as from an alert. */
  alert: boolean;
}

function hashOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}

/** Queries sharing a fix commit or a scenario (the same scenario appears in several sets) share a fold. */
function groupOf(query: RetrievalQueryCase): string {
  if (query.commit) return `commit:${query.commit}`;
  return `scenario:${query.id.split('/').slice(-2).join('/')}`;
}

const FOLDS = ['train', 'heldout'] as const;
type Fold = (typeof FOLDS)[number];

function foldOf(query: RetrievalQueryCase): Fold {
  return hashOf(`acceptance-fold:${groupOf(query)}`) % 2 === 0 ? 'train' : 'heldout';
}

/** The same vectors and probabilities, each computed once: rounds ask the same queries again. */
function memoEmbedder(embedder: Embedder): Embedder {
  const cache = new Map<string, Float32Array>();
  return {
    id: embedder.id,
    dim: embedder.dim,
    async embed(texts) {
      const missing = [...new Set(texts.filter((text) => !cache.has(text)))];
      if (missing.length > 0) (await embedder.embed(missing)).forEach((vector, i) => cache.set(missing[i] as string, vector));
      return texts.map((text) => cache.get(text) as Float32Array);
    },
  };
}

function memoClassifier(classifier: CwePredictor): CwePredictor {
  const cache = new Map<string, Float64Array>();
  return {
    classes: classifier.classes,
    predict(code) {
      let probabilities = cache.get(code);
      if (!probabilities) cache.set(code, (probabilities = classifier.predict(code)));
      return probabilities;
    },
  };
}

class Bench {
  private readonly embedder: Embedder;
  private readonly classifier: CwePredictor;
  private readonly baselines = new Map<string, string[]>();

  constructor(readonly index: RetrievalIndex) {
    if (!index.classifier) throw new Error('the corpus has fewer than two CWEs: no cwe-aware retrieval to measure');
    this.embedder = memoEmbedder(index.embedder);
    this.classifier = memoClassifier(index.classifier);
  }

  retriever(prior?: (entryId: string) => number): Retriever {
    return new Retriever(this.index.entries, this.embedder, this.index.vectors, this.index.bm25, {
      mode: 'cwe-aware',
      classifier: this.classifier,
      prior,
    });
  }

  async ids(retriever: Retriever, query: RetrievalQuery): Promise<string[]> {
    return (await retriever.retrieve(query)).map((demo) => demo.entry.id);
  }

  /** The ranking with the prior off (cached: it never changes). */
  async baseline(query: RetrievalQuery): Promise<string[]> {
    const key = `${query.k ?? 5}|${query.cwe ?? ''}|${query.language ?? ''}|${query.code}`;
    let ids = this.baselines.get(key);
    if (!ids) this.baselines.set(key, (ids = await this.ids(this.retriever(), query)));
    return ids;
  }
}

/** As the App asks: k = 3, the query's language, its CWE when it came with an alert. */
const asked = (query: SimQuery, k = RETRIEVED): RetrievalQuery => ({ code: query.code, language: query.language, cwe: query.alert ? query.cwe : undefined, k });
/** As bench:retrieval measures acc@1: no CWE given, the classifier decides. */
const unlabelled = (query: SimQuery): RetrievalQuery => ({ code: query.code, language: query.language, k: RETRIEVED });

/** `count` distinct items drawn with probability proportional to their weight. */
function drawWeighted<T>(items: readonly { item: T; weight: number }[], count: number, random: () => number): T[] {
  const pool = [...items];
  const drawn: T[] = [];
  while (drawn.length < count && pool.length > 0) {
    const total = pool.reduce((sum, { weight }) => sum + weight, 0);
    let point = random() * total;
    let at = pool.findIndex(({ weight }) => (point -= weight) < 0);
    if (at < 0) at = pool.length - 1;
    drawn.push((pool[at] as { item: T }).item);
    pool.splice(at, 1);
  }
  return drawn;
}

interface FoldView {
  queries: SimQuery[];
  /** Baseline top-k per query (as asked). */
  top: Map<string, string[]>;
  /** How many of the fold's queries retrieve each entry in their top k, and at rank 1. */
  retrieved: Map<string, number>;
  rank1: Map<string, number>;
}

async function viewOf(bench: Bench, queries: SimQuery[]): Promise<FoldView> {
  const top = new Map<string, string[]>();
  const retrieved = new Map<string, number>();
  const rank1 = new Map<string, number>();
  for (const query of queries) {
    const ids = await bench.baseline(asked(query));
    top.set(query.id, ids);
    for (const id of ids) retrieved.set(id, (retrieved.get(id) ?? 0) + 1);
    if (ids[0]) rank1.set(ids[0], (rank1.get(ids[0]) ?? 0) + 1);
  }
  return { queries, top, retrieved, rank1 };
}

function pickBad(entries: readonly CorpusEntry[], view: FoldView, random: () => number): Set<string> {
  const frequent = [...view.retrieved].filter(([, count]) => count >= 2).map(([item, weight]) => ({ item, weight }));
  const bad = drawWeighted(frequent, Math.ceil(BAD_FREQUENT_SHARE * view.retrieved.size), random);
  const rest = entries.filter((entry) => !bad.includes(entry.id)).map((entry) => ({ item: entry.id, weight: 1 }));
  bad.push(...drawWeighted(rest, Math.ceil(BAD_RANDOM_SHARE * entries.length), random));
  return new Set(bad);
}

/** Good entries whose place matters most and is easiest to lose: of a rare CWE, or the first demonstration for only a few queries. */
function goodRare(entries: readonly CorpusEntry[], view: FoldView, bad: ReadonlySet<string>): { rare: Set<string>; rareCwe: Set<string> } {
  const perCwe = new Map<string, number>();
  for (const entry of entries) for (const cwe of entry.cwe) perCwe.set(cwe, (perCwe.get(cwe) ?? 0) + 1);
  const rareCwe = new Set(
    entries.filter((entry) => !bad.has(entry.id) && entry.cwe.every((cwe) => (perCwe.get(cwe) ?? 0) <= RARE_CWE_ENTRIES)).map((entry) => entry.id),
  );
  const rare = new Set(rareCwe);
  for (const [id, count] of view.rank1) if (!bad.has(id) && count <= RARE_RANK1_QUERIES) rare.add(id);
  return { rare, rareCwe };
}

interface RoundFigures {
  round: number;
  /** Share of suggestions whose first demonstration is bad, with the prior and without. */
  badAt1: number;
  badAt1Baseline: number;
  /** Share whose top k (retrieved) holds a bad entry. */
  badInTopK: number;
  badInTopKBaseline: number;
  /** Share whose shown demonstrations hold a bad entry (= badAt1 when one is shown). */
  badShown: number;
  /** Share of the suggestions the simulated developer dismissed. */
  dismissed: number;
  /** Of the (query, good rare entry at rank 1 without the prior) pairs: still at rank 1 with it. */
  goodRareAt1: number;
  /** With `ranksEveryRound`: the mean rank of bad entries, as in FinalFigures. */
  meanBadRank?: number;
  meanBadRankBaseline?: number;
}

interface FinalFigures {
  /** After the last round's feedback. */
  badAt1: number;
  badAt1Baseline: number;
  badInTopK: number;
  badInTopKBaseline: number;
  /** Mean rank of bad entries over (query, bad entry in the top DEPTH without the prior) pairs; below DEPTH counts DEPTH + 1. */
  meanBadRank: number;
  meanBadRankBaseline: number;
  badPairs: number;
  goodRareAt1: number;
  goodRarePairs: number;
  /** Of the (query, good entry of a rare CWE in the top k without the prior) pairs: still in the top k. */
  rareCweInTopK: number;
  rareCwePairs: number;
  /** Queries whose first demonstration without the prior is good, and it changed. */
  goodTop1Changed: number;
  /** acc@1 on the fold's labelled queries (exact CWE, no CWE given), with the prior and without. */
  acc1: number;
  acc1Baseline: number;
  /** The same, counting only a first demonstration that is not bad (what the developer can use). */
  acc1Good: number;
  acc1GoodBaseline: number;
  /** The prior's shift, averaged over the good and the bad entries that have judged suggestions. */
  meanShiftGood: number;
  meanShiftBad: number;
  /** Share of good entries with judged suggestions pushed down by more than 0.25. */
  goodPushedDown: number;
}

interface RunFigures {
  scenario: string;
  seed: number;
  bad: number;
  badRetrieved: number;
  rounds: RoundFigures[];
  final: FinalFigures;
}

function developerSays(developer: Developer, showsBad: boolean, random: () => number): 'applied' | 'dismissed' | 'left' {
  const u = random();
  if (showsBad) return u < developer.badDismissed ? 'dismissed' : 'left';
  if (u < developer.applied) return 'applied';
  return u < developer.applied + developer.dismissed ? 'dismissed' : 'left';
}

/** Ranks (1-based; DEPTH + 1 when below) of the bad entries in the top DEPTH without the prior, without and with it. */
async function badRanks(
  bench: Bench,
  retriever: Retriever,
  queries: readonly SimQuery[],
  bad: ReadonlySet<string>,
): Promise<{ baseline: number[]; now: number[] }> {
  const ranks = { baseline: [] as number[], now: [] as number[] };
  if (bad.size === 0) return ranks;
  for (const query of queries) {
    const deepBase = await bench.baseline(asked(query, DEPTH));
    const deep = await bench.ids(retriever, asked(query, DEPTH));
    deepBase.forEach((id, rank) => {
      if (!bad.has(id)) return;
      ranks.baseline.push(rank + 1);
      const now = deep.indexOf(id);
      ranks.now.push(now < 0 ? DEPTH + 1 : now + 1);
    });
  }
  return ranks;
}

const share = (part: number, whole: number) => (whole === 0 ? Number.NaN : part / whole);
const mean = (values: readonly number[]) => (values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length);

async function simulate(
  bench: Bench,
  view: FoldView,
  scenario: Scenario,
  seed: number,
  rounds: number,
  priorOptions: AcceptancePriorOptions,
  ranksEveryRound: boolean,
): Promise<RunFigures> {
  const random = seededRandom(`acceptance:${scenario.name}:${seed}`);
  const { entries } = bench.index;
  const bad = scenario.bad ? pickBad(entries, view, random) : new Set<string>();
  const { rare, rareCwe } = goodRare(entries, view, bad);
  const rarePairs = view.queries.filter((query) => rare.has(view.top.get(query.id)?.[0] ?? ''));
  const isBad = (id: string | undefined) => id !== undefined && bad.has(id);
  const baselineAt1 = share(view.queries.filter((query) => isBad(view.top.get(query.id)?.[0])).length, view.queries.length);
  const baselineTopK = share(view.queries.filter((query) => view.top.get(query.id)?.some(isBad)).length, view.queries.length);

  const records: FeedbackRecord[] = [];
  const figures: RoundFigures[] = [];
  const priorNow = () => acceptancePrior(acceptanceByEntry(records), priorOptions);
  for (let round = 1; round <= rounds; round += 1) {
    const retriever = bench.retriever(priorNow());
    let at1 = 0;
    let inTopK = 0;
    let shownBad = 0;
    let dismissed = 0;
    let rareKept = 0;
    const at = new Date(Date.UTC(2026, 0, round)).toISOString();
    for (const query of view.queries) {
      const ids = await bench.ids(retriever, asked(query));
      const shown = ids.slice(0, scenario.show);
      if (isBad(ids[0])) at1 += 1;
      if (ids.some(isBad)) inTopK += 1;
      const showsBad = shown.some(isBad);
      if (showsBad) shownBad += 1;
      if (rare.has(view.top.get(query.id)?.[0] ?? '') && ids[0] === view.top.get(query.id)?.[0]) rareKept += 1;
      const suggestion = { repo: 'simulated/app', pullRequest: round, fingerprint: query.id };
      records.push({ at, event: 'posted', suggestion, demonstrations: shown, language: query.language, ...(query.alert ? { cwe: [query.cwe] } : {}) });
      const verdict = developerSays(scenario.developer, showsBad, random);
      if (verdict !== 'left') records.push({ at, event: verdict, suggestion, reason: 'simulated developer' });
      if (verdict === 'dismissed') dismissed += 1;
    }
    const n = view.queries.length;
    figures.push({
      round,
      badAt1: share(at1, n),
      badAt1Baseline: baselineAt1,
      badInTopK: share(inTopK, n),
      badInTopKBaseline: baselineTopK,
      badShown: share(shownBad, n),
      dismissed: share(dismissed, n),
      goodRareAt1: share(rareKept, rarePairs.length),
      ...(ranksEveryRound && bad.size > 0
        ? await badRanks(bench, retriever, view.queries, bad).then(({ baseline, now }) => ({ meanBadRank: mean(now), meanBadRankBaseline: mean(baseline) }))
        : {}),
    });
  }

  // After the last round's feedback.
  const prior = priorNow();
  const retriever = bench.retriever(prior);
  let at1 = 0;
  let inTopK = 0;
  let rareKept = 0;
  let rareCwePairs = 0;
  let rareCweKept = 0;
  let goodTop1 = 0;
  let goodTop1Changed = 0;
  let acc1 = 0;
  let acc1Baseline = 0;
  let acc1Good = 0;
  let acc1GoodBaseline = 0;
  for (const query of view.queries) {
    const base = view.top.get(query.id) ?? [];
    const ids = await bench.ids(retriever, asked(query));
    if (isBad(ids[0])) at1 += 1;
    if (ids.some(isBad)) inTopK += 1;
    if (rare.has(base[0] ?? '') && ids[0] === base[0]) rareKept += 1;
    for (const id of base.filter((id) => rareCwe.has(id))) {
      rareCwePairs += 1;
      if (ids.includes(id)) rareCweKept += 1;
    }
    if (base[0] !== undefined && !isBad(base[0])) {
      goodTop1 += 1;
      if (ids[0] !== base[0]) goodTop1Changed += 1;
    }
    const top = (await bench.ids(retriever, unlabelled(query)))[0];
    const topBase = (await bench.baseline(unlabelled(query)))[0];
    const hasCwe = (id: string | undefined) => entries.find((entry) => entry.id === id)?.cwe.includes(query.cwe) ?? false;
    if (hasCwe(top)) acc1 += 1;
    if (hasCwe(topBase)) acc1Baseline += 1;
    if (hasCwe(top) && !isBad(top)) acc1Good += 1;
    if (hasCwe(topBase) && !isBad(topBase)) acc1GoodBaseline += 1;
  }
  const ranks = await badRanks(bench, retriever, view.queries, bad);
  const judged = [...acceptanceByEntry(records)].filter(([, figure]) => figure.applied + figure.dismissed > 0);
  const shiftOf = (id: string) => prior?.(id) ?? 0;
  const goodShifts = judged.filter(([id]) => !bad.has(id)).map(([id]) => shiftOf(id));
  const n = view.queries.length;
  return {
    scenario: scenario.name,
    seed,
    bad: bad.size,
    badRetrieved: [...bad].filter((id) => view.retrieved.has(id)).length,
    rounds: figures,
    final: {
      badAt1: share(at1, n),
      badAt1Baseline: baselineAt1,
      badInTopK: share(inTopK, n),
      badInTopKBaseline: baselineTopK,
      meanBadRank: mean(ranks.now),
      meanBadRankBaseline: mean(ranks.baseline),
      badPairs: ranks.now.length,
      goodRareAt1: share(rareKept, rarePairs.length),
      goodRarePairs: rarePairs.length,
      rareCweInTopK: share(rareCweKept, rareCwePairs),
      rareCwePairs,
      goodTop1Changed: share(goodTop1Changed, goodTop1),
      acc1: share(acc1, n),
      acc1Baseline: share(acc1Baseline, n),
      acc1Good: share(acc1Good, n),
      acc1GoodBaseline: share(acc1GoodBaseline, n),
      meanShiftGood: mean(goodShifts),
      meanShiftBad: mean(judged.filter(([id]) => bad.has(id)).map(([id]) => shiftOf(id))),
      goodPushedDown: share(goodShifts.filter((shift) => shift < -0.25).length, goodShifts.length),
    },
  };
}

/** Figures averaged over seeds (NaN-free where defined). */
function averaged<T extends object>(items: readonly T[]): T {
  const first = items[0] as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(first)) {
    if (typeof first[key] === 'number') {
      out[key] = mean(items.map((item) => (item as Record<string, number>)[key] as number).filter((value) => Number.isFinite(value)));
    }
  }
  return out as T;
}

interface ScenarioSummary {
  scenario: string;
  seeds: number;
  /** Per round, averaged over seeds. */
  rounds: RoundFigures[];
  final: FinalFigures;
  /** Averaged over seeds: bad entries, and those the fold's queries retrieve without the prior. */
  bad: number;
  badRetrieved: number;
}

async function runScenarios(
  bench: Bench,
  view: FoldView,
  options: { rounds: number; seeds: number; prior: AcceptancePriorOptions; ranksEveryRound?: boolean; scenarios?: readonly Scenario[] },
): Promise<ScenarioSummary[]> {
  const summaries: ScenarioSummary[] = [];
  for (const scenario of options.scenarios ?? SCENARIOS) {
    const runs: RunFigures[] = [];
    for (let seed = 1; seed <= options.seeds; seed += 1)
      runs.push(await simulate(bench, view, scenario, seed, options.rounds, options.prior, options.ranksEveryRound ?? false));
    summaries.push({
      scenario: scenario.name,
      seeds: runs.length,
      rounds: Array.from({ length: options.rounds }, (_, i) => averaged(runs.map((run) => run.rounds[i] as RoundFigures))),
      final: averaged(runs.map((run) => run.final)),
      bad: mean(runs.map((run) => run.bad)),
      badRetrieved: mean(runs.map((run) => run.badRetrieved)),
    });
  }
  return summaries;
}

/**
 * The tuning objective (lower is better): how much of the bad entries' exposure is left, over
 * the rounds after the first (how fast) and at the end, in the scenarios with bad entries; plus
 * penalties when good rare entries lose rank 1 (> 5%), acc@1 drops (> 0.01), or, with noisy
 * developers and no bad entries, good first demonstrations change (> 5%).
 */
function objective(summaries: readonly ScenarioSummary[]): { score: number; exposure: number; violations: string[] } {
  const withBad = summaries.filter((summary) => summary.final.badInTopKBaseline > 0);
  const exposure = mean(
    withBad.map((summary) => {
      const later = summary.rounds.slice(1);
      const ratio = (value: number, base: number) => (base > 0 ? value / base : 0);
      return mean([
        ...later.map((round) => (ratio(round.badAt1, round.badAt1Baseline) + ratio(round.badInTopK, round.badInTopKBaseline)) / 2),
        (ratio(summary.final.badAt1, summary.final.badAt1Baseline) + ratio(summary.final.badInTopK, summary.final.badInTopKBaseline)) / 2,
      ]);
    }),
  );
  const violations: string[] = [];
  let penalty = 0;
  for (const summary of summaries) {
    const lostRare = 1 - summary.final.goodRareAt1;
    if (lostRare > 0.05) {
      violations.push(`${summary.scenario}: good rare at rank 1 ${summary.final.goodRareAt1.toFixed(3)}`);
      penalty += lostRare - 0.05;
    }
    const accDrop = summary.final.acc1Baseline - summary.final.acc1;
    if (accDrop > 0.01) {
      violations.push(`${summary.scenario}: acc@1 −${accDrop.toFixed(3)}`);
      penalty += accDrop - 0.01;
    }
    if (summary.final.badInTopKBaseline === 0 && summary.final.goodTop1Changed > 0.05) {
      violations.push(`${summary.scenario}: good top-1 changed ${summary.final.goodTop1Changed.toFixed(3)}`);
      penalty += summary.final.goodTop1Changed - 0.05;
    }
  }
  return { score: exposure + 4 * penalty, exposure, violations };
}

/**
 * The constants swept by `--tune`, first stage: smoothing and weight, dismissals only (no lift),
 * the observed reference rate; and one judged by its posterior mean (confidence 0), for contrast.
 */
function tuningGrid(): AcceptancePriorOptions[] {
  const grid: AcceptancePriorOptions[] = [{ reference: 'observed', referenceStrength: 20, strength: 4, confidence: 0, weight: 1, maxLift: 0 }];
  for (const strength of [2, 4, 8]) {
    for (const confidence of [1, 2]) {
      for (const weight of [1, 2]) grid.push({ reference: 'observed', referenceStrength: 20, strength, confidence, weight, maxLift: 0 });
    }
  }
  return grid;
}

/**
 * Next stages, around the best so far: a lift for applied entries, a fixed reference rate of ½,
 * a heavier weight, a wider confidence margin; repeated while the best changes.
 */
function variantsOf(options: AcceptancePriorOptions): AcceptancePriorOptions[] {
  return [
    { ...options, maxLift: 0.25 },
    { ...options, maxLift: 0.5 },
    { ...options, reference: 0.5 },
    { ...options, weight: 2 * (options.weight ?? 1) },
    { ...options, confidence: (options.confidence ?? 0) + 1 },
  ];
}

const f3 = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : '–');
const describe = (options: AcceptancePriorOptions) =>
  `ref ${String(options.reference)} strength ${options.strength} confidence ${options.confidence} weight ${options.weight} maxLift ${options.maxLift}`;

function table(summaries: readonly ScenarioSummary[]): string {
  const lines = [
    '| scenario | bad@1 base → round 2 → last → after | bad in top-3 base → after | mean bad rank base → after | good rare @1 | rare-CWE in top-3 | acc@1 base → after | acc@1 by a good entry base → after | good top-1 changed |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const summary of summaries) {
    const { final } = summary;
    const second = summary.rounds[1];
    const last = summary.rounds.at(-1);
    lines.push(
      `| ${summary.scenario} | ${f3(final.badAt1Baseline)} → ${f3(second?.badAt1 ?? Number.NaN)} → ${f3(last?.badAt1 ?? Number.NaN)} → ${f3(final.badAt1)} | ` +
        `${f3(final.badInTopKBaseline)} → ${f3(final.badInTopK)} | ${f3(final.meanBadRankBaseline)} → ${f3(final.meanBadRank)} | ${f3(final.goodRareAt1)} | ` +
        `${f3(final.rareCweInTopK)} | ${f3(final.acc1Baseline)} → ${f3(final.acc1)} | ${f3(final.acc1GoodBaseline)} → ${f3(final.acc1Good)} | ${f3(final.goodTop1Changed)} |`,
    );
  }
  return lines.join('\n');
}

/** Per round of the scenarios with bad entries: with the prior / without. */
function roundsTable(summaries: readonly ScenarioSummary[]): string {
  const lines = ['| scenario | round | bad@1 | bad in top-3 | mean bad rank | good rare @1 | dismissed |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const summary of summaries.filter((candidate) => candidate.final.badInTopKBaseline > 0)) {
    for (const round of summary.rounds) {
      lines.push(
        `| ${summary.scenario} | ${round.round} | ${f3(round.badAt1)} / ${f3(round.badAt1Baseline)} | ${f3(round.badInTopK)} / ${f3(round.badInTopKBaseline)} | ` +
          `${f3(round.meanBadRank ?? Number.NaN)} / ${f3(round.meanBadRankBaseline ?? Number.NaN)} | ${f3(round.goodRareAt1)} | ${f3(round.dismissed)} |`,
      );
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '../shared/datasets' },
      corpus: { type: 'string', default: 'corpus' },
      fold: { type: 'string', default: 'heldout' },
      rounds: { type: 'string', default: '12' },
      seeds: { type: 'string', default: '5' },
      tune: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const rounds = Number(values.rounds);
  const seeds = Number(values.seeds);
  if (!(rounds >= 2) || !(seeds >= 1)) throw new Error('--rounds must be at least 2 and --seeds at least 1');
  const fold = (values.tune ? 'train' : values.fold) as Fold;
  if (!FOLDS.includes(fold)) throw new Error(`--fold must be one of ${FOLDS.join(', ')}`);

  const started = performance.now();
  const corpusDir = resolve(values.corpus);
  // Built from the corpus alone: a feedback.jsonl beside it would be read, so the index's own prior is ignored.
  const index = await openRetrievalIndex({ corpusDir, rebuild: true, persist: false });
  const bench = new Bench(index);
  const unique = new Map<string, RetrievalQueryCase>();
  for (const set of await loadBenchmarkQuerySets(resolve(values.data), new Set())) for (const query of set.cases) unique.set(query.id, query);
  const all = [...unique.values()].map((query): SimQuery => ({ ...query, alert: hashOf(`acceptance-alert:${query.id}`) % 2 === 0 }));
  const queries = all.filter((query) => foldOf(query) === fold);
  const view = await viewOf(bench, queries);
  const setup = {
    corpus: { dir: corpusDir, entries: index.entries.length },
    queries: { total: all.length, fold, n: queries.length, withAlert: queries.filter((query) => query.alert).length },
    retrieved: RETRIEVED,
    developers: { careful: CAREFUL, noisy: NOISY },
    bad: { frequentShareOfRetrieved: BAD_FREQUENT_SHARE, randomShareOfCorpus: BAD_RANDOM_SHARE },
    goodRare: { rank1Queries: RARE_RANK1_QUERIES, cweEntries: RARE_CWE_ENTRIES },
    rounds,
    seeds,
  };

  let report: Record<string, unknown>;
  if (values.tune) {
    const results: { prior: AcceptancePriorOptions; score: number; exposure: number; violations: string[]; summaries: ScenarioSummary[] }[] = [];
    const tryPrior = async (prior: AcceptancePriorOptions) => {
      const summaries = await runScenarios(bench, view, { rounds, seeds, prior });
      const verdict = objective(summaries);
      results.push({ prior, ...verdict, summaries });
      console.error(`${describe(prior)}: score ${f3(verdict.score)} exposure ${f3(verdict.exposure)} ${verdict.violations.join('; ')}`);
    };
    for (const prior of tuningGrid()) await tryPrior(prior);
    const tried = new Set(results.map((result) => describe(result.prior)));
    for (let stage = 2; stage <= 4; stage += 1) {
      const before = [...results].sort((a, b) => a.score - b.score)[0];
      if (!before) break;
      for (const prior of variantsOf(before.prior).filter((variant) => !tried.has(describe(variant)))) {
        tried.add(describe(prior));
        await tryPrior(prior);
      }
      if ([...results].sort((a, b) => a.score - b.score)[0] === before) break;
    }
    results.sort((a, b) => a.score - b.score);
    const best = results[0];
    if (best) console.error(`\nbest: ${describe(best.prior)}\n${table(best.summaries)}`);
    report = { setup, tuning: results.map(({ prior, score, exposure, violations }) => ({ prior, score, exposure, violations })), best };
  } else {
    const prior = { ...DEFAULT_ACCEPTANCE_PRIOR };
    const summaries = await runScenarios(bench, view, { rounds, seeds, prior, ranksEveryRound: true });
    console.error(
      `acceptance prior (${describe(prior)}), ${fold} queries (${queries.length}), ${rounds} rounds × ${seeds} seeds\n${table(summaries)}\n\nPer round (round r ranks with the feedback of rounds 1 … r−1), with the prior / without:\n${roundsTable(summaries)}`,
    );
    report = { setup, prior, objective: objective(summaries), scenarios: summaries };
  }
  report.seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify(report));
  if (values.out) {
    await mkdir(values.out, { recursive: true });
    await writeFile(join(values.out, `acceptance-prior${values.tune ? '-tuning' : ''}.json`), `${JSON.stringify(report, null, 2)}\n`);
  }
}

await main();
