// A second push to the pull request after SecCoder's first review: the bot's earlier suggestion
// comes back from GitHub's list-review-comments API with its hidden fingerprint, and decides
// whether anything is posted again.
import { describe, expect, it } from 'vitest';
import {
  botReview,
  botReviewComment,
  CHANGED_FIXED_FUNCTION,
  CHANGED_FUNCTION,
  pullRequestSynchronize,
  SECOND_HEAD_SHA,
  VIEWS_CHANGED,
} from '../../fixtures/github/app-events.js';
import { fencedReply, FIXED_FUNCTION, ORIGINAL_FUNCTION } from '../../fixtures/review/flask-app.js';
import { checkRunCompleted, checkRunStarted, functionsText, marker, ONE_INLINE_REVIEW_BODY, suggestionComment, SUGGESTED, summary } from './expected.js';
import {
  Bodies,
  deliver,
  loadedProbot,
  mockCheckRunCreate,
  mockCheckRunUpdate,
  mockConfig,
  mockInstallationToken,
  mockModel,
  mockReply,
  mockReview,
  mockViewsGather,
  testDependencies,
  useAppFixtures,
} from './harness.js';

const fixtures = useAppFixtures();

/** The first review's comment on user_by_email, as GitHub lists it now. */
const EARLIER_COMMENT_ID = 7001;
const earlierComment = botReviewComment(EARLIER_COMMENT_ID, suggestionComment(ORIGINAL_FUNCTION, FIXED_FUNCTION).body, SECOND_HEAD_SHA);
const earlierReview = botReview(501, ONE_INLINE_REVIEW_BODY);

/** The check run of a push that left the function with a standing suggestion unchanged. */
const STILL_OPEN = checkRunCompleted('neutral', {
  title: '1 earlier security suggestion still open',
  summary: summary({ targets: 1, suggestions: 0, posted: 0, alreadyPosted: 1 }),
  text: functionsText('unchanged since its suggestion, not sent to the model again'),
});

describe('pull_request.synchronize after a first review', () => {
  it('function unchanged: the model is not asked again, no new review, and the check run says the suggestion is still open', async () => {
    const bodies = new Bodies();
    const probot = await loadedProbot(fixtures.privateKey, testDependencies(fixtures.corpus));
    mockInstallationToken();
    mockConfig();
    mockCheckRunCreate(bodies);
    // No model route: a model call would be an unmatched request.
    mockViewsGather({ headSha: SECOND_HEAD_SHA, comments: [earlierComment], reviews: [earlierReview] });
    mockCheckRunUpdate(bodies);

    await deliver(probot, 'sync-1', 'pull_request', pullRequestSynchronize(SECOND_HEAD_SHA));

    expect(fixtures.unmatched).toEqual([]);
    expect(bodies.all('review')).toEqual([]);
    expect(bodies.all('model')).toEqual([]);
    expect(bodies.one('check-create')).toEqual(checkRunStarted(SECOND_HEAD_SHA));
    expect(bodies.one('check-update')).toEqual(STILL_OPEN);
  });

  it('function changed since the suggestion: an "outdated" reply to the earlier comment and a new suggestion for the new code', async () => {
    const bodies = new Bodies();
    const probot = await loadedProbot(fixtures.privateKey, testDependencies(fixtures.corpus));
    mockInstallationToken();
    mockConfig();
    mockCheckRunCreate(bodies);
    // Someone pasting a marker for the new code must not suppress its suggestion: only the bot's comments count.
    const pasted = {
      ...botReviewComment(7100, `looks fine\n\n${marker(CHANGED_FUNCTION, CHANGED_FIXED_FUNCTION)}`),
      user: { login: 'octocat', id: 583231, type: 'User' },
    };
    mockViewsGather({ headSha: SECOND_HEAD_SHA, views: VIEWS_CHANGED, comments: [earlierComment, pasted], reviews: [earlierReview] });
    mockModel(bodies, fencedReply(CHANGED_FIXED_FUNCTION));
    mockReview(bodies);
    mockReply(bodies, EARLIER_COMMENT_ID);
    mockCheckRunUpdate(bodies);

    await deliver(probot, 'sync-2', 'pull_request', pullRequestSynchronize(SECOND_HEAD_SHA));

    expect(fixtures.unmatched).toEqual([]);
    const fresh = suggestionComment(CHANGED_FUNCTION, CHANGED_FIXED_FUNCTION);
    expect(bodies.one('review')).toEqual({ commit_id: SECOND_HEAD_SHA, event: 'COMMENT', body: ONE_INLINE_REVIEW_BODY, comments: [fresh] });
    // Not a repeat of the earlier one: it rewrites the new code.
    expect(fresh.body).not.toContain(marker(ORIGINAL_FUNCTION, FIXED_FUNCTION));
    expect(fresh.body).not.toBe(earlierComment.body);
    expect(bodies.one('reply')).toEqual({
      body: [
        'This suggestion for `user_by_email` is outdated: the function has changed since it was written, so applying it would overwrite the new code.',
        '',
        marker(ORIGINAL_FUNCTION, FIXED_FUNCTION, true),
      ].join('\n'),
    });
    expect(bodies.one('check-update')).toEqual(
      checkRunCompleted('neutral', {
        title: '1 security suggestion',
        summary: summary({ targets: 1, suggestions: 1, posted: 1 }),
        text: functionsText(SUGGESTED),
      }),
    );
  });

  it('after the "outdated" reply: a push leaving the function as it is posts nothing and does not reply again', async () => {
    const bodies = new Bodies();
    const probot = await loadedProbot(fixtures.privateKey, testDependencies(fixtures.corpus));
    const third = 'e83c5163316f89bfbde7d9ab23ca2e25604af290';
    const reply = { ...botReviewComment(7002, '', third), in_reply_to_id: EARLIER_COMMENT_ID };
    reply.body = `This suggestion for \`user_by_email\` is outdated: the function has changed since it was written, so applying it would overwrite the new code.\n\n${marker(ORIGINAL_FUNCTION, FIXED_FUNCTION, true)}`;
    const second = botReviewComment(7003, suggestionComment(CHANGED_FUNCTION, CHANGED_FIXED_FUNCTION).body, third);
    mockInstallationToken();
    mockConfig();
    mockCheckRunCreate(bodies);
    mockViewsGather({
      headSha: third,
      views: VIEWS_CHANGED,
      comments: [earlierComment, reply, second],
      reviews: [earlierReview, botReview(502, ONE_INLINE_REVIEW_BODY)],
    });
    mockCheckRunUpdate(bodies);

    await deliver(probot, 'sync-3', 'pull_request', pullRequestSynchronize(third));

    expect(fixtures.unmatched).toEqual([]);
    expect(bodies.all('review')).toEqual([]);
    expect(bodies.all('reply')).toEqual([]);
    expect(bodies.all('model')).toEqual([]);
    expect(bodies.one('check-update')).toEqual(STILL_OPEN);
  });
});
