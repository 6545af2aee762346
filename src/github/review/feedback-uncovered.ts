// Alerts the review saw with no demonstration of their weakness to show: the gaps of the corpus, for
// the coverage page (`uncovered-alert` records in feedback.jsonl).
//
// The rule: an alert's CWE is covered when one of the demonstrations the prompt showed for its
// function has that CWE, or one that stands for the same weakness (sameWeakness: a direct parent
// or child that is not a broad class, or a known tool equivalence). The retriever fills its
// tiers down to siblings (CWE-89 for a CWE-79 alert, both children of CWE-74) and then to anything
// similar; those are other weaknesses, and an alert answered only by them is uncovered. Alerts
// without a CWE say nothing about coverage and are not recorded; neither are alerts on functions
// the review did not harden this time (no retrieval ran for them).
//
// At most one record per repository, CWE and language per UTC day: a busy repository re-reviewed
// on every push must not flood the log, and the page counts days seen.
import { appendFeedback, type FeedbackRecord } from '../../corpus/feedback.js';
import { cweIdSchema } from '../../cwe/schema.js';
import { mentionsWeakness } from '../../cwe/same-weakness.js';
import type { TargetOutcome } from '../../harden/harden-target.js';
import type { CorpusStore } from '../../corpus/types.js';
import { repoName, sameRepo } from './feedback-identity.js';

/** The day a record is about: `2026-03-02`. */
const dayOf = (at: string): string => at.slice(0, 10);

/** One record per uncovered (CWE, language) among the outcomes' alerts, each with one CWE. */
export function uncoveredAlertRecords(outcomes: readonly TargetOutcome[], where: { owner: string; repo: string; at: Date }): FeedbackRecord[] {
  const records = new Map<string, FeedbackRecord>();
  for (const outcome of outcomes) {
    const shown = outcome.demonstrations.flatMap((demo) => demo.entry.cwe);
    const language = outcome.target.language;
    for (const cwe of new Set(outcome.target.alerts.flatMap((alert) => alert.cwe))) {
      if (!cweIdSchema.safeParse(cwe).success || mentionsWeakness(shown, cwe)) continue;
      const key = `${cwe}:${language}`;
      if (!records.has(key))
        records.set(key, { at: where.at.toISOString(), event: 'uncovered-alert', cwe: [cwe], language, repo: repoName(where.owner, where.repo) });
    }
  }
  return [...records.values()];
}

/** Whether two uncovered-alert records are about the same repository, CWE, language and day. */
function sameDaySighting(a: FeedbackRecord, b: FeedbackRecord): boolean {
  return (
    a.event === 'uncovered-alert' &&
    b.event === 'uncovered-alert' &&
    sameRepo(a.repo ?? '', b.repo ?? '') &&
    a.language === b.language &&
    (a.cwe ?? []).join(',') === (b.cwe ?? []).join(',') &&
    dayOf(a.at) === dayOf(b.at)
  );
}

/** Appends the records not yet seen that day (decided while the writer holds the log); returns those written. */
export async function recordUncoveredAlerts(store: CorpusStore, records: readonly FeedbackRecord[]): Promise<FeedbackRecord[]> {
  if (records.length === 0) return [];
  return appendFeedback(store, (current) => {
    const kept: FeedbackRecord[] = [];
    for (const record of records) {
      if (current.some((seen) => sameDaySighting(seen, record)) || kept.some((seen) => sameDaySighting(seen, record))) continue;
      kept.push(record);
    }
    return kept;
  });
}
