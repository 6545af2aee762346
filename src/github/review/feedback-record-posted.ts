// After a review is posted: one `posted` record per suggestion it put on the pull request, with the
// corpus entries its prompt showed (the one the comment cites first), so acceptance can be counted
// per entry later. Written once: a redelivered event, a second worker or a retried job finds the
// suggestion's key in the log (checked while the writer holds the log) and writes nothing.
import { appendFeedback, suggestionKey, type FeedbackRecord } from '../../corpus/feedback.js';
import { cweIdSchema } from '../../cwe/schema.js';
import type { TargetOutcome } from '../../harden/harden-target.js';
import type { CorpusStore } from '../../corpus/types.js';
import { fingerprintOf, readFingerprints, sameSuggestion, type Fingerprint } from './fingerprint.js';
import { feedbackFingerprint, repoName } from './feedback-identity.js';
import type { ReviewPlan } from './plan.js';

export interface PostedContext {
  owner: string;
  repo: string;
  pullNumber: number;
  /** When the review was posted. */
  at: Date;
}

/** The fingerprints a posted plan carries: on its inline comments and at the end of its body. */
function plannedFingerprints(plan: Pick<ReviewPlan, 'comments' | 'bodyFingerprints'>): Fingerprint[] {
  return [...readFingerprints(plan.comments.map((comment) => comment.body)), ...plan.bodyFingerprints];
}

/** CWE ids the log's schema takes (`CWE-89`); anything else a suggestion carries is left out. */
const validCwes = (cwes: readonly string[]): string[] => [...new Set(cwes.filter((cwe) => cweIdSchema.safeParse(cwe).success))];

/**
 * A `posted` record for each outcome whose suggestion the plan posted, in plan order. Its line is
 * the first line of its first inline comment, else the function's first line (a suggestion shown
 * only in the review body).
 */
export function postedRecords(
  outcomes: readonly TargetOutcome[],
  plan: Pick<ReviewPlan, 'comments' | 'bodyFingerprints'>,
  context: PostedContext,
): FeedbackRecord[] {
  const planned = plannedFingerprints(plan);
  const records: FeedbackRecord[] = [];
  const seen = new Set<string>();
  for (const outcome of outcomes) {
    const suggestion = outcome.suggestion;
    if (!suggestion) continue;
    const fp = fingerprintOf(suggestion);
    if (!planned.some((posted) => sameSuggestion(posted, fp))) continue;
    const fingerprint = feedbackFingerprint(fp);
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    const inline = plan.comments.find((comment) => readFingerprints([comment.body]).some((posted) => feedbackFingerprint(posted) === fingerprint));
    const line = inline ? (inline.start_line ?? inline.line) : suggestion.startLine;
    const cwe = validCwes(suggestion.cwe);
    records.push({
      at: context.at.toISOString(),
      event: 'posted',
      suggestion: {
        repo: repoName(context.owner, context.repo),
        pullRequest: context.pullNumber,
        fingerprint,
        path: suggestion.path,
        ...(line > 0 ? { line } : {}),
      },
      demonstrations: suggestion.demonstrations.map((demo) => demo.id),
      ...(cwe.length > 0 ? { cwe } : {}),
      language: outcome.target.language,
    });
  }
  return records;
}

/** Appends the records whose suggestion the log does not hold yet; returns those written. */
export async function recordPosted(store: CorpusStore, records: readonly FeedbackRecord[]): Promise<FeedbackRecord[]> {
  if (records.length === 0) return [];
  return appendFeedback(store, (current) => {
    const posted = new Set(current.flatMap((record) => (record.event === 'posted' && record.suggestion ? [suggestionKey(record.suggestion)] : [])));
    return records.filter((record) => {
      if (!record.suggestion) return false;
      const key = suggestionKey(record.suggestion);
      if (posted.has(key)) return false;
      posted.add(key);
      return true;
    });
  });
}
