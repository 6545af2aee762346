// `npm run bench:query-findings`: what the analyzers say about each training pair's vulnerable
// side, asked as the CV harness asks it (the whole function, and its prefix before the fix), kept
// in a JSON cache so `bench:retrieval-cv --findings FILE` can tune analyzer evidence without
// running the tools once per configuration. Also prints how often a finding names the pair's
// CWE (or a parent or child of it) per language: how much evidence the tools carry at all.
// Usage: node dist/bench/query-findings.js [--data ../shared/datasets] [--out FILE] [--concurrency 2]
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { analyzersFor, defaultAnalyzers, findingsOfAll } from '../src/analyze/registry.js';
import type { Analyzer } from '../src/analyze/types.js';
import { cweDistance } from '../src/cwe/hierarchy.js';
import { loadTrainingPairs, type TrainingPair } from '../src/eval/training-pairs.js';
import { languageFamily } from '../src/lang/languages.js';
import { evidenceOfFindings, type QueryEvidence } from '../src/retrieve/analyzer-evidence.js';
import { cvQueryText, CV_QUERY_KINDS } from './cv-queries.js';

/** What the analyzers found on one query, and how long they took. */
type TimedEvidence = QueryEvidence & { ms: number };

/** pair id → query kind → evidence. */
export type FindingsCache = Record<string, Partial<Record<string, TimedEvidence>>>;

let failures = 0;

async function evidenceFor(analyzers: readonly Analyzer[], pair: TrainingPair, code: string): Promise<TimedEvidence> {
  const started = performance.now();
  // A tool that times out or fails gives no evidence, as in the pipeline.
  const findings = await findingsOfAll(analyzers, { code, language: pair.language, fileName: pair.file.split('/').at(-1) }, () => {
    failures += 1;
  });
  return { ...evidenceOfFindings(findings), ms: performance.now() - started };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '../shared/datasets' },
      out: { type: 'string', default: 'query-findings.json' },
      concurrency: { type: 'string', default: '2' },
    },
  });
  const pairs = await loadTrainingPairs(values.data);
  const all = defaultAnalyzers();
  const cache: FindingsCache = {};
  const jobs = pairs.flatMap((pair) =>
    CV_QUERY_KINDS.flatMap((kind) => {
      const code = cvQueryText(pair, kind);
      return code === undefined ? [] : [{ pair, kind, code }];
    }),
  );
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (;;) {
      const job = jobs[next];
      next += 1;
      if (!job) return;
      const analyzers = await analyzersFor(job.pair.language, all);
      const evidence = analyzers.length > 0 ? await evidenceFor(analyzers, job.pair, job.code) : { cwe: [], tools: [], ms: 0 };
      (cache[job.pair.id] ??= {})[job.kind] = evidence;
      done += 1;
      if (done % 200 === 0) console.error(`${done}/${jobs.length}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Number(values.concurrency)) }, worker));
  await writeFile(values.out, JSON.stringify(cache));
  console.log(`${jobs.length} queries, ${failures} analyzer runs failed or timed out (no evidence from them).\n`);

  // How much the evidence says: per language family and kind, the share of queries with any CWE
  // evidence, and with evidence of the pair's own CWE or a relative.
  const tally = new Map<string, { n: number; any: number; exact: number; related: number; ms: number[] }>();
  for (const job of jobs) {
    const evidence = cache[job.pair.id]?.[job.kind] as TimedEvidence;
    const key = `${job.kind} ${languageFamily(job.pair.language)}`;
    const row = tally.get(key) ?? { n: 0, any: 0, exact: 0, related: 0, ms: [] };
    tally.set(key, row);
    row.n += 1;
    row.ms.push(evidence.ms);
    if (evidence.cwe.length > 0) row.any += 1;
    if (evidence.cwe.includes(job.pair.cwe)) row.exact += 1;
    if (evidence.cwe.some((cwe) => (cweDistance(job.pair.cwe, cwe) ?? 9) <= 1)) row.related += 1;
  }
  console.log('| queries | n | any CWE evidence | names the CWE | names it or a parent/child | p50 ms |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [key, row] of [...tally].sort(([a], [b]) => a.localeCompare(b))) {
    const ms = row.ms.sort((a, b) => a - b)[Math.floor(row.ms.length / 2)] ?? 0;
    console.log(
      `| ${key} | ${row.n} | ${(row.any / row.n).toFixed(3)} | ${(row.exact / row.n).toFixed(3)} | ${(row.related / row.n).toFixed(3)} | ${ms.toFixed(0)} |`,
    );
  }
}

await main();
