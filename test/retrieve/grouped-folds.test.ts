// The CV harness's fold assignment (src/eval/grouped-folds.ts): a query's own fix must never sit in
// its training folds, or tuning would reward memorising near-duplicates.
import { describe, expect, it } from 'vitest';
import { groupedFolds } from '../../src/eval/grouped-folds.js';

describe('groupedFolds', () => {
  const keys = [
    ['commit:a', 'file:x.c'],
    ['commit:b', 'file:x.c'], // same file as item 0
    ['commit:b', 'file:y.c'], // same commit as item 1, so with item 0 too
    ['commit:c', 'file:z.c'],
    ['commit:d', 'file:w.c'],
    ['commit:e', 'file:v.c'],
  ];

  it('puts items linked by any shared key in one fold', () => {
    const folds = groupedFolds(keys, 3);
    expect(folds[1]).toBe(folds[0]);
    expect(folds[2]).toBe(folds[0]);
    expect(folds.every((fold) => fold >= 0 && fold < 3)).toBe(true);
  });

  it('balances folds and is deterministic', () => {
    const many = Array.from({ length: 100 }, (_, i) => [`commit:${i}`]);
    const folds = groupedFolds(many, 5);
    const sizes = [0, 1, 2, 3, 4].map((f) => folds.filter((fold) => fold === f).length);
    expect(sizes).toEqual([20, 20, 20, 20, 20]);
    expect(groupedFolds(many, 5)).toEqual(folds);
  });
});
