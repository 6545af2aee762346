// What happened to the suggestions SecCoder posted, kept beside the corpus (`feedback.jsonl`), so
// each corpus entry can be judged by the suggestions it taught: posted (with the demonstrations it
// showed), then applied (a later push holds the suggested lines, or GitHub's "apply suggestion"
// commit) or dismissed (a 👎 on the comment, or its thread resolved unapplied). Alerts the org saw
// with no demonstration to show are kept here too, for the coverage page.
import { z } from 'zod';
import { cweIdSchema } from '../cwe/schema.js';
import { LANGUAGES } from '../lang/languages.js';
import type { LineProblem } from './jsonl.js';
import { parseSideLog, type SideLogMerge } from './side-log.js';
import type { CorpusStore } from './types.js';

export const FEEDBACK_EVENTS = ['posted', 'applied', 'dismissed', 'uncovered-alert'] as const;
export type FeedbackEvent = (typeof FEEDBACK_EVENTS)[number];

/** One posted suggestion: where it is on GitHub, and its fingerprint (the same one the review uses to post once). */
export const suggestionRefSchema = z
  .object({
    /** `owner/name`. */
    repo: z.string().min(1),
    pullRequest: z.number().int().positive(),
    fingerprint: z.string().min(1),
    commentId: z.number().int().positive().optional(),
    path: z.string().min(1).optional(),
    line: z.number().int().positive().optional(),
  })
  .strict();
export type SuggestionRef = z.infer<typeof suggestionRefSchema>;

export const feedbackRecordSchema = z
  .object({
    at: z.string().datetime(),
    event: z.enum(FEEDBACK_EVENTS),
    /** posted, applied, dismissed. */
    suggestion: suggestionRefSchema.optional(),
    /** posted: the ids of the corpus entries the prompt showed, first the one the comment cites. */
    demonstrations: z.array(z.string().min(1)).optional(),
    /** posted and uncovered-alert: the weakness asked about, and the code's language. */
    cwe: z.array(cweIdSchema).optional(),
    language: z.enum(LANGUAGES).optional(),
    /** uncovered-alert: `owner/name` where the alert was seen. */
    repo: z.string().min(1).optional(),
    /** applied or dismissed: how it was seen (`suggested lines in head`, `thumbs-down`, `thread resolved unapplied`). */
    reason: z.string().optional(),
    actor: z.string().min(1).optional(),
  })
  .strict();
export type FeedbackRecord = z.infer<typeof feedbackRecordSchema>;

export function parseFeedback(text: string, file: string): { records: FeedbackRecord[]; problems: LineProblem[] } {
  return parseSideLog(text, file, feedbackRecordSchema);
}

export function serializeFeedbackRecord(record: FeedbackRecord): string {
  return JSON.stringify(feedbackRecordSchema.parse(record));
}

/** Key of a posted suggestion: one per pull request and fingerprint. */
export function suggestionKey(ref: Pick<SuggestionRef, 'repo' | 'pullRequest' | 'fingerprint'>): string {
  return `${ref.repo}#${ref.pullRequest}:${ref.fingerprint}`;
}

export type SuggestionState = 'left' | 'applied' | 'dismissed';

/** Each posted suggestion's demonstrations and its state now; applied is final (code that landed cannot be un-applied by a reaction). */
export function suggestionStates(records: readonly FeedbackRecord[]): Map<string, { demonstrations: string[]; state: SuggestionState }> {
  const states = new Map<string, { demonstrations: string[]; state: SuggestionState }>();
  for (const record of records) {
    if (!record.suggestion) continue;
    const key = suggestionKey(record.suggestion);
    const current = states.get(key);
    if (record.event === 'posted') {
      if (!current) states.set(key, { demonstrations: record.demonstrations ?? [], state: 'left' });
    } else if (current && current.state !== 'applied' && (record.event === 'applied' || record.event === 'dismissed')) {
      current.state = record.event;
    }
  }
  return states;
}

/** Per corpus entry: the suggestions that showed it, and how many of those were applied or dismissed. */
export interface EntryAcceptance {
  suggestions: number;
  applied: number;
  dismissed: number;
}

/**
 * Acceptance per entry. A suggestion counts for every demonstration it showed: the prompt learnt
 * from all of them, and which one carried the fix cannot be told apart.
 */
export function acceptanceByEntry(records: readonly FeedbackRecord[]): Map<string, EntryAcceptance> {
  const byEntry = new Map<string, EntryAcceptance>();
  for (const { demonstrations, state } of suggestionStates(records).values()) {
    for (const id of new Set(demonstrations)) {
      const figures = byEntry.get(id) ?? { suggestions: 0, applied: 0, dismissed: 0 };
      figures.suggestions += 1;
      if (state === 'applied') figures.applied += 1;
      if (state === 'dismissed') figures.dismissed += 1;
      byEntry.set(id, figures);
    }
  }
  return byEntry;
}

export async function readFeedback(store: CorpusStore): Promise<{ records: FeedbackRecord[]; problems: LineProblem[] }> {
  return parseFeedback(await store.readLog('feedback'), store.logLocation('feedback'));
}

/** Appends the records `decide` returns from the log as it is at the moment of writing; returns them. */
export async function appendFeedback(store: CorpusStore, decide: (current: FeedbackRecord[]) => FeedbackRecord[]): Promise<FeedbackRecord[]> {
  let written: FeedbackRecord[] = [];
  const merge: SideLogMerge = (text) => {
    written = decide(parseFeedback(text, store.logLocation('feedback')).records);
    return written.map(serializeFeedbackRecord);
  };
  await store.updateLog('feedback', merge);
  return written;
}
