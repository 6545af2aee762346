// Grouped k-fold assignment: items that share any group key (the same fixing commit, the same file
// of the same repository) land in the same fold, so a held-out query never has a near-duplicate
// of its own fix among the training folds. Deterministic: the same keys give the same folds.
import { createHash } from 'node:crypto';

class UnionFind {
  private readonly parent: number[];

  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
  }

  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    while (this.parent[i] !== root) {
      const next = this.parent[i] as number;
      this.parent[i] = root;
      i = next;
    }
    return root;
  }

  union(a: number, b: number): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * The fold (0..k-1) of each item. Groups are the connected components of "shares a key"; each
 * group goes to the fold with the fewest items so far, groups taken largest first (ties by a hash
 * of their first key, not by input order) so folds come out balanced.
 */
export function groupedFolds(keysOf: readonly (readonly string[])[], k: number): number[] {
  const sets = new UnionFind(keysOf.length);
  const firstWithKey = new Map<string, number>();
  keysOf.forEach((keys, i) => {
    for (const key of keys) {
      const earlier = firstWithKey.get(key);
      if (earlier === undefined) firstWithKey.set(key, i);
      else sets.union(earlier, i);
    }
  });
  const members = new Map<number, number[]>();
  keysOf.forEach((_, i) => {
    const root = sets.find(i);
    members.set(root, [...(members.get(root) ?? []), i]);
  });
  const tieBreak = (root: number) =>
    createHash('sha256')
      .update(`${root}:${(keysOf[root] ?? []).join('|')}`)
      .digest('hex');
  const groups = [...members.entries()].sort((a, b) => b[1].length - a[1].length || tieBreak(a[0]).localeCompare(tieBreak(b[0])));
  const foldSizes = new Array<number>(k).fill(0);
  const fold = new Array<number>(keysOf.length).fill(0);
  for (const [, items] of groups) {
    const smallest = foldSizes.indexOf(Math.min(...foldSizes));
    for (const i of items) fold[i] = smallest;
    foldSizes[smallest] = (foldSizes[smallest] as number) + items.length;
  }
  return fold;
}
