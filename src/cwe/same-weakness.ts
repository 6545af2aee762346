// Do two CWE ids stand for the same weakness? Tools name one bug at different levels of MITRE's
// hierarchy: a stack buffer overrun is CWE-121 to one, CWE-787 (its parent) to another and CWE-119
// (the parent of that) to gcc. The analyzer gates ask this question: can an analyzer's silence prove
// the alert's weakness fixed (tool-analyzer.ts), does the alert's weakness still fire on the rewrite
// (harden-target.ts), does a finding count against the eval scenario's weakness (eval/security/judges.ts).
//
// The rule: equal, or one is a parent of the other along ChildOf (hierarchy.ts), unless that parent
// is too broad to stand for one weakness: a Pillar (CWE-664, CWE-693, CWE-707, ...) or a level-1
// Class (a child of a Pillar) MITRE discourages mapping to (CWE-20, CWE-74, CWE-330, CWE-665, ...;
// `Mapping_Notes.Usage` in the dictionary, names.ts). One step only, and not transitive: CWE-121 is
// the same weakness as CWE-787, and CWE-787 as CWE-119, but CWE-121 is not CWE-119, since two steps
// up from use after free (CWE-416, child of CWE-825) is CWE-119 as well. Siblings are different
// weaknesses: SQL injection (CWE-89) and cross-site scripting (CWE-79) share only CWE-74, an
// out-of-bounds write (CWE-787) and read (CWE-125) only CWE-119.
import { cweParents, isCwePillar } from './hierarchy.js';
import { cweId } from './id.js';
import { cweMappingUsage } from './names.js';

/**
 * What a tool calls a weakness the hierarchy files elsewhere: pairs the rule above does not join,
 * each the same weakness when the question is "does the rewrite still have it".
 */
const TOOL_EQUIVALENCES: readonly (readonly [string, string])[] = [
  // cppcheck says CWE-788 (access after the end of a buffer) for every out-of-bounds access
  // (arrayIndexOutOfBounds, bufferAccessOutOfBounds), read or write; CodeQL and gcc say CWE-787 for
  // a write and CWE-125 for a read. All three are children of CWE-119, so only siblings.
  ['CWE-788', 'CWE-787'],
  ['CWE-788', 'CWE-125'],
  // cppcheck says CWE-786 (access before the start) for a negative index (negativeIndex,
  // negativeContainerIndex), read or write; again a sibling of CWE-787 and CWE-125.
  ['CWE-786', 'CWE-787'],
  ['CWE-786', 'CWE-125'],
  // gcc's -Wanalyzer-possible-null-dereference says CWE-690 (unchecked return value to NULL pointer
  // dereference, a compound filed under CWE-252); CodeQL, cppcheck and clang say CWE-476.
  ['CWE-690', 'CWE-476'],
];

/**
 * Whether a parent is too broad to be the same weakness as its children: a Pillar, or a Class
 * right under one that MITRE discourages mapping a vulnerability to.
 */
export function isBroadCwe(id: string): boolean {
  if (isCwePillar(id)) return true;
  return [...cweParents(id)].some((parent) => isCwePillar(parent)) && cweMappingUsage(id) === 'Discouraged';
}

/** Whether `parent` is a parent of `child` that is specific enough to stand for the same weakness. */
function specificParent(child: string, parent: string): boolean {
  return cweParents(child).has(parent) && !isBroadCwe(parent);
}

/** Whether two CWE ids ("CWE-89", "cwe-089", "89") stand for the same weakness (see the rule above). */
export function sameWeakness(a: string, b: string): boolean {
  const left = cweId(a);
  const right = cweId(b);
  if (!left || !right) return false;
  if (left === right) return true;
  if (specificParent(left, right) || specificParent(right, left)) return true;
  return TOOL_EQUIVALENCES.some(([x, y]) => (x === left && y === right) || (x === right && y === left));
}

/** Whether any CWE in `cwes` is the same weakness as `target`. */
export function mentionsWeakness(cwes: readonly string[], target: string): boolean {
  return cwes.some((cwe) => sameWeakness(cwe, target));
}
