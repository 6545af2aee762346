// The CWE classifier beside the index: trained from the corpus labels (plus the optional labelled
// examples of corpus/cwe-examples.jsonl, and MITRE's own description and example programs of each
// CWE those labels name), saved with the hash of what it was trained on, and reused until that
// changes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { CorpusEntry } from '../corpus/entry.js';
import { writeChunksAtomic } from '../fs/atomic-write.js';
import { corpusHash } from '../corpus/hash.js';
import { asLabelledCode, cweExamplesHash, type CweExample, type LabelledCode } from '../corpus/cwe-examples.js';
import { mitreDocumentsOf } from '../cwe/mitre-documents.js';
import { CweClassifier, type CweClassifierOptions } from './cwe-classifier.js';

export interface CorpusClassifierOptions extends CweClassifierOptions {
  /**
   * Also train on MITRE's documents of each CWE the labels name (default true). Measured by
   * bench:retrieval-cv: mean per-CWE acc@1 .569 → .600 on whole functions and .419 → .442 on
   * prompts, overall acc@1 unchanged (.709 → .713): rare CWEs gain most.
   */
  mitreDocuments?: boolean;
}

const CLASSIFIER_FILE = 'cwe-classifier.json';

/** Bumped when training changes, so a classifier saved by an older version is trained again. */
const TRAINING_VERSION = 3;

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
    bigramWeight: z.number().optional(),
  }),
});

function trainingSample(entries: readonly CorpusEntry[]): CorpusEntry[] {
  const labelled = entries.filter((entry) => entry.cwe.length > 0);
  if (labelled.length <= MAX_TRAINING_ENTRIES) return labelled;
  const step = labelled.length / MAX_TRAINING_ENTRIES;
  return Array.from({ length: MAX_TRAINING_ENTRIES }, (_, i) => labelled[Math.floor(i * step)] as CorpusEntry);
}

/**
 * Trains the classifier on the corpus labels, plus optional labelled examples that are not
 * demonstrations (e.g. vulnerable sides of fix pairs). Shared by the index and the tuning harness.
 */
export function trainCorpusClassifier(
  entries: readonly CorpusEntry[],
  examples: readonly LabelledCode[] = [],
  options: CorpusClassifierOptions = {},
): CweClassifier | undefined {
  const documents = [...trainingSample(entries).map((entry) => ({ code: entry.code, cwe: entry.cwe })), ...examples];
  const knowledge = options.mitreDocuments === false ? [] : mitreDocumentsOf(documents.flatMap((doc) => doc.cwe));
  return CweClassifier.train([...documents, ...knowledge], options);
}

/**
 * The saved classifier when it was trained on exactly this corpus and these examples, else a newly
 * trained one (saved when `dir` is given).
 */
export async function classifierFor(
  entries: readonly CorpusEntry[],
  dir: string | undefined,
  examples: readonly CweExample[] = [],
): Promise<CweClassifier | undefined> {
  const trained = `training:${TRAINING_VERSION}+${corpusHash(entries)}`;
  const hash = examples.length === 0 ? trained : `${trained}+examples:${cweExamplesHash(examples)}`;
  if (dir) {
    try {
      const saved = savedSchema.parse(JSON.parse(await readFile(join(dir, CLASSIFIER_FILE), 'utf8')));
      if (saved.corpusHash === hash) return CweClassifier.fromModel(saved.model);
    } catch {
      // Missing or damaged: train anew below.
    }
  }
  const classifier = trainCorpusClassifier(entries, asLabelledCode(examples));
  if (classifier && dir) {
    await writeChunksAtomic(join(dir, CLASSIFIER_FILE), [JSON.stringify({ format: 1, corpusHash: hash, model: classifier.model })]);
  }
  return classifier;
}
