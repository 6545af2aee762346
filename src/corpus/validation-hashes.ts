// The functions of the SVEN and SafeCoder validation splits, as hashes of their normalized code:
// anything derived from the training splits (the seed corpus, the classifier's examples) leaves
// out a function identical to one of them, so the splits stay fit for measuring.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { codeHash } from './entry.js';

const validationPairSchema = z.object({ func_src_before: z.string(), func_src_after: z.string() }).loose();

/** Which sides of the validation pairs to hash: the vulnerable one (`before`), the fixed one (`after`), or both. */
export type PairSide = 'before' | 'after';

export async function validationHashes(datasetsDir: string, sides: readonly PairSide[]): Promise<Set<string>> {
  const svenVal = join(datasetsDir, 'sven', 'data_train_val', 'val');
  const files = [
    ...(await readdir(svenVal)).filter((name) => name.endsWith('.jsonl')).map((name) => join(svenVal, name)),
    ...['sec-new-desc.jsonl', 'sec-desc.jsonl'].map((name) => join(datasetsDir, 'safecoder', 'data_train_val', 'val', name)),
  ];
  const hashes = new Set<string>();
  for (const file of files) {
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      if (line.trim() === '') continue;
      const pair = validationPairSchema.parse(JSON.parse(line));
      if (sides.includes('before')) hashes.add(codeHash(pair.func_src_before));
      if (sides.includes('after')) hashes.add(codeHash(pair.func_src_after));
    }
  }
  return hashes;
}
