// The few families of closely related CWEs that different tools use for the same bug, and the
// question they answer: do two CWE ids stand for the same weakness?
import { cweId } from './id.js';

/**
 * Tools name one bug with different CWEs: a stack buffer overrun is CWE-788 to cppcheck, CWE-787 to
 * CodeQL and CWE-120 or CWE-121 to others. Each family lists CWEs that stand for the same weakness
 * when the question is "does the rewrite still have it".
 */
const FAMILIES: readonly (readonly string[])[] = [
  // Buffer overruns and out-of-bounds access.
  [
    'CWE-119',
    'CWE-120',
    'CWE-121',
    'CWE-122',
    'CWE-124',
    'CWE-125',
    'CWE-126',
    'CWE-127',
    'CWE-129',
    'CWE-131',
    'CWE-170',
    'CWE-193',
    'CWE-786',
    'CWE-787',
    'CWE-788',
    'CWE-805',
    'CWE-806',
  ],
  // Use of freed or expired memory.
  ['CWE-416', 'CWE-825'],
  // NULL dereference, checked or not.
  ['CWE-476', 'CWE-690'],
  // Uninitialized values.
  ['CWE-457', 'CWE-908', 'CWE-909'],
  // Hard-coded secrets.
  ['CWE-259', 'CWE-798'],
  // Weak randomness.
  ['CWE-330', 'CWE-338'],
  // OS command injection.
  ['CWE-77', 'CWE-78'],
  // Code injection (eval).
  ['CWE-94', 'CWE-95'],
  // Broken or weak cryptography.
  ['CWE-326', 'CWE-327', 'CWE-328'],
  // XML external entities and entity expansion.
  ['CWE-611', 'CWE-776', 'CWE-827'],
  // Leaks of memory or other resources.
  ['CWE-401', 'CWE-772', 'CWE-775'],
];

/** The CWE itself plus the others of its family (normalized); just the CWE when it has no family. */
export function relatedCwes(cwe: string): string[] {
  const id = cweId(cwe);
  if (!id) return [];
  const family = FAMILIES.find((members) => members.includes(id));
  return family ? [...family] : [id];
}

/** Whether two CWE ids stand for the same weakness (equal, or in the same family). */
export function sameWeakness(a: string, b: string): boolean {
  const left = cweId(a);
  const right = cweId(b);
  if (!left || !right) return false;
  return left === right || relatedCwes(left).includes(right);
}

/** Whether any CWE in `cwes` is the same weakness as `target`. */
export function mentionsWeakness(cwes: readonly string[], target: string): boolean {
  return cwes.some((cwe) => sameWeakness(cwe, target));
}
