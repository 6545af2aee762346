// Rebuilds corpus/corpus.jsonl and corpus/cwe-examples.jsonl from ../shared/datasets (SVEN +
// SafeCoder training pairs).
// Usage: npm run seed -- [--datasets ../shared/datasets] [--max-chars 4000] [--out corpus]
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeChunksAtomic } from '../src/fs/atomic-write.js';
import { serializeEntry } from '../src/corpus/jsonl.js';
import { CORPUS_FILE } from '../src/corpus/local-store.js';
import { buildSeedCorpus, DEFAULT_SEED_MAX_CHARS } from '../src/corpus/seed.js';
import { CWE_EXAMPLES_FILE, serializeCweExample } from '../src/corpus/cwe-examples.js';
import { buildSeedCweExamples } from '../src/eval/seed-cwe-examples.js';

const { values } = parseArgs({
  options: {
    datasets: { type: 'string', default: '../shared/datasets' },
    'max-chars': { type: 'string', default: String(DEFAULT_SEED_MAX_CHARS) },
    out: { type: 'string', default: 'corpus' },
  },
});
const maxChars = Number(values['max-chars']);
if (!Number.isInteger(maxChars) || maxChars <= 0) throw new Error(`--max-chars must be a positive integer, got ${values['max-chars']}`);

const { entries, report } = await buildSeedCorpus({ datasetsDir: resolve(values.datasets), maxChars });
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
console.log(JSON.stringify({ file, maxChars, ...report, examplesFile, examples: examples.length }));
