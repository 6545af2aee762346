// The CWE hierarchy from cwe-sdk's ChildOf pairs (the real file): parents and children are 1 apart,
// siblings and grandparents 2, anything further unrelated.
import { describe, expect, it } from 'vitest';
import { cweDistance, hierarchyFromPairs } from '../../src/cwe/hierarchy.js';

describe('cweDistance (cwe-sdk ChildOf pairs)', () => {
  it('a child and its parent are 1 apart, whatever the spelling', () => {
    expect(cweDistance('CWE-564', 'CWE-89')).toBe(1);
    expect(cweDistance('89', 'cwe-564')).toBe(1);
    expect(cweDistance('CWE-121', 'CWE-787')).toBe(1);
  });

  it('siblings and grandparents are 2 apart; the same weakness 0; unrelated or not an id, undefined', () => {
    expect(cweDistance('CWE-121', 'CWE-119')).toBe(2);
    expect(cweDistance('CWE-89', 'CWE-89')).toBe(0);
    expect(cweDistance('CWE-121', 'CWE-190')).toBeUndefined();
    expect(cweDistance('CWE-89', 'not-a-cwe')).toBeUndefined();
  });

  it('ignores malformed pairs and self-loops', () => {
    const tree = hierarchyFromPairs([
      { weaknessId: '2', parentId: '1' },
      { weaknessId: '3', parentId: '1' },
      { weaknessId: 'x' },
      null,
      { weaknessId: '4', parentId: '4' },
    ]);
    expect(cweDistance('CWE-2', 'CWE-3', tree)).toBe(2);
    expect(cweDistance('CWE-2', 'CWE-1', tree)).toBe(1);
    expect(cweDistance('CWE-4', 'CWE-1', tree)).toBeUndefined();
  });
});
