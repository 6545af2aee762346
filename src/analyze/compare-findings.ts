// Is a rewrite worse than the original? Findings are matched by rule and CWE, never by line (a
// rewrite moves lines), and counted: one B608 before and two after means one was added.
import type { Finding } from './types.js';

export interface FindingsDiff {
  /** Findings of `after` beyond what `before` had for the same rule and CWEs. */
  added: Finding[];
  /** Findings of `before` beyond what `after` has for the same rule and CWEs. */
  removed: Finding[];
}

/** The identity a finding keeps when code moves: its rule and its (sorted) CWEs. */
export function findingKey(finding: Finding): string {
  return `${finding.ruleId}\u0000${[...finding.cwe].sort().join(',')}`;
}

function countByKey(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const finding of findings) counts.set(findingKey(finding), (counts.get(findingKey(finding)) ?? 0) + 1);
  return counts;
}

/** The findings of `from` left over once each is matched against one of `against` with the same key. */
function unmatched(from: readonly Finding[], against: readonly Finding[]): Finding[] {
  const available = countByKey(against);
  const left: Finding[] = [];
  for (const finding of from) {
    const key = findingKey(finding);
    const count = available.get(key) ?? 0;
    if (count > 0) available.set(key, count - 1);
    else left.push(finding);
  }
  return left;
}

/**
 * What a rewrite added and removed, comparing one analyzer's findings on the original (`before`)
 * and on the rewrite (`after`). Findings of several analyzers may be compared together when both
 * lists come from the same analyzers. When counts differ, the later findings are the extra ones.
 */
export function compareFindings(before: readonly Finding[], after: readonly Finding[]): FindingsDiff {
  return { added: unmatched(after, before), removed: unmatched(before, after) };
}
