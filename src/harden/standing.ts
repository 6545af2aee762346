// Suggestions already standing on a pull request, as the pipeline needs them: which function (path
// and the hash of its code) already has one. A target whose unchanged code has a standing
// suggestion is not sent to the model again: the answer would be dropped as already posted.
import { createHash } from 'node:crypto';
import { normalizeCode } from '../corpus/entry.js';

/** A standing suggestion: the file and the hash of the function's code it was made for. */
export interface StandingSuggestion {
  path: string;
  /** `codeFingerprint` of the original function. */
  orig: string;
}

/** First 12 hex digits of the SHA-256 of the code, normalized (line endings, trailing blanks, indentation). */
export function codeFingerprint(code: string): string {
  return createHash('sha256').update(normalizeCode(code)).digest('hex').slice(0, 12);
}

/** Splits targets into those to harden and those whose unchanged code already has a standing suggestion. */
export function splitStanding<T extends { path: string; function: { code: string } }>(
  targets: readonly T[],
  standing: readonly StandingSuggestion[],
): { fresh: T[]; alreadySuggested: T[] } {
  const fresh: T[] = [];
  const alreadySuggested: T[] = [];
  for (const target of targets) {
    const orig = codeFingerprint(target.function.code);
    (standing.some((s) => s.path === target.path && s.orig === orig) ? alreadySuggested : fresh).push(target);
  }
  return { fresh, alreadySuggested };
}
