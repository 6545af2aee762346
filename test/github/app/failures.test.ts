// Failures during a review: the code model failing fails the check run and says why (no silent
// green) with no review posted; GitHub refusing the review fails the check run too.
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { pullRequestOpened } from '../../fixtures/github/app-events.js';
import { fencedReply, FIXED_FUNCTION } from '../../fixtures/review/flask-app.js';
import { checkRunCompleted, checkRunStarted, functionsText, summary } from './expected.js';
import {
  Bodies,
  deliver,
  GITHUB,
  loadedProbot,
  mockCheckRunCreate,
  mockCheckRunUpdate,
  mockConfig,
  mockInstallationToken,
  mockModel,
  mockViewsGather,
  MODEL_ORIGIN,
  PULL_PATH,
  testDependencies,
  useAppFixtures,
} from './harness.js';

const fixtures = useAppFixtures();

/** Receives `opened` with the model answering `reply`, and returns the check run's completion. */
async function reviewWithModelReply(reply: (scope: nock.Interceptor) => nock.Scope): Promise<unknown> {
  const bodies = new Bodies();
  const probot = await loadedProbot(fixtures.privateKey, testDependencies(fixtures.corpus));
  mockInstallationToken();
  mockConfig();
  mockCheckRunCreate(bodies);
  mockViewsGather();
  reply(nock(MODEL_ORIGIN).post('/v1/chat/completions'));
  mockCheckRunUpdate(bodies);

  await deliver(probot, 'model-failure', 'pull_request', pullRequestOpened());

  // No review was posted: POST .../reviews is not mocked, and would be unmatched.
  expect(fixtures.unmatched).toEqual([]);
  expect(bodies.one('check-create')).toEqual(checkRunStarted());
  return bodies.one('check-update');
}

describe('model failure', () => {
  it('HTTP 500 (no retries): the check run fails naming the model error; no review', async () => {
    const update = await reviewWithModelReply((route) => route.reply(500, { error: { message: 'upstream overloaded' } }));
    expect(update).toEqual(
      checkRunCompleted('failure', {
        title: 'Model or analyzer failed on 1 of 1 function',
        summary: summary({ targets: 1, suggestions: 0, posted: 0, errors: 1 }),
        text: functionsText(
          '**failed**: model: model endpoint https://models.example.test/v1/chat/completions answered HTTP 500: the model server failed: check its logs or try again later. Response: \\{"error":\\{"message":"upstream overloaded"\\}\\}',
        ),
      }),
    );
  });

  it('a 200 whose body is not JSON (a proxy error page): the check run fails the same way; no review', async () => {
    const update = await reviewWithModelReply((route) => route.reply(200, '<html><body>502 Bad Gateway</body></html>', { 'content-type': 'text/html' }));
    expect(update).toEqual(
      checkRunCompleted('failure', {
        title: 'Model or analyzer failed on 1 of 1 function',
        summary: summary({ targets: 1, suggestions: 0, posted: 0, errors: 1 }),
        text: functionsText(
          '**failed**: model: model endpoint https://models.example.test/v1/chat/completions sent an unusable reply \\(HTTP 200\\): the body is not JSON; check the model URL \\(--model-url, or model.url in .github/seccoder.yml\\) points at an OpenAI-compatible API \\(usually ending in /v1\\). Response: \\<html\\>\\<body\\>502 Bad Gateway\\</body\\>\\</html\\>',
        ),
      }),
    );
  });
});

describe('GitHub refusing the review', () => {
  it("422 on POST reviews: the check run is completed as a failure with GitHub's message; not posted again", async () => {
    const bodies = new Bodies();
    const probot = await loadedProbot(fixtures.privateKey, testDependencies(fixtures.corpus));
    mockInstallationToken();
    mockConfig();
    mockCheckRunCreate(bodies);
    mockViewsGather();
    mockModel(bodies, fencedReply(FIXED_FUNCTION));
    nock(GITHUB)
      .post(`${PULL_PATH}/reviews`)
      .reply(422, { message: 'Unprocessable Entity', errors: ['Line could not be resolved'], status: '422' });
    mockCheckRunUpdate(bodies);

    // The job fails (the test queue gives it one attempt); a 4xx is GitHub's answer, so nothing is re-read or re-posted.
    await deliver(probot, 'review-refused', 'pull_request', pullRequestOpened());

    expect(fixtures.unmatched).toEqual([]);
    expect(bodies.one('check-update')).toEqual(
      checkRunCompleted('failure', {
        title: 'SecCoder failed',
        summary:
          'SecCoder could not finish reviewing this pull request:\n\nHttpError: Unprocessable Entity: "Line could not be resolved"\n\nRe-run the check to try again.',
      }),
    );
  });
});
