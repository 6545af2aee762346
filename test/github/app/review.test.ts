// The App end to end on a pull request that adds app/views.py (a Flask view with a SQL
// injection): webhooks through probot.receive, GitHub and the model mocked over HTTP, everything
// else real (tree-sitter, the retrieval index, the pipeline).
import { describe, expect, it } from 'vitest';
import { checkRunRerequested, HEAD_SHA, pullRequestOpened } from '../../fixtures/github/app-events.js';
import { fencedReply, FIXED_FUNCTION, ORIGINAL_FUNCTION } from '../../fixtures/review/flask-app.js';
import { checkRunCompleted, checkRunStarted, functionsText, ONE_INLINE_REVIEW_BODY, suggestionComment, SUGGESTED, summary } from './expected.js';
import {
  Bodies,
  deliver,
  loadedProbot,
  mockCheckRunCreate,
  mockCheckRunUpdate,
  mockConfig,
  mockInstallationToken,
  mockModel,
  mockPullRequest,
  mockReview,
  mockViewsGather,
  testDependencies,
  useAppFixtures,
} from './harness.js';

const fixtures = useAppFixtures();

/** Every request of one review of the pull request at HEAD_SHA, the model fixing the injection. */
function mockOneReview(bodies: Bodies): void {
  mockInstallationToken();
  mockConfig();
  mockCheckRunCreate(bodies);
  mockViewsGather();
  mockModel(bodies, fencedReply(FIXED_FUNCTION));
  mockReview(bodies);
  mockCheckRunUpdate(bodies);
}

/** What one review of the pull request posts: the review, and the check run's completion. */
function expectOneSuggestionPosted(bodies: Bodies): void {
  expect(bodies.one('review')).toEqual({
    commit_id: HEAD_SHA,
    event: 'COMMENT',
    body: ONE_INLINE_REVIEW_BODY,
    comments: [suggestionComment(ORIGINAL_FUNCTION, FIXED_FUNCTION)],
  });
  expect(bodies.one('check-create')).toEqual(checkRunStarted());
  expect(bodies.one('check-update')).toEqual(
    checkRunCompleted('neutral', {
      title: '1 security suggestion',
      summary: summary({ targets: 1, suggestions: 1, posted: 1 }),
      text: functionsText(SUGGESTED),
    }),
  );
}

describe('pull_request webhooks', () => {
  it('opened: one COMMENT review with the inline suggestion, and a check run from in_progress to completed', async () => {
    const bodies = new Bodies();
    const probot = await loadedProbot(fixtures.privateKey, testDependencies(fixtures.corpus));
    mockOneReview(bodies);

    await deliver(probot, 'delivery-1', 'pull_request', pullRequestOpened());

    expectOneSuggestionPosted(bodies);
    expect(fixtures.unmatched).toEqual([]);
  });

  it('a redelivery (same delivery id) makes no GitHub call at all', async () => {
    const bodies = new Bodies();
    const probot = await loadedProbot(fixtures.privateKey, testDependencies(fixtures.corpus));
    mockOneReview(bodies);
    await deliver(probot, 'delivery-2', 'pull_request', pullRequestOpened());
    expectOneSuggestionPosted(bodies);

    // No mock is left: any request now would be unmatched (and fail the review).
    await deliver(probot, 'delivery-2', 'pull_request', pullRequestOpened());
    expect(fixtures.unmatched).toEqual([]);
    expect(bodies.all('review')).toHaveLength(1);
  });

  it('a draft with the default config: the pull request and the config are read, and nothing else is asked or written', async () => {
    const probot = await loadedProbot(fixtures.privateKey, testDependencies(fixtures.corpus));
    mockInstallationToken();
    mockPullRequest({ draft: true });
    mockConfig();

    await deliver(probot, 'delivery-3', 'pull_request', pullRequestOpened({ draft: true }));

    expect(fixtures.unmatched).toEqual([]);
  });
});

describe('check_run.rerequested', () => {
  it('for the SecCoder check: reads the pull request (GET pulls/12), then reviews it', async () => {
    const bodies = new Bodies();
    const probot = await loadedProbot(fixtures.privateKey, testDependencies(fixtures.corpus));
    mockPullRequest();
    mockOneReview(bodies);

    await deliver(probot, 'delivery-4', 'check_run', checkRunRerequested());

    expectOneSuggestionPosted(bodies);
    expect(fixtures.unmatched).toEqual([]);
  });

  it('for a pull request closed since: reads it, and reviews nothing', async () => {
    const probot = await loadedProbot(fixtures.privateKey, testDependencies(fixtures.corpus));
    mockInstallationToken();
    mockPullRequest({ state: 'closed' });

    await deliver(probot, 'delivery-closed', 'check_run', checkRunRerequested());

    expect(fixtures.unmatched).toEqual([]);
  });

  it("for another app's check: nothing", async () => {
    const probot = await loadedProbot(fixtures.privateKey, testDependencies(fixtures.corpus));

    await deliver(probot, 'delivery-5', 'check_run', checkRunRerequested('CI / tests'));

    expect(fixtures.unmatched).toEqual([]);
  });
});
