import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_DEMONSTRATIONS,
  DEFAULT_MAX_TOKENS,
  fitDemonstrations,
  estimateChatTokens,
  estimateTokens,
  largestFitting,
  resolveBudget,
} from '../../src/prompt/budget.js';

describe('estimateTokens', () => {
  it('counts words, numbers, punctuation runs and whitespace runs', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('hello world foo')).toBe(3);
    // int, ' main', '(', void, ')', ' {', '\n  ', return, ' 0', ';', '\n', '}'
    expect(estimateTokens('int main(void) {\n  return 0;\n}')).toBe(12);
    expect(estimateTokens('configurationManager')).toBe(4);
    expect(estimateTokens('1234567')).toBe(3);
    expect(estimateTokens('é→')).toBe(2);
  });

  it('is deterministic and grows with the text', () => {
    const code = 'def f(x):\n    return x * 2\n';
    expect(estimateTokens(code)).toBe(estimateTokens(code));
    expect(estimateTokens(code + code)).toBeGreaterThan(estimateTokens(code));
  });

  it('adds a per-message framing cost for chat prompts', () => {
    expect(estimateChatTokens([{ content: 'hello' }, { content: 'world' }])).toBe(2 + 2 * 4);
  });
});

describe('resolveBudget', () => {
  it('fills in the defaults (6000 tokens, one demonstration)', () => {
    expect(resolveBudget()).toEqual({ maxTokens: DEFAULT_MAX_TOKENS, maxDemonstrations: DEFAULT_MAX_DEMONSTRATIONS });
    expect(resolveBudget()).toEqual({ maxTokens: 6000, maxDemonstrations: 1 });
  });

  it('floors limits to whole non-negative numbers', () => {
    expect(resolveBudget({ maxTokens: 100.7, maxDemonstrations: -2 })).toEqual({ maxTokens: 100, maxDemonstrations: 0 });
    expect(resolveBudget({ maxTokens: Number.NaN })).toEqual({ maxTokens: 6000, maxDemonstrations: 1 });
  });
});

describe('fitDemonstrations', () => {
  const sizes: Record<string, number> = { a: 50, b: 80, c: 10, d: 10 };
  const fitsWithin = (limit: number) => (chosen: string[]) => chosen.reduce((sum, id) => sum + (sizes[id] ?? 0), 0) <= limit;

  it('takes the best ones first, up to the maximum', () => {
    expect(fitDemonstrations(['a', 'b', 'c', 'd'], 2, fitsWithin(1000))).toEqual(['a', 'b']);
    expect(fitDemonstrations(['a', 'b', 'c'], 0, fitsWithin(1000))).toEqual([]);
  });

  it('skips one that does not fit and lets a smaller, lower-ranked one in', () => {
    expect(fitDemonstrations(['a', 'b', 'c', 'd'], 2, fitsWithin(65))).toEqual(['a', 'c']);
    expect(fitDemonstrations(['b', 'a', 'c'], 1, fitsWithin(60))).toEqual(['a']);
    expect(fitDemonstrations(['a', 'b'], 1, fitsWithin(5))).toEqual([]);
  });
});

describe('largestFitting', () => {
  it('finds the largest cut that fits, or 0', () => {
    const cuts = [0, 3, 7, 12, 20];
    expect(largestFitting(cuts, (k) => k <= 12)).toBe(12);
    expect(largestFitting(cuts, (k) => k <= 11)).toBe(7);
    expect(largestFitting(cuts, () => true)).toBe(20);
    expect(largestFitting(cuts, () => false)).toBe(0);
    expect(largestFitting([0], () => true)).toBe(0);
  });
});
