// Vulnerability-fix pairs of the TRAINING splits (SVEN train, SafeCoder train), for tuning the
// retriever by cross-validation without ever looking at the evaluation sets. Each pair keeps both
// sides and where the fix starts, so a held-out pair can be asked as the whole vulnerable function
// or as the prompt a developer would have typed before the dangerous line.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { normalizeCwe } from '../cwe/id.js';
import { languageFromPath, type Language } from '../lang/languages.js';
import { sharedPrefixOf } from '../text/shared-prefix.js';
import { DataFileError } from '../errors/data-file-error.js';

const trainingPairSchema = z
  .object({
    func_src_before: z.string(),
    func_src_after: z.string(),
    commit_link: z.string(),
    file_name: z.string(),
    vul_type: z.string(),
  })
  .loose();

export interface TrainingPair {
  id: string;
  dataset: 'sven' | 'safecoder';
  language: Language;
  cwe: string;
  /** The vulnerable function. */
  before: string;
  /** The fixed function. */
  after: string;
  /** "owner/repo" and the fixing commit, from the commit link. */
  repo?: string;
  commit?: string;
  file: string;
  /** Lines both sides share before the first change: the vulnerable function up to the fix. */
  sharedPrefix: string;
}

async function readPairs(file: string, dataset: TrainingPair['dataset']): Promise<TrainingPair[]> {
  const pairs: TrainingPair[] = [];
  const lines = (await readFile(file, 'utf8')).split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = trainingPairSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new DataFileError(file, `not a vulnerability-fix pair: ${parsed.error.message}`, index + 1);
    const pair = parsed.data;
    const language = languageFromPath(pair.file_name);
    if (!language) return;
    const link = /^github\.com\/([^/]+\/[^/]+)\/commit\/([0-9a-f]+)/.exec(pair.commit_link);
    pairs.push({
      id: `${dataset}:${file.split('/').at(-1)}:${index + 1}`,
      dataset,
      language,
      cwe: normalizeCwe(pair.vul_type),
      before: pair.func_src_before,
      after: pair.func_src_after,
      repo: link?.[1],
      commit: link?.[2],
      file: pair.file_name,
      sharedPrefix: sharedPrefixOf(pair.func_src_before, pair.func_src_after),
    });
  });
  return pairs;
}

/** SVEN data_train_val/train/*.jsonl and SafeCoder data_train_val/train/sec-new-desc.jsonl, in file order. */
export async function loadTrainingPairs(datasetsDir: string): Promise<TrainingPair[]> {
  return loadFixPairsOfSplit(datasetsDir, 'train');
}

/**
 * The vulnerability-fix pairs of one split of SVEN's and SafeCoder's `data_train_val`, in file
 * order: `train` for tuning, `val` for reporting once (SafeCoder's `val` has two files).
 */
export async function loadFixPairsOfSplit(datasetsDir: string, split: 'train' | 'val'): Promise<TrainingPair[]> {
  const sven = join(datasetsDir, 'sven', 'data_train_val', split);
  const safecoder = join(datasetsDir, 'safecoder', 'data_train_val', split);
  const pairs: TrainingPair[] = [];
  for (const name of (await readdir(sven)).filter((file) => file.endsWith('.jsonl')).sort()) pairs.push(...(await readPairs(join(sven, name), 'sven')));
  const safecoderFiles = split === 'train' ? ['sec-new-desc.jsonl'] : (await readdir(safecoder)).filter((file) => file.endsWith('.jsonl')).sort();
  for (const name of safecoderFiles) pairs.push(...(await readPairs(join(safecoder, name), 'safecoder')));
  return pairs;
}
