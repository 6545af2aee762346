// Best of n: among samples that passed validation, fewer analyzer findings first, then the
// smallest change to the original (the least surprising suggestion to review).
import { diffLines } from 'diff';

export interface ValidCandidate {
  code: string;
  findings: number;
}

export function changedLineCount(original: string, rewritten: string): number {
  return diffLines(original, rewritten).reduce((sum, part) => sum + (part.added || part.removed ? (part.count ?? 0) : 0), 0);
}

export function chooseBest<T extends ValidCandidate>(candidates: readonly T[], original: string): T | undefined {
  return [...candidates]
    .map((candidate) => ({ candidate, changed: changedLineCount(original, candidate.code) }))
    .sort((a, b) => a.candidate.findings - b.candidate.findings || a.changed - b.changed)[0]?.candidate;
}
