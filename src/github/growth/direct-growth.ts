// Direct growth (growth.mode: direct): the functions that passed the gates join the corpus at once,
// their fixes' vulnerable versions join the labelled examples, the audit trail records each
// addition (with its gate results) and refusal, and the index is extended.
import type { CorpusEntry } from '../../corpus/entry.js';
import { DEFAULT_MAX_ENTRY_CHARS } from '../../corpus/prepare-entry.js';
import { duplicateRejection, type Rejection } from './gated-functions.js';
import { addedRecord, appendOnce, refusedRecord } from './growth-audit.js';
import type { GatedRun } from './growth-types.js';
import { examplesOf } from './labelled-examples.js';

export interface DirectGrowth {
  /** Entries this run added. */
  added: CorpusEntry[];
  /** Every function of the pull request in the corpus now (an earlier run's too). */
  joined: CorpusEntry[];
  rejected: Rejection[];
}

export async function growDirectly(run: GatedRun): Promise<DirectGrowth> {
  const { corpus, gated, deps, where } = run;
  const rejected = [...run.rejected];
  const gatesOf = new Map([...gated.passed, ...gated.joinedEarlier].map((passed) => [passed.entry.sha256, passed.gates]));
  const entries = gated.passed.map((passed) => passed.entry);
  const { added, duplicates } = entries.length > 0 ? await corpus.store.append(entries) : { added: [], duplicates: [] };
  // Another writer added the same code between the read and the append.
  for (const entry of duplicates) rejected.push(duplicateRejection(entry, 'already in the corpus', gatesOf.get(entry.sha256)));

  if (added.length > 0) {
    deps.log.info({ ...where, added: added.length, corpus: corpus.store.location }, 'added merged functions to the corpus');
    const fixes = new Map(gated.passed.map((passed) => [passed.entry.sha256, passed.fix]));
    const examples = await corpus.store.appendExamples(examplesOf(added, fixes, deps.maxEntryChars ?? DEFAULT_MAX_ENTRY_CHARS));
    if (examples.length > 0) deps.log.info({ ...where, examples: examples.length }, 'added labelled examples of the fixed code for the CWE classifier');
  }
  const joined = [...gated.joinedEarlier.map((earlier) => earlier.entry), ...added];
  // An earlier run that died before its audit left the records of its additions to this one.
  await appendOnce(corpus.store, [
    ...joined.map((entry) => addedRecord(entry, gatesOf.get(entry.sha256), run.audit)),
    ...rejected.map((rejection) => refusedRecord(rejection, run.audit)),
  ]);
  if (added.length > 0) {
    // The entries are safe in the corpus; an index that cannot be extended now is rebuilt on the next review.
    await corpus.retrieval().catch((error: unknown) => deps.log.warn({ ...where, err: error }, 'could not extend the index after the append'));
  }
  return { added, joined, rejected };
}
