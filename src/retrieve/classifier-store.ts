// The CWE classifier beside the index: trained from the corpus labels, saved with the hash of the
// corpus it was trained on, and reused until the corpus changes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { CorpusEntry } from '../corpus/entry.js';
import { writeChunksAtomic } from '../fs/atomic-write.js';
import { corpusHash } from './corpus-hash.js';
import { CweClassifier } from './cwe-classifier.js';

const CLASSIFIER_FILE = 'cwe-classifier.json';

/** Above this many labelled entries an evenly spaced sample trains the classifier. */
const MAX_TRAINING_ENTRIES = 20_000;

const savedSchema = z.object({
  format: z.literal(1),
  corpusHash: z.string(),
  model: z.object({
    classes: z.array(z.string()),
    vocabulary: z.array(z.string()),
    idf: z.array(z.number()),
    weights: z.array(z.number()),
    bias: z.array(z.number()),
    conceptWeight: z.number(),
  }),
});

function trainingSample(entries: readonly CorpusEntry[]): CorpusEntry[] {
  const labelled = entries.filter((entry) => entry.cwe.length > 0);
  if (labelled.length <= MAX_TRAINING_ENTRIES) return labelled;
  const step = labelled.length / MAX_TRAINING_ENTRIES;
  return Array.from({ length: MAX_TRAINING_ENTRIES }, (_, i) => labelled[Math.floor(i * step)] as CorpusEntry);
}

/** The saved classifier when it was trained on exactly this corpus, else a newly trained one (saved when `dir` is given). */
export async function classifierFor(entries: readonly CorpusEntry[], dir: string | undefined): Promise<CweClassifier | undefined> {
  const hash = corpusHash(entries);
  if (dir) {
    try {
      const saved = savedSchema.parse(JSON.parse(await readFile(join(dir, CLASSIFIER_FILE), 'utf8')));
      if (saved.corpusHash === hash) return CweClassifier.fromModel(saved.model);
    } catch {
      // Missing or damaged: train anew below.
    }
  }
  const classifier = CweClassifier.train(trainingSample(entries).map((entry) => ({ code: entry.code, cwe: entry.cwe })));
  if (classifier && dir) {
    await writeChunksAtomic(join(dir, CLASSIFIER_FILE), [JSON.stringify({ format: 1, corpusHash: hash, model: classifier.model })]);
  }
  return classifier;
}
