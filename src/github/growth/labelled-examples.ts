// What the fixes of alerts teach the CWE classifier: each function as it was before the fix (the
// kind of code reviews ask about), its lines up to the fix and the lines the fix added, labelled
// with the alert's CWE. Functions without a CWE teach it nothing. They go where their entries go:
// into the corpus folder or repository with them, or onto the proposal branch beside them.
import type { CorpusEntry } from '../../corpus/entry.js';
import { cweExamplesOfFix, type CweExample } from '../../corpus/cwe-examples.js';
import type { MergedFunction } from './merged-functions.js';

/** The labelled examples of `entries`, from the merged function each was made of (by its hash). */
export function examplesOf(entries: readonly CorpusEntry[], fixes: ReadonlyMap<string, MergedFunction>, maxChars: number): CweExample[] {
  return entries.flatMap((entry) => {
    const fix = fixes.get(entry.sha256);
    if (!fix?.before) return [];
    const { repo, commit, path } = entry.source;
    return cweExamplesOfFix(
      {
        language: fix.language,
        cwe: fix.cwe,
        before: fix.before.code,
        after: fix.function.code,
        source: { ...(repo ? { repo } : {}), ...(commit ? { commit } : {}), ...(path ? { path } : {}) },
      },
      maxChars,
    );
  });
}
