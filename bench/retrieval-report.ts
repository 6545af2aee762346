// Markdown rendering of the retrieval benchmark's report.
import type { RetrievalScores } from '../src/eval/retrieval-metrics.js';
import type { ScaleReport } from './scale.js';

export interface RetrievalReportView {
  corpus: { entries: number };
  sets: { name: string; description: string; n: number }[];
  quality: Record<string, Record<string, RetrievalScores>>;
  confusionC: { retriever: string; cwes: { cwe: string; n: number; shown: { cwe: string; n: number }[] }[] };
  knownCwe: { coverable: number; acc1: number; missingCells: string[]; crossLanguage: { n: number; acc1: number } };
  index: { buildSeconds: number; embedder: string; dim: number };
  speed: {
    queryChars: number;
    latency: Record<string, { p50Ms: number; p99Ms: number }>;
    ratioToBm25: Record<string, number>;
    /** The analyzers run on each query for the +analyzers row (once per target in the pipeline, beside a model call). */
    analyzerEvidence?: { n: number; p50Ms: number; p99Ms: number };
  };
  scale?: ScaleReport;
}

const f2 = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '–');

export function renderMarkdown(report: RetrievalReportView): string {
  const lines: string[] = [
    `## Retrieval quality (corpus: ${report.corpus.entries} entries; label-free; only the rows marked CWE-diverse re-rank for diversity)`,
    '',
  ];
  const retrievers = Object.keys(Object.values(report.quality)[0] ?? {});
  lines.push(`| retriever | ${report.sets.map((set) => `${set.name} (${set.n}) acc@1 / related@1 / acc@5 / avg-min`).join(' | ')} |`);
  lines.push(`| --- | ${report.sets.map(() => '---').join(' | ')} |`);
  for (const retriever of retrievers) {
    const cells = report.sets.map((set) => {
      const s = report.quality[set.name]?.[retriever];
      return s ? `${f2(s.acc1)} / ${f2(s.acc1Related)} / ${f2(s.acc5)} / ${f2(s.avgMinNumber)}` : '–';
    });
    lines.push(`| ${retriever} | ${cells.join(' | ')} |`);
  }
  lines.push(
    '',
    "acc@1: the top demonstration has the query's CWE (the headline). related@1: it has the CWE, its parent or a child in the CWE hierarchy.",
    '',
    `C/C++ queries (every set, each query once), ${report.confusionC.retriever}: what the top demonstration showed per query CWE.`,
    '',
    '| query CWE | n | top demonstration showed |',
    '| --- | --- | --- |',
    ...report.confusionC.cwes.map((row) => `| ${row.cwe} | ${row.n} | ${row.shown.map((shown) => `${shown.cwe} ×${shown.n}`).join(', ')} |`),
  );
  lines.push(
    '',
    `Known CWE (from an alert): acc@1 ${f2(report.knownCwe.acc1)} over ${report.knownCwe.coverable} queries whose (language, CWE) the corpus has.`,
  );
  lines.push(`Cells the corpus lacks: ${report.knownCwe.missingCells.join(', ') || 'none'}.`);
  lines.push(
    `Of those, queries whose CWE the corpus has in another language: ${report.knownCwe.crossLanguage.n}, acc@1 ${f2(report.knownCwe.crossLanguage.acc1)} (that language's example comes first).`,
    '',
  );
  lines.push(`## Speed`, '', `Index build (train default embedder + embed + index): ${report.index.buildSeconds.toFixed(1)} s, ${report.index.embedder}.`, '');
  lines.push(`| mode | p50 ms | p99 ms | p50 ÷ BM25 p50 |`, '| --- | --- | --- | --- |');
  for (const [mode, latency] of Object.entries(report.speed.latency)) {
    lines.push(`| ${mode} | ${latency.p50Ms.toFixed(2)} | ${latency.p99Ms.toFixed(2)} | ${f2(report.speed.ratioToBm25[mode] ?? Number.NaN)} |`);
  }
  lines.push('', `Query: a ${report.speed.queryChars}-character function, k = 5.`);
  const analyzers = report.speed.analyzerEvidence;
  if (analyzers) {
    lines.push(
      '',
      `Analyzer evidence (the +analyzers row; the pipeline runs the analyzers on the original once per target for validation and uses their findings before retrieval): p50 ${analyzers.p50Ms.toFixed(0)} ms, p99 ${analyzers.p99Ms.toFixed(0)} ms over ${analyzers.n} queries, all tools of the query's language together; not part of the query latency above.`,
    );
  }
  if (report.scale) lines.push('', ...renderScale(report.scale));
  return lines.join('\n');
}

function renderScale(scale: ScaleReport): string[] {
  const lines = [
    `## Scale: ${scale.entries.toLocaleString('en')} synthetic entries (perturbed copies of ${scale.seedEntries} seed entries), dim ${scale.dim}`,
    '',
    `Embedding ${scale.embed.perSecond.toFixed(0)} entries/s; HNSW build (M ${scale.build.m}, efConstruction ${scale.build.efConstruction}) ${scale.build.seconds.toFixed(1)} s; ` +
      `files: vectors ${scale.files.vectorsMiB.toFixed(1)} MiB, graph ${scale.files.graphMiB.toFixed(1)} MiB; resident memory ${scale.memory.rssBeforeMiB.toFixed(0)} → ${scale.memory.rssAfterMiB.toFixed(0)} MiB.`,
    '',
    `Exact search (baseline, same process): p50 ${scale.exact.p50Ms.toFixed(2)} ms, p99 ${scale.exact.p99Ms.toFixed(2)} ms.`,
    '',
    '| efSearch | recall@10 | p50 ms | p99 ms | speed-up vs exact |',
    '| --- | --- | --- | --- | --- |',
    ...scale.sweep.map(
      (row) => `| ${row.efSearch} | ${row.recall.toFixed(3)} | ${row.p50Ms.toFixed(3)} | ${row.p99Ms.toFixed(3)} | ${row.speedup.toFixed(0)}× |`,
    ),
    '',
    `Target (≥ ${scale.target.speedup}× at recall@10 ≥ ${scale.target.recall}): ${scale.target.met ? 'met' : 'NOT met'}` +
      (scale.chosen ? ` at efSearch ${scale.chosen.efSearch} (${scale.chosen.speedup.toFixed(0)}×, recall ${scale.chosen.recall.toFixed(3)}).` : '.'),
    `Incremental add of ${scale.incremental.added} entries without rebuild: ${scale.incremental.seconds.toFixed(2)} s ` +
      `(${(scale.incremental.ratioToBuild * 100).toFixed(1)}% of the build; per entry ${scale.incremental.perEntryRatioToBuild.toFixed(2)}× the build's), ` +
      `${(scale.incremental.foundAtRank1 * 100).toFixed(1)}% of new entries found at rank 1.`,
  ];
  return lines;
}
