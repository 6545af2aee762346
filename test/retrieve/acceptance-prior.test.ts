// The acceptance prior: smoothed, so no or little feedback moves nothing and repeated dismissals
// move an entry down, capped upward; and end to end, from a feedback.jsonl beside the corpus
// through openRetrievalIndex to the ranking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCorpusStore } from '../../src/corpus/local-store.js';
import { appendFeedback, type EntryAcceptance, type FeedbackRecord } from '../../src/corpus/feedback.js';
import { acceptancePrior, DEFAULT_ACCEPTANCE_PRIOR } from '../../src/retrieve/acceptance-prior.js';
import { openRetrievalIndex, retrieverFor, type RetrievalIndex } from '../../src/retrieve/open-index.js';
import { Retriever, type RetrievalQuery } from '../../src/retrieve/retriever.js';
import { appendEntries, snippetEntries, tempDirs } from '../fixtures/retrieval-corpus.js';
import { SNIPPETS } from '../fixtures/secure-snippets.js';

const figure = (applied: number, dismissed: number, left = 0): EntryAcceptance => ({ suggestions: applied + dismissed + left, applied, dismissed });

/** Feedback from other entries, so the reference rate is the org's (60% of judged suggestions applied). */
const ORG: [string, EntryAcceptance][] = Array.from({ length: 20 }, (_, i) => [`other-${i}`, figure(6, 4)]);

function priorOf(entries: Record<string, EntryAcceptance>, options = {}): (entryId: string) => number {
  const prior = acceptancePrior(new Map([...ORG, ...Object.entries(entries)]), options);
  if (!prior) throw new Error('expected a prior');
  return prior;
}

describe('acceptancePrior', () => {
  it('is undefined without feedback, and 0 for every entry with none judged', () => {
    expect(acceptancePrior(new Map())).toBeUndefined();
    const prior = acceptancePrior(new Map([['left-only', figure(0, 0, 3)]]));
    expect(prior?.('left-only')).toBe(0);
    expect(prior?.('never-shown')).toBe(0);
  });

  it('moves an entry down less for one dismissal than for five', () => {
    const prior = priorOf({ once: figure(0, 1), five: figure(0, 5), twenty: figure(0, 20) });
    // One unlucky dismissal is no evidence: the entry keeps its place.
    expect(prior('once')).toBe(0);
    expect(prior('five')).toBeLessThan(prior('once'));
    expect(prior('twenty')).toBeLessThan(prior('five'));
    // Even judged by its posterior mean (no confidence margin), one moves it less than five.
    const byMean = priorOf({ once: figure(0, 1), five: figure(0, 5) }, { confidence: 0 });
    expect(byMean('once')).toBeLessThan(0);
    expect(byMean('five')).toBeLessThan(byMean('once'));
  });

  it('lifts an applied entry at most by the cap, and not at all by default', () => {
    const entries = { applied: figure(30, 0), some: figure(20, 1) };
    expect(DEFAULT_ACCEPTANCE_PRIOR.maxLift).toBe(0);
    expect(priorOf(entries)('applied')).toBe(0);
    for (const maxLift of [0.1, 0.25, 0.5]) {
      const prior = priorOf(entries, { maxLift, weight: 4 });
      expect(prior('applied')).toBe(maxLift);
      expect(prior('some')).toBeGreaterThan(0);
      expect(prior('some')).toBeLessThanOrEqual(maxLift);
    }
  });

  it('holds an entry to the rate of the others, not to its own', () => {
    // Only this entry has feedback: its dismissals do not lower the bar it is compared with.
    const alone = acceptancePrior(new Map([['only', figure(0, 10)]]));
    expect(alone?.('only')).toBeLessThan(-0.3);
    // Where developers apply little, an entry doing as the others do keeps its place.
    const stingy = acceptancePrior(new Map(Array.from({ length: 20 }, (_, i): [string, EntryAcceptance] => [`e${i}`, figure(2, 8)])));
    expect(stingy?.('e0')).toBe(0);
    // A fixed reference of ½ would push all of them down.
    const fixed = acceptancePrior(new Map(Array.from({ length: 20 }, (_, i): [string, EntryAcceptance] => [`e${i}`, figure(2, 8)])), { reference: 0.5 });
    expect(fixed?.('e0')).toBeLessThan(0);
  });

  it('refuses constants that give no rate', () => {
    const figures = new Map([['a', figure(1, 1)]]);
    expect(() => acceptancePrior(figures, { strength: 0 })).toThrow(RangeError);
    expect(() => acceptancePrior(figures, { reference: 1 })).toThrow(RangeError);
  });
});

const SQL_QUERY: RetrievalQuery = {
  code: `def find_user(conn, name):
    cur = conn.cursor()
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)
    return cur.fetchall()
`,
  language: 'python',
  k: 3,
};

const temp = tempDirs('acceptance-prior-test-');
afterAll(() => temp.cleanup());

/** A fresh corpus of the fixture snippets, with these feedback records beside it. */
async function corpusWith(records: FeedbackRecord[]): Promise<string> {
  const dir = temp.make();
  await appendEntries(dir, await snippetEntries(SNIPPETS));
  if (records.length > 0) await appendFeedback(new LocalCorpusStore(dir), () => records);
  return dir;
}

/** `times` suggestions that showed `entryId` first and were dismissed with a 👎. */
function dismissals(entryId: string, times: number, also: string[] = []): FeedbackRecord[] {
  return Array.from({ length: times }, (_, i) => {
    const suggestion = { repo: 'acme/shop', pullRequest: 7 + i, fingerprint: `find_user:${i}` };
    return [
      { at: '2026-02-01T10:00:00.000Z', event: 'posted', suggestion, demonstrations: [entryId, ...also], language: 'python' },
      { at: '2026-02-01T11:00:00.000Z', event: 'dismissed', suggestion, reason: 'thumbs-down', actor: 'dev' },
    ] satisfies FeedbackRecord[];
  }).flat();
}

async function ranking(corpusDir: string): Promise<{ index: RetrievalIndex; ids: string[] }> {
  const index = await openRetrievalIndex({ corpusDir, persist: false });
  const ids = (await retrieverFor(index, 'cwe-aware').retrieve(SQL_QUERY)).map((demo) => demo.entry.id);
  return { index, ids };
}

describe('the prior in retrieval', () => {
  /** The App's ranking without feedback, its first entry, and the runner-up: the best other entry of the first's CWE. */
  let shown: string[];
  let first: string;
  let runnerUp: string;

  beforeAll(async () => {
    const baseline = await ranking(await corpusWith([]));
    expect(baseline.index.prior).toBeUndefined();
    shown = baseline.ids;
    const { index } = baseline;
    const byScore = await new Retriever(index.entries, index.embedder, index.vectors, index.bm25, { classifier: index.classifier, diversify: false }).retrieve({
      ...SQL_QUERY,
      k: SNIPPETS.length,
    });
    [first, runnerUp] = byScore.map((demo) => demo.entry.id) as [string, string];
    expect(shown[0]).toBe(first);
    expect(byScore[1]?.entry.cwe).toEqual(byScore[0]?.entry.cwe);
    // Diversity shows other CWEs next: the runner-up waits behind the first.
    expect(shown).not.toContain(runnerUp);
  });

  it('drops an entry dismissed again and again below the runner-up', async () => {
    const { index, ids } = await ranking(await corpusWith(dismissals(first, 12)));
    expect(index.prior?.(first)).toBeLessThan(0);
    expect(ids[0]).toBe(runnerUp);
    expect(ids.indexOf(first) < 0 || ids.indexOf(first) > ids.indexOf(runnerUp)).toBe(true);
  });

  it('keeps an entry dismissed once where it was (smoothing)', async () => {
    const { index, ids } = await ranking(await corpusWith(dismissals(first, 1)));
    expect(index.prior).toBeDefined();
    expect(index.prior?.(first)).toBe(0);
    expect(ids).toEqual(shown);
  });

  it('leaves the score of an entry without feedback as it was', async () => {
    const { index } = await ranking(await corpusWith(dismissals(first, 12)));
    const scores = async (prior?: (entryId: string) => number) =>
      new Map(
        (
          await new Retriever(index.entries, index.embedder, index.vectors, index.bm25, { classifier: index.classifier, prior }).retrieve({
            ...SQL_QUERY,
            k: SNIPPETS.length,
          })
        ).map((demo) => [demo.entry.id, demo.score]),
      );
    const before = await scores();
    const after = await scores(index.prior);
    expect(after.size).toBe(before.size);
    for (const [id, score] of after) {
      if (id === first) expect(score).toBeLessThan(before.get(id) as number);
      else expect(score).toBe(before.get(id));
    }
  });
});
