// How the CV harness asks a held-out training pair: the whole vulnerable function, and its shared
// prefix (the lines before the fix's first change: a prompt that stops before the dangerous line).
import { MIN_PREFIX_LINES } from '../src/corpus/cwe-examples.js';
import type { TrainingPair } from '../src/eval/training-pairs.js';

export const CV_QUERY_KINDS = ['function', 'prefix'] as const;
export type CvQueryKind = (typeof CV_QUERY_KINDS)[number];

export function cvQueryText(pair: TrainingPair, kind: CvQueryKind): string | undefined {
  if (kind === 'function') return pair.before;
  // A prefix this short says nothing about the function (often just its signature).
  const lines = pair.sharedPrefix.split('\n').filter((line) => line.trim() !== '').length;
  return lines >= MIN_PREFIX_LINES ? pair.sharedPrefix : undefined;
}
