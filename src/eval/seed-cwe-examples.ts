// The seed corpus's CWE examples (corpus/cwe-examples.jsonl): the vulnerable side, shared prefix and
// added lines of every training fix pair (SVEN train, SafeCoder train), including pairs whose secure
// side is too long to be a demonstration: long C functions are where the classifier needs the most
// help (measured by `bench:retrieval-cv`). Pairs with a side identical to a function of a validation
// split are left out, as the seed corpus leaves them out.
import { codeHash } from '../corpus/entry.js';
import { validationHashes } from '../corpus/validation-hashes.js';
import { cweExamplesOfFix, type CweExample } from '../corpus/cwe-examples.js';
import { loadTrainingPairs, type TrainingPair } from './training-pairs.js';

/** The examples one training pair gives (`cweExamplesOfFix`). */
export function cweExamplesOfPair(pair: TrainingPair, maxChars = Number.POSITIVE_INFINITY): CweExample[] {
  return cweExamplesOfFix(
    {
      language: pair.language,
      cwe: [pair.cwe],
      before: pair.before,
      after: pair.after,
      sharedPrefix: pair.sharedPrefix,
      source: { repo: pair.repo, commit: pair.commit, path: pair.file, dataset: pair.dataset },
    },
    maxChars,
  );
}

/** Examples of every training pair, each at most `maxChars` long, duplicates merged (keeping every CWE label). */
export async function buildSeedCweExamples(datasetsDir: string, maxChars: number): Promise<CweExample[]> {
  const heldOut = await validationHashes(datasetsDir, ['before', 'after']);
  const byKey = new Map<string, CweExample>();
  for (const pair of await loadTrainingPairs(datasetsDir)) {
    if (heldOut.has(codeHash(pair.before)) || heldOut.has(codeHash(pair.after))) continue;
    for (const example of cweExamplesOfPair(pair, maxChars)) {
      const key = `${example.kind}:${codeHash(example.code)}`;
      const earlier = byKey.get(key);
      if (!earlier) byKey.set(key, example);
      else for (const cwe of example.cwe) if (!earlier.cwe.includes(cwe)) earlier.cwe.push(cwe);
    }
  }
  return [...byKey.values()];
}
