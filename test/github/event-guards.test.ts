// Which pull-request events are reviewed and which grow the corpus: the rules the App's webhooks
// and the Action's workflow events share, with the reasons both report.
import { describe, expect, it } from 'vitest';
import { growthGuard, isReviewedAction, REVIEWED_PULL_REQUEST_ACTIONS, reviewGuard } from '../../src/github/event-guards.js';

const merged = { number: 7, merged: true, merge_commit_sha: 'a'.repeat(40), base: { ref: 'main' } };

describe('reviewGuard', () => {
  it('reviews the activities that bring code to review, on an open pull request', () => {
    for (const action of REVIEWED_PULL_REQUEST_ACTIONS) expect(reviewGuard(action, { state: 'open' })).toEqual({ ok: true });
    expect(isReviewedAction('labeled')).toBe(false);
  });

  it('says why not', () => {
    expect(reviewGuard('labeled', { state: 'open' })).toEqual({
      ok: false,
      reason: 'pull request labeled: only opened, synchronize, reopened and ready_for_review are reviewed',
    });
    expect(reviewGuard('synchronize', { state: 'closed' })).toEqual({ ok: false, reason: 'pull request is closed' });
  });
});

describe('growthGuard', () => {
  it('grows from a merge into the default branch, handing back its merge commit', () => {
    expect(growthGuard(merged, 'main')).toEqual({ ok: true, mergeCommitSha: merged.merge_commit_sha });
  });

  it('says why not', () => {
    expect(growthGuard({ ...merged, merged: false }, 'main')).toEqual({ ok: false, reason: 'pull request #7 was closed without merging' });
    expect(growthGuard({ ...merged, merge_commit_sha: null }, 'main')).toEqual({ ok: false, reason: 'pull request #7 has no merge commit' });
    expect(growthGuard({ ...merged, base: { ref: 'release-1.x' } }, 'main')).toEqual({
      ok: false,
      reason: 'pull request #7 was merged into release-1.x, not the default branch main',
    });
  });
});
