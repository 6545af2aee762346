// A ranking prior from how the suggestions an entry taught were received (feedback.jsonl): an
// entry whose suggestions developers dismiss moves down, one whose suggestions they apply may move
// a little up. Smoothed, so little evidence moves little:
//   - the reference rate p₀ an entry is held to is the applied share of the other entries' judged
//     suggestions, pulled toward ½ by `referenceStrength` pseudo-judgements (an org whose
//     developers apply a third of what they judge does not push every shown entry below the
//     unshown ones; leaving the entry out, its own dismissals do not lower its bar);
//   - an entry's rate p is its applied share, pulled toward p₀ by `strength` pseudo-judgements;
//   - and it is judged by the edge of its Beta posterior nearest p₀, `confidence` standard
//     deviations from the mean: it moves down only once its rate is credibly below p₀ (up only
//     once credibly above), so an entry with no or little feedback, a new or a rare one, keeps
//     its place, and one unlucky dismissal moves nothing.
// Its shift is weight · log(edge / p₀), at most `maxLift` above 0.
import type { EntryAcceptance } from '../corpus/feedback.js';

export interface AcceptancePriorOptions {
  /** Pseudo-judgements at the reference rate every entry starts with (above 0). */
  strength?: number;
  /**
   * The reference rate p₀: 'observed' (the other entries' applied share, smoothed toward ½ by
   * `referenceStrength` pseudo-judgements), or a fixed rate in (0, 1).
   */
  reference?: 'observed' | number;
  /** Pseudo-judgements at ½ behind the observed reference rate (above 0). */
  referenceStrength?: number;
  /** Standard deviations of the entry's posterior between its mean and the edge it is judged by (0: the mean). */
  confidence?: number;
  /** Weight of the log-ratio, in the retriever's log-probability units. */
  weight?: number;
  /** Largest lift an entry can get from applied suggestions, in log-probability units (0: only dismissals move entries). */
  maxLift?: number;
}

/**
 * Tuned by `npm run bench:acceptance -- --tune --seeds 2 --rounds 8` on the training half of the
 * benchmark queries (95 of 193; bench/acceptance-prior.ts), the real cwe-aware Retriever asked as
 * the App asks (k = 3, half with the alert's CWE): bad entries (5% of those retrieved, drawn by
 * frequency, plus 1% of the corpus) whose suggestions are dismissed 80% of the time; careful
 * (50% applied, 10% dismissed) and noisy (30% / 30%) developers; 1 or 3 demonstrations shown.
 * The objective: the bad entries' remaining exposure at rank 1 and in the top 3 against the
 * prior off, penalized when good rare entries lose rank 1 (> 5%), acc@1 drops (> 0.01), or good
 * first demonstrations change with noisy developers and no bad entries (> 5%). Measured there:
 *   - judging by the posterior mean (confidence 0) moved good entries on one unlucky dismissal:
 *     good rare at rank 1 kept 0.77–0.86, 14% of good first demonstrations changed with noisy
 *     developers; a margin of 2 standard deviations keeps 0.94–0.99 and 1.6%;
 *   - behind that margin a heavy weight (4) moves credibly bad entries fast: exposure 0.49
 *     against 0.53–0.70 at weight 1–2; weight 8 began to cost acc@1 (−0.011);
 *   - a lift for applied entries (0.25, 0.5) cost good rare entries their rank 1 (0.88–0.90 with
 *     3 shown): frequently shown entries rise over rare ones; none is kept;
 *   - a fixed reference of ½ instead of the observed rate pushed good entries down with noisy
 *     developers (good rare 0.90 against 0.94);
 *   - at that margin strength 2 beat 4 and 8 (score 0.55 against 0.67 and 0.72 at weight 2): the
 *     margin already smooths, more pseudo-counts only slow the fall of bad entries.
 * Two seeds per setting: score differences under about 0.05 are noise.
 */
export const DEFAULT_ACCEPTANCE_PRIOR: Readonly<Required<AcceptancePriorOptions>> = {
  strength: 2,
  reference: 'observed',
  referenceStrength: 20,
  confidence: 2,
  weight: 4,
  maxLift: 0,
};

/**
 * `entryId → weight · log(edge / p₀)` (at most `maxLift`), or undefined when there is no
 * feedback. An entry without judged suggestions (none, or only left ones) gets 0.
 */
export function acceptancePrior(
  figures: ReadonlyMap<string, EntryAcceptance>,
  options: AcceptancePriorOptions = {},
): ((entryId: string) => number) | undefined {
  if (figures.size === 0) return undefined;
  const defaults = DEFAULT_ACCEPTANCE_PRIOR;
  const strength = options.strength ?? defaults.strength;
  const reference = options.reference ?? defaults.reference;
  const referenceStrength = options.referenceStrength ?? defaults.referenceStrength;
  const confidence = options.confidence ?? defaults.confidence;
  const weight = options.weight ?? defaults.weight;
  const maxLift = options.maxLift ?? defaults.maxLift;
  if (!(strength > 0)) throw new RangeError(`acceptance prior: strength ${strength} must be above 0`);
  if (reference === 'observed' ? !(referenceStrength > 0) : !(reference > 0 && reference < 1)) {
    throw new RangeError(`acceptance prior: reference ${reference} (strength ${referenceStrength}) gives no rate in (0, 1)`);
  }
  let allApplied = 0;
  let allJudged = 0;
  for (const figure of figures.values()) {
    allApplied += figure.applied;
    allJudged += figure.applied + figure.dismissed;
  }
  const shifts = new Map<string, number>();
  for (const [id, { applied, dismissed }] of figures) {
    const judged = applied + dismissed;
    if (judged === 0) continue;
    const base = reference === 'observed' ? (allApplied - applied + referenceStrength / 2) / (allJudged - judged + referenceStrength) : reference;
    const n = judged + strength;
    const p = (applied + strength * base) / n;
    const spread = confidence * Math.sqrt((p * (1 - p)) / (n + 1));
    // The posterior's edge nearest p₀; p₀ itself while the posterior still straddles it.
    const edge = p + spread < base ? p + spread : p - spread > base ? p - spread : base;
    const shift = Math.min(maxLift, weight * Math.log(edge / base));
    if (shift !== 0) shifts.set(id, shift);
  }
  return (entryId) => shifts.get(entryId) ?? 0;
}
