// Rebuilds corpus/corpus.jsonl and corpus/cwe-examples.jsonl from ../shared/datasets (SVEN +
// SafeCoder training pairs). Every corpus entry passes the corpus's gate (src/analyze/secure-gate.ts)
// with the analyzers scripts/install-analyzers.sh installs (bandit, cppcheck, gcc, clang), all of
// which must be here so that the seed is the same on every machine; CodeQL is not run, for the
// same reason. What the gate dropped is listed on stderr, per rule.
// Usage: npm run seed -- [--datasets ../shared/datasets] [--max-chars 4000] [--out corpus] [--jobs 2]
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeChunksAtomic } from '../src/fs/atomic-write.js';
import { serializeEntry } from '../src/corpus/jsonl.js';
import { CORPUS_FILE } from '../src/corpus/local-store.js';
import { buildSeedCorpus, DEFAULT_SEED_MAX_CHARS } from '../src/corpus/seed.js';
import { CWE_EXAMPLES_FILE, serializeCweExample } from '../src/corpus/cwe-examples.js';
import { buildSeedCweExamples } from '../src/eval/seed-cwe-examples.js';
import { BanditAnalyzer } from '../src/analyze/bandit.js';
import { ClangAnalyzer } from '../src/analyze/clang.js';
import { CppcheckAnalyzer } from '../src/analyze/cppcheck.js';
import { GccAnalyzer } from '../src/analyze/gcc.js';

const { values } = parseArgs({
  options: {
    datasets: { type: 'string', default: '../shared/datasets' },
    'max-chars': { type: 'string', default: String(DEFAULT_SEED_MAX_CHARS) },
    out: { type: 'string', default: 'corpus' },
    jobs: { type: 'string', default: '2' },
  },
});
const maxChars = Number(values['max-chars']);
if (!Number.isInteger(maxChars) || maxChars <= 0) throw new Error(`--max-chars must be a positive integer, got ${values['max-chars']}`);

const jobs = Number(values.jobs);
if (!Number.isInteger(jobs) || jobs <= 0) throw new Error(`--jobs must be a positive integer, got ${values.jobs}`);

const analyzers = [new BanditAnalyzer(), new CppcheckAnalyzer(), new GccAnalyzer(), new ClangAnalyzer()];
const tools: Record<string, string> = {};
for (const analyzer of analyzers) {
  const state = await analyzer.availability();
  if (!state.ok) {
    console.error(`build-seed-corpus: ${analyzer.name} is not usable here (${state.detail}); run scripts/install-analyzers.sh first`);
    process.exit(1);
  }
  tools[analyzer.name] = state.detail;
}

const { entries, report } = await buildSeedCorpus({ datasetsDir: resolve(values.datasets), maxChars, gate: { analyzers, concurrency: jobs } });
const { gateDrops, ...counts } = report;
for (const drop of gateDrops) console.error(`dropped ${drop.id}: ${drop.problem}`);
await mkdir(values.out, { recursive: true });
const file = join(values.out, CORPUS_FILE);
await writeChunksAtomic(
  file,
  entries.map((entry) => `${serializeEntry(entry)}\n`),
);
const examples = await buildSeedCweExamples(resolve(values.datasets), maxChars);
const examplesFile = join(values.out, CWE_EXAMPLES_FILE);
await writeChunksAtomic(
  examplesFile,
  examples.map((example) => `${serializeCweExample(example)}\n`),
);
console.log(JSON.stringify({ file, maxChars, ...counts, gateDropped: gateDrops.length, tools, examplesFile, examples: examples.length }));
