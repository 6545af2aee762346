// reviewPullRequest with `dryRun: true` (what `seccoder review --dry-run` runs): only reads, and
// the result's preview holds what the App would have posted. No write route is mocked, so any
// write would be an unmatched request and fail the review.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createOctokit } from '../../../src/github/octokit.js';
import { reviewPullRequest, type ReviewDependencies, type ReviewRequest } from '../../../src/github/review/review-pull-request.js';
import {
  BOT_LOGIN,
  botReviewComment,
  CHANGED_FIXED_FUNCTION,
  CHANGED_FUNCTION,
  HEAD_SHA,
  OWNER,
  PULL_NUMBER,
  REPO,
  SECOND_HEAD_SHA,
  VIEWS_CHANGED,
} from '../../fixtures/github/app-events.js';
import { fencedReply, FIXED_FUNCTION, FIXED_LINE, ORIGINAL_FUNCTION } from '../../fixtures/review/flask-app.js';
import { codeFingerprint } from '../../../src/github/review/fingerprint.js';
import { functionsText, ONE_INLINE_REVIEW_BODY, suggestionComment, SUGGESTED, summary } from './expected.js';
import { Bodies, mockCheckRunCreate, mockCheckRunUpdate, mockModel, mockReview, mockViewsGather, testDependencies, useAppFixtures } from './harness.js';

const fixtures = useAppFixtures();

function dryRunRequest(overrides: Partial<ReviewRequest> = {}): ReviewRequest {
  return {
    octokit: createOctokit({ auth: 'ghs_test', retry: false, throttle: false }),
    owner: OWNER,
    repo: REPO,
    pull: { number: PULL_NUMBER, headSha: HEAD_SHA, draft: false },
    deliveryId: 'cli-dry-run',
    readConfig: async () => null,
    dryRun: true,
    ...overrides,
  };
}

function reviewDependencies(): ReviewDependencies {
  const app = testDependencies(fixtures.corpus);
  return { retrieval: fixtures.retrieval, ...(app.model ? { model: app.model } : {}), analyzers: [], botLogin: BOT_LOGIN, log: pino({ level: 'silent' }) };
}

describe('reviewPullRequest with dryRun', () => {
  it('reads only; the preview holds the review the App posts on "opened", and the check run as a dry run', async () => {
    const bodies = new Bodies();
    mockViewsGather();
    mockModel(bodies, fencedReply(FIXED_FUNCTION));

    const result = await reviewPullRequest(dryRunRequest(), reviewDependencies());

    expect(fixtures.unmatched).toEqual([]);
    if (result.status !== 'reviewed') throw new Error(`expected a review, got ${result.status}`);
    expect(result.posted).toBe(false);
    expect(result.conclusion).toBe('neutral');
    expect(result.preview.body).toBe(ONE_INLINE_REVIEW_BODY);
    expect(result.preview.comments).toEqual([suggestionComment(ORIGINAL_FUNCTION, FIXED_FUNCTION)]);
    expect(result.preview.outdated).toEqual([]);
    const { checkRun } = result.preview;
    expect(checkRun.title).toBe('1 security suggestion (dry run, not posted)');
    expect(checkRun.summary).toBe(
      summary({ targets: 1, suggestions: 1, posted: 1, dryRun: true }, [
        '',
        '**Dry run**: nothing was posted on the pull request; the details show what would have been.',
      ]),
    );
    expect(
      checkRun.text?.startsWith(`${functionsText(SUGGESTED)}\n\n### Suggestions (dry run)\n\n#### \`user_by_email\` in \`app/views.py\`, lines 8–13`),
    ).toBe(true);
    expect(checkRun.text).toContain(`+${FIXED_LINE}`);
  });

  it('a changed function: the preview lists the earlier suggestion as outdated, and nothing is replied', async () => {
    const bodies = new Bodies();
    const earlier = botReviewComment(7001, suggestionComment(ORIGINAL_FUNCTION, FIXED_FUNCTION).body, SECOND_HEAD_SHA);
    mockViewsGather({ headSha: SECOND_HEAD_SHA, views: VIEWS_CHANGED, comments: [earlier] });
    mockModel(bodies, fencedReply(CHANGED_FIXED_FUNCTION));

    const result = await reviewPullRequest(dryRunRequest({ pull: { number: PULL_NUMBER, headSha: SECOND_HEAD_SHA, draft: false } }), reviewDependencies());

    expect(fixtures.unmatched).toEqual([]);
    if (result.status !== 'reviewed') throw new Error(`expected a review, got ${result.status}`);
    expect(result.preview.comments).toEqual([suggestionComment(CHANGED_FUNCTION, CHANGED_FIXED_FUNCTION)]);
    expect(result.preview.outdated).toEqual([
      { path: 'app/views.py', fn: 'user_by_email', orig: codeFingerprint(ORIGINAL_FUNCTION), sugg: codeFingerprint(FIXED_FUNCTION) },
    ]);
    expect(result.counts).toMatchObject({ inline: 1, outdated: 1, alreadyPosted: 0 });
  });

  it('an invalid config: its problems are returned and no check run is written', async () => {
    const result = await reviewPullRequest(dryRunRequest({ readConfig: async () => ({ maxTargets: 0 }) }), reviewDependencies());

    expect(fixtures.unmatched).toEqual([]);
    expect(result).toEqual({ status: 'invalid-config', problems: [{ key: 'maxTargets', message: 'must be at least 1' }] });
  });
});

describe('reviewPullRequest without dryRun', () => {
  it('returns the same preview, and it is what was posted', async () => {
    const bodies = new Bodies();
    mockCheckRunCreate(bodies);
    mockViewsGather();
    mockModel(bodies, fencedReply(FIXED_FUNCTION));
    mockReview(bodies);
    mockCheckRunUpdate(bodies);

    const result = await reviewPullRequest(dryRunRequest({ dryRun: false }), reviewDependencies());

    expect(fixtures.unmatched).toEqual([]);
    if (result.status !== 'reviewed') throw new Error(`expected a review, got ${result.status}`);
    expect(result.posted).toBe(true);
    expect(bodies.one('review')).toMatchObject({ body: result.preview.body, comments: result.preview.comments });
    const { checkRun } = result.preview;
    expect(bodies.one('check-update')).toMatchObject({
      conclusion: checkRun.conclusion,
      output: { title: checkRun.title, summary: checkRun.summary, text: checkRun.text },
    });
    expect(checkRun.summary).toBe(summary({ targets: 1, suggestions: 1, posted: 1 }));
  });
});
