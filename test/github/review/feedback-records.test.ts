// The records a review writes: `posted` (one per suggestion, once, even when two writers race) and
// `uncovered-alert` (an alert no shown demonstration answers, once per repository, CWE, language
// and day), with the coverage rule spelled out.
import { afterAll, describe, expect, it } from 'vitest';
import { suggestionStates } from '../../../src/corpus/feedback.js';
import type { TargetOutcome } from '../../../src/harden/harden-target.js';
import type { Suggestion } from '../../../src/harden/suggestion.js';
import { postedRecords, recordPosted } from '../../../src/github/review/feedback-record-posted.js';
import { recordUncoveredAlerts, uncoveredAlertRecords } from '../../../src/github/review/feedback-uncovered.js';
import type { ReviewPlan } from '../../../src/github/review/plan.js';
import { fingerprintOf } from '../../../src/github/review/fingerprint.js';
import { feedbackFingerprint } from '../../../src/github/review/feedback-identity.js';
import { OWNER, PULL_NUMBER, REPO } from '../../fixtures/github/app-events.js';
import { entry, feedbackOf, feedbackStores, FULL_REPO, NOW, PATH, postedComment, suggestionFor } from './feedback-fixtures.js';

const stores = feedbackStores();
afterAll(() => stores.cleanup());

/** A target outcome with the fields the records read. */
function outcome(options: { suggestion?: Suggestion; alertCwes?: string[][]; shownCwes?: string[][]; language?: 'python' | 'go' }): TargetOutcome {
  return {
    target: {
      path: PATH,
      language: options.language ?? 'python',
      alerts: (options.alertCwes ?? []).map((cwe, index) => ({ ruleId: `rule-${index}`, message: 'alert', cwe, path: PATH, startLine: 1, endLine: 1 })),
    },
    demonstrations: (options.shownCwes ?? []).map((cwe, index) => ({
      entry: entry(`demo-${index}`, cwe, `x = ${index}\n`),
      score: 1,
      sameLanguage: true,
      cweMatch: false,
    })),
    ...(options.suggestion ? { suggestion: options.suggestion } : {}),
  } as unknown as TargetOutcome;
}

const where = { owner: OWNER, repo: REPO, pullNumber: PULL_NUMBER, at: NOW };

describe('posted records', () => {
  const sql = suggestionFor('user_by_email');
  const download = suggestionFor('download');
  const sqlComment = postedComment(sql);
  /** The review posted the query's suggestion inline, and the download's only in its body (outside the diff). */
  const plan: Pick<ReviewPlan, 'comments' | 'bodyFingerprints'> = {
    comments: [{ path: PATH, line: sqlComment.line, side: 'RIGHT', body: sqlComment.body }],
    bodyFingerprints: [fingerprintOf(download)],
  };

  it('one per posted suggestion, with its demonstrations in the order shown (the cited one first); not for a suggestion the plan left out', () => {
    const notPosted = { ...suggestionFor('download'), functionName: 'other', replacement: 'def other():\n    pass\n' };
    const records = postedRecords(
      [outcome({ suggestion: sql }), outcome({ suggestion: download }), outcome({ suggestion: notPosted }), outcome({})],
      plan,
      where,
    );

    expect(records).toEqual([
      {
        at: NOW.toISOString(),
        event: 'posted',
        suggestion: { repo: FULL_REPO, pullRequest: PULL_NUMBER, fingerprint: feedbackFingerprint(fingerprintOf(sql)), path: PATH, line: 13 },
        demonstrations: ['seed-sqli-params', 'seed-sqli-orm'],
        cwe: ['CWE-89'],
        language: 'python',
      },
      {
        at: NOW.toISOString(),
        event: 'posted',
        // Only in the review body: the function's first line.
        suggestion: { repo: FULL_REPO, pullRequest: PULL_NUMBER, fingerprint: feedbackFingerprint(fingerprintOf(download)), path: PATH, line: 17 },
        demonstrations: ['seed-cmd-list'],
        cwe: ['CWE-22'],
        language: 'python',
      },
    ]);
  });

  it('written once: a second write of the same records, and two writers at once, add nothing', async () => {
    const store = stores.make();
    const records = postedRecords([outcome({ suggestion: sql }), outcome({ suggestion: download })], plan, where);

    const [first, second] = await Promise.all([recordPosted(store, records), recordPosted(store, records)]);
    const third = await recordPosted(store, records);

    expect(first.length + second.length).toBe(2);
    expect(third).toEqual([]);
    const logged = await feedbackOf(store);
    expect(logged).toHaveLength(2);
    expect([...suggestionStates(logged).values()]).toEqual([
      { demonstrations: ['seed-sqli-params', 'seed-sqli-orm'], state: 'left' },
      { demonstrations: ['seed-cmd-list'], state: 'left' },
    ]);
  });
});

describe('uncovered alerts', () => {
  it('an alert is covered by a shown demonstration of its CWE or of the same weakness (a direct, specific parent or child); a sibling, another weakness or no demonstration is not', () => {
    const records = uncoveredAlertRecords(
      [
        outcome({ alertCwes: [['CWE-89']], shownCwes: [['CWE-89']] }),
        // CWE-943 (data query logic) is CWE-89's parent.
        outcome({ alertCwes: [['CWE-89']], shownCwes: [['CWE-943']] }),
        // CWE-79 is a sibling (both under CWE-74): another weakness.
        outcome({ alertCwes: [['CWE-79']], shownCwes: [['CWE-89']] }),
        outcome({ alertCwes: [['CWE-22']], shownCwes: [] }),
        // No CWE: says nothing about coverage.
        outcome({ alertCwes: [[]], shownCwes: [] }),
        // The same CWE in another language is another cell of the coverage table.
        outcome({ alertCwes: [['CWE-22']], shownCwes: [], language: 'go' }),
        outcome({ alertCwes: [['CWE-22']], shownCwes: [['CWE-78']] }),
      ],
      where,
    );

    expect(records.map((record) => [record.cwe, record.language])).toEqual([
      [['CWE-79'], 'python'],
      [['CWE-22'], 'python'],
      [['CWE-22'], 'go'],
    ]);
    expect(records[0]).toEqual({ at: NOW.toISOString(), event: 'uncovered-alert', cwe: ['CWE-79'], language: 'python', repo: FULL_REPO });
  });

  it('recorded once per repository, CWE and language a day: again the same day writes nothing, the next day writes it again', async () => {
    const store = stores.make();
    const seen = [outcome({ alertCwes: [['CWE-22']], shownCwes: [['CWE-78']] })];

    const first = await recordUncoveredAlerts(store, uncoveredAlertRecords(seen, where));
    const sameDay = await recordUncoveredAlerts(store, uncoveredAlertRecords(seen, { ...where, at: new Date('2026-03-02T23:59:00.000Z') }));
    const otherRepo = await recordUncoveredAlerts(store, uncoveredAlertRecords(seen, { ...where, repo: 'api' }));
    const nextDay = await recordUncoveredAlerts(store, uncoveredAlertRecords(seen, { ...where, at: new Date('2026-03-03T08:00:00.000Z') }));

    expect([first.length, sameDay.length, otherRepo.length, nextDay.length]).toEqual([1, 0, 1, 1]);
    expect((await feedbackOf(store)).map((record) => [record.repo, record.at.slice(0, 10)])).toEqual([
      [FULL_REPO, '2026-03-02'],
      [`${OWNER}/api`, '2026-03-02'],
      [FULL_REPO, '2026-03-03'],
    ]);
  });
});
