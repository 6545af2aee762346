// How closely two weaknesses are related in MITRE's CWE hierarchy, from the ChildOf pairs of OWASP's
// cwe-sdk package (raw/cwe-hierarchy.json: `{ weaknessId, parentId }`, 1,308 pairs; shipped as is
// in the Action's bundle). Read once, on first use. Retrieval uses it when an alert names a CWE the
// corpus lacks: CWE-564 (SQL injection through Hibernate) is a child of CWE-89, and CWE-121 (stack
// overflow) of CWE-787, so their examples teach the fix better than any unrelated weakness.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cweId } from './id.js';

/** Equal, parent or child, or siblings (a shared parent) / grandparent or grandchild. */
export type CweDistance = 0 | 1 | 2;

interface Hierarchy {
  parents: Map<string, Set<string>>;
  children: Map<string, Set<string>>;
}

let hierarchy: Hierarchy | undefined;

/** The ChildOf file: `raw/cwe-hierarchy.json` of the cwe-sdk package this module resolves. */
export function cweHierarchyPath(): string {
  return join(dirname(createRequire(import.meta.url).resolve('cwe-sdk/package.json')), 'raw', 'cwe-hierarchy.json');
}

/** The parent and child sets from the ChildOf pairs; pairs that are not two ids are left out. */
export function hierarchyFromPairs(pairs: unknown): Hierarchy {
  const parents = new Map<string, Set<string>>();
  const children = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, key: string, value: string) => map.set(key, (map.get(key) ?? new Set()).add(value));
  for (const pair of Array.isArray(pairs) ? pairs : []) {
    const child = cweId(String((pair as { weaknessId?: unknown } | null)?.weaknessId ?? ''));
    const parent = cweId(String((pair as { parentId?: unknown } | null)?.parentId ?? ''));
    if (!child || !parent || child === parent) continue;
    add(parents, child, parent);
    add(children, parent, child);
  }
  return { parents, children };
}

function load(): Hierarchy {
  hierarchy ??= hierarchyFromPairs(JSON.parse(readFileSync(cweHierarchyPath(), 'utf8')));
  return hierarchy;
}

const none = new Set<string>();

/** The parents of a weakness ("CWE-121" → CWE-787, CWE-788); empty for a Pillar or an unknown id. */
export function cweParents(id: string, tree: Hierarchy = load()): ReadonlySet<string> {
  const normalized = cweId(id);
  return (normalized && tree.parents.get(normalized)) || none;
}

/**
 * Whether the id is a Pillar: a root of the ChildOf tree, with children and no parent (CWE-664,
 * CWE-693, CWE-707, ...: the most abstract weaknesses, each grouping unrelated ones).
 */
export function isCwePillar(id: string, tree: Hierarchy = load()): boolean {
  const normalized = cweId(id);
  return normalized !== undefined && tree.children.has(normalized) && !tree.parents.has(normalized);
}

/**
 * 0 for the same weakness, 1 for a parent or a child, 2 for a sibling (a shared parent), a
 * grandparent or a grandchild; undefined for anything further or not a CWE id.
 */
export function cweDistance(a: string, b: string, tree: Hierarchy = load()): CweDistance | undefined {
  const [x, y] = [cweId(a), cweId(b)];
  if (!x || !y) return undefined;
  if (x === y) return 0;
  const parentsOf = (id: string) => tree.parents.get(id) ?? none;
  const childrenOf = (id: string) => tree.children.get(id) ?? none;
  if (parentsOf(x).has(y) || childrenOf(x).has(y)) return 1;
  for (const parent of parentsOf(x)) {
    if (childrenOf(parent).has(y) || parentsOf(parent).has(y)) return 2;
  }
  for (const child of childrenOf(x)) if (childrenOf(child).has(y)) return 2;
  return undefined;
}
