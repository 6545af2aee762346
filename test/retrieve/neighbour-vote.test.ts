import { describe, expect, it } from 'vitest';
import { DEFAULT_NEIGHBOUR_VOTE, voteWeight, voteWithNeighbours } from '../../src/retrieve/neighbour-vote.js';

const classes = ['CWE-125', 'CWE-476', 'CWE-787'];
const classifier = Float64Array.from([0.6, 0.3, 0.1]);

describe('voteWeight', () => {
  it('is nothing up to low, full at high and above, linear between', () => {
    const options = { ...DEFAULT_NEIGHBOUR_VOTE, low: 0.5, high: 0.9, maxWeight: 0.8 };
    expect(voteWeight(0.5, options)).toBe(0);
    expect(voteWeight(0.1, options)).toBe(0);
    expect(voteWeight(0.7, options)).toBeCloseTo(0.4);
    expect(voteWeight(0.9, options)).toBeCloseTo(0.8);
    expect(voteWeight(0.99, options)).toBeCloseTo(0.8);
    expect(voteWeight(Number.NaN, options)).toBe(0);
  });
});

describe('voteWithNeighbours', () => {
  it('leaves the classifier alone when the nearest document is a stranger', () => {
    const result = voteWithNeighbours(classifier, classes, [{ cwe: ['CWE-787'], similarity: 0.3 }]);
    expect(Array.from(result)).toEqual(Array.from(classifier));
  });

  it('lets a near copy overrule the classifier', () => {
    const result = voteWithNeighbours(classifier, classes, [{ cwe: ['CWE-787'], similarity: 0.97 }], { low: 0.6, high: 0.9, maxWeight: 0.7 });
    expect(result[2]).toBeCloseTo(0.3 * 0.1 + 0.7);
    expect(result[0]).toBeCloseTo(0.3 * 0.6);
    expect(Array.from(result).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });

  it('weighs each neighbour by its similarity and shares a document among its labels', () => {
    const result = voteWithNeighbours(
      Float64Array.from([1 / 3, 1 / 3, 1 / 3]),
      classes,
      [
        { cwe: ['CWE-476'], similarity: 1 },
        { cwe: ['CWE-125', 'CWE-787'], similarity: 1 },
      ],
      { low: 0, high: 0.5, maxWeight: 1 },
    );
    expect(Array.from(result).map((p) => Number(p.toFixed(3)))).toEqual([0.25, 0.5, 0.25]);
  });

  it('ignores labels that are not classes and neighbours beyond k', () => {
    const result = voteWithNeighbours(
      classifier,
      classes,
      [
        { cwe: ['CWE-999'], similarity: 0.95 },
        { cwe: ['CWE-476'], similarity: 0.9 },
        { cwe: ['CWE-787'], similarity: 0.9 },
      ],
      { k: 2, low: 0.5, high: 0.9, maxWeight: 1 },
    );
    expect(result[1]).toBeCloseTo(1);
    expect(result[2]).toBeCloseTo(0);
  });

  it('keeps the classifier when no neighbour has a known label', () => {
    const result = voteWithNeighbours(classifier, classes, [{ cwe: ['CWE-999'], similarity: 0.99 }]);
    expect(Array.from(result)).toEqual(Array.from(classifier));
  });
});
