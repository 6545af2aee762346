// Which changed functions to harden first when there are more than the cap: a simple, explainable
// score, not a vulnerability detector.
import { conceptTokens } from '../text/concepts.js';

/**
 * Concepts that mark a defence or plain bookkeeping rather than a risky operation; finding them
 * says nothing about risk (a function full of bounds checks is not riskier for it).
 */
const NEUTRAL = new Set([
  'bounded-copy',
  'shell-safe',
  'html-escape',
  'safe-deserialize',
  'path-check',
  'sql-params',
  'check-overflow',
  'bounds-error',
  'int-limit',
  'null-assign',
  'null-check',
  'length-check',
  'logging',
  'sizeof',
]);

/** Distinct risky concepts in the code (`sql`, `shell`, `alloc`, ...), sorted. */
export function riskConcepts(code: string): string[] {
  const concepts = new Set(conceptTokens(code).map((token) => token.replace(/^concept:/, '')));
  return [...concepts].filter((concept) => !NEUTRAL.has(concept)).sort();
}

/**
 * 10 points per distinct risky concept plus one per changed line (up to 50): a one-line change
 * next to a shell call outranks a large rename in pure arithmetic.
 */
export function riskScore(code: string, changedLines: number): number {
  return riskConcepts(code).length * 10 + Math.min(changedLines, 50);
}
