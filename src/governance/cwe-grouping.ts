// Lays a set of CWEs out as MITRE's hierarchy does, for the coverage table: one group per Pillar
// (CWE-664 resources, CWE-707 neutralization, ...), and inside it each CWE nested under the
// nearest of its ancestors that is in the set too (CWE-125 and CWE-787 under CWE-119), or, when
// none is, shown with its direct parents named (CWE-89, "child of CWE-74, CWE-943"). CWEs the
// hierarchy does not know form a last group of their own.
import { cweParents, isCwePillar } from '../cwe/hierarchy.js';

export interface HierarchyRow {
  cwe: string;
  /** 0 for a row no other row of its group is an ancestor of; one more per level of nesting. */
  depth: number;
  /** The row this one is nested under (the nearest ancestor in the set), when there is one. */
  nestedUnder?: string;
  /** Direct parents other than the group's Pillar, for rows not nested under another (so the table still says where they sit). */
  parents: string[];
}

export interface HierarchyGroup {
  /** The Pillar the rows descend from; undefined for the group of CWEs outside the hierarchy. */
  pillar?: string;
  /** In tree order: each row followed by the rows nested under it, siblings by number. */
  rows: HierarchyRow[];
}

const cweNumber = (cwe: string) => Number(cwe.slice('CWE-'.length)) || Number.MAX_SAFE_INTEGER;
const byNumber = (a: string, b: string) => cweNumber(a) - cweNumber(b);

/** Ancestors nearest first (breadth-first; at equal distance, lowest number first), each once. */
function ancestors(cwe: string): string[] {
  const seen = new Set<string>([cwe]);
  const order: string[] = [];
  let level = [cwe];
  while (level.length > 0) {
    const next: string[] = [];
    for (const id of level) {
      for (const parent of [...cweParents(id)].sort(byNumber)) {
        if (seen.has(parent)) continue;
        seen.add(parent);
        next.push(parent);
      }
    }
    next.sort(byNumber);
    order.push(...next);
    level = next;
  }
  return order;
}

/** The group a CWE goes in: itself when it is a Pillar, else its nearest Pillar ancestor. */
function pillarOf(cwe: string, lineage: string[]): string | undefined {
  if (isCwePillar(cwe)) return cwe;
  return lineage.find((ancestor) => isCwePillar(ancestor));
}

export function groupByHierarchy(cwes: Iterable<string>): HierarchyGroup[] {
  const ids = [...new Set(cwes)].sort(byNumber);
  const present = new Set(ids);
  const lineage = new Map(ids.map((cwe) => [cwe, ancestors(cwe)]));
  const pillars = new Map(ids.map((cwe) => [cwe, pillarOf(cwe, lineage.get(cwe) ?? [])]));

  const children = new Map<string, string[]>();
  const roots = new Map<string | undefined, string[]>();
  const nestedUnder = new Map<string, string>();
  for (const cwe of ids) {
    const pillar = pillars.get(cwe);
    // Nested only under a row of the same group, so every row shows once, in its own Pillar.
    const parent = lineage.get(cwe)?.find((ancestor) => present.has(ancestor) && pillars.get(ancestor) === pillar);
    if (parent) {
      nestedUnder.set(cwe, parent);
      children.set(parent, [...(children.get(parent) ?? []), cwe]);
    } else {
      roots.set(pillar, [...(roots.get(pillar) ?? []), cwe]);
    }
  }

  // Everything reachable from a top; anything else sits in a cycle.
  const reachable = new Set<string>();
  const mark = (cwe: string) => {
    if (reachable.has(cwe)) return;
    reachable.add(cwe);
    for (const child of children.get(cwe) ?? []) mark(child);
  };
  for (const top of roots.values()) top.forEach(mark);

  const groups: HierarchyGroup[] = [];
  const visited = new Set<string>();
  const pillarKeys = [...new Set(pillars.values())].filter((key): key is string => key !== undefined).sort(byNumber);
  for (const pillar of [...pillarKeys, undefined]) {
    // Rows caught in a cycle of the data (each nested under the other) would be nobody's child: they become tops.
    const top = [...(roots.get(pillar) ?? []), ...ids.filter((cwe) => pillars.get(cwe) === pillar && !reachable.has(cwe))];
    if (top.length === 0) continue;
    const rows: HierarchyRow[] = [];
    const visit = (cwe: string, depth: number) => {
      if (visited.has(cwe)) return;
      visited.add(cwe);
      const under = depth > 0 ? nestedUnder.get(cwe) : undefined;
      rows.push({
        cwe,
        depth,
        ...(under ? { nestedUnder: under } : {}),
        parents: under ? [] : [...cweParents(cwe)].filter((parent) => parent !== pillar).sort(byNumber),
      });
      for (const child of children.get(cwe) ?? []) visit(child, depth + 1);
    };
    for (const cwe of top) visit(cwe, 0);
    groups.push({ ...(pillar ? { pillar } : {}), rows });
  }
  return groups;
}
