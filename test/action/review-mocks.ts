// The GitHub reads and the model answer of one review of the fixture pull request (app/views.py
// added, alerts from a SARIF file), mocked with nock for the tests that run the Action in process.
import nock from 'nock';
import { HEAD_SHA, VIEWS, VIEWS_DIFF, VIEWS_LISTED, VIEWS_PATH, contentOf } from '../fixtures/github/app-events.js';
import { fencedReply, FIXED_FUNCTION } from '../fixtures/review/flask-app.js';
import { type Bodies, GITHUB, MODEL_ORIGIN, PULL_PATH, REPO_PATH } from '../github/app/harness.js';

/** The `model-api-key` input of these runs. */
export const MODEL_KEY = 'sk-test-model-key';

/** The reads of the pull request adding app/views.py, without code-scanning alerts (SARIF gives them). */
export function mockPullRequestReads(): void {
  nock(GITHUB).get(`${PULL_PATH}/files`).query({ per_page: 100 }).reply(200, [VIEWS_LISTED]);
  nock(GITHUB, { reqheaders: { accept: 'application/vnd.github.v3.diff' } })
    .get(PULL_PATH)
    .reply(200, VIEWS_DIFF);
  nock(GITHUB).get(`${REPO_PATH}/contents/app%2Fviews.py`).query({ ref: HEAD_SHA }).reply(200, contentOf(VIEWS_PATH, VIEWS));
  // Read when gathering, and again right before a review is posted (nothing is there either time).
  nock(GITHUB).get(`${PULL_PATH}/comments`).query({ per_page: 100 }).reply(200, []);
  nock(GITHUB).get(`${PULL_PATH}/reviews`).query({ per_page: 100 }).reply(200, []);
  nock(GITHUB).get(`${PULL_PATH}/comments`).query({ per_page: 100 }).optionally().reply(200, []);
  nock(GITHUB).get(`${PULL_PATH}/reviews`).query({ per_page: 100 }).optionally().reply(200, []);
}

/** The model's answer: the fixed function, for each of the three samples asked for. */
export function mockModel(bodies: Bodies): void {
  nock(MODEL_ORIGIN, { reqheaders: { authorization: `Bearer ${MODEL_KEY}` } })
    .post('/v1/chat/completions', bodies.record('model'))
    .reply(200, {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      choices: [0, 1, 2].map((index) => ({ index, message: { role: 'assistant', content: fencedReply(FIXED_FUNCTION) }, finish_reason: 'stop' })),
    });
}
