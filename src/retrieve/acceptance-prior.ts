// A ranking prior from how the suggestions an entry taught were received (feedback.jsonl): an
// entry whose suggestions developers dismiss moves down, one whose suggestions they apply moves a
// little up. Smoothed with a Beta prior, so an entry with no or little feedback (a new or rare
// one) keeps its place; only repeated dismissals move it far.
import type { EntryAcceptance } from '../corpus/feedback.js';

export interface AcceptancePriorOptions {
  /** Pseudo-counts of applied and dismissed suggestions every entry starts with (default 2 and 2). */
  applied?: number;
  dismissed?: number;
  /** Weight of the log-odds shift (default 1). */
  weight?: number;
  /** Largest lift an entry can get from applied suggestions, in log units (default 0.5). */
  maxLift?: number;
}

/** `entryId → log(p / p₀)`: p the smoothed share of its judged suggestions that were applied, p₀ the same with no feedback. */
export function acceptancePrior(
  figures: ReadonlyMap<string, EntryAcceptance>,
  options: AcceptancePriorOptions = {},
): ((entryId: string) => number) | undefined {
  if (figures.size === 0) return undefined;
  const a = options.applied ?? 2;
  const b = options.dismissed ?? 2;
  const weight = options.weight ?? 1;
  const maxLift = options.maxLift ?? 0.5;
  const base = a / (a + b);
  const shifts = new Map<string, number>();
  for (const [id, { applied, dismissed }] of figures) {
    if (applied + dismissed === 0) continue;
    const p = (applied + a) / (applied + dismissed + a + b);
    shifts.set(id, Math.min(maxLift, weight * Math.log(p / base)));
  }
  return (entryId) => shifts.get(entryId) ?? 0;
}
