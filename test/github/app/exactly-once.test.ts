// Exactly once on GitHub, through the App's queue: concurrent deliveries of one event, a newer
// push superseding a running review, check runs a dead process left in progress, a review POST
// that GitHub applied but answered 502, and suggestions another run posted since this one
// gathered. GitHub and the model are mocked over HTTP; the queue, the pipeline and the index are real.
import nock from 'nock';
import { pino } from 'pino';
import { Probot } from 'probot';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/github/app.js';
import { appOctokitClass } from '../../../src/github/app-octokit.js';
import { botReviewComment, HEAD_SHA, pullRequestJson, pullRequestOpened, pullRequestSynchronize, SECOND_HEAD_SHA } from '../../fixtures/github/app-events.js';
import { chatCompletion, fencedReply, FIXED_FUNCTION, ORIGINAL_FUNCTION } from '../../fixtures/review/flask-app.js';
import { suggestionComment } from './expected.js';
import {
  Bodies,
  CHECK_RUN_ID,
  deliver,
  GITHUB,
  loadedProbot,
  mockCheckRunUpdate,
  mockConfig,
  mockInstallationToken,
  mockModel,
  mockReview,
  mockViewsGather,
  MODEL_ORIGIN,
  PULL_PATH,
  REPO_PATH,
  testDependencies,
  useAppFixtures,
  WEBHOOK_SECRET,
} from './harness.js';

const fixtures = useAppFixtures();

/** POST check-runs answering with `id`; the look for stranded runs of the commit answers `stranded`. */
function mockCheckRun(bodies: Bodies, id: number, stranded: object[] = []): void {
  nock(GITHUB)
    .post(`${REPO_PATH}/check-runs`, bodies.record('check-create'))
    .reply(201, { id, name: 'SecCoder', app: { id: 123 } });
  nock(GITHUB)
    .get(new RegExp(`^${REPO_PATH}/commits/[0-9a-f]+/check-runs`))
    .query({ check_name: 'SecCoder', status: 'in_progress', filter: 'all', app_id: 123, per_page: 100 })
    .reply(200, { total_count: stranded.length, check_runs: stranded });
}

function mockPullHead(headSha: string): void {
  nock(GITHUB, { reqheaders: { accept: 'application/vnd.github.v3+json' } })
    .get(PULL_PATH)
    .reply(200, pullRequestJson({ headSha }));
}

const receive = (probot: Probot, id: string, payload: object) =>
  probot.receive({ id, name: 'pull_request', payload } as unknown as Parameters<Probot['receive']>[0]);

describe('concurrent deliveries', () => {
  it('the same opened event delivered 5 times at once (5 delivery ids): one job, one check run, one review', async () => {
    const bodies = new Bodies();
    const deps = testDependencies(fixtures.corpus);
    const probot = await loadedProbot(fixtures.privateKey, deps);
    mockInstallationToken();
    mockPullHead(HEAD_SHA);
    mockConfig();
    mockCheckRun(bodies, CHECK_RUN_ID);
    mockViewsGather();
    mockModel(bodies, fencedReply(FIXED_FUNCTION));
    mockReview(bodies);
    mockCheckRunUpdate(bodies);

    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => receive(probot, `burst-${id}`, pullRequestOpened())));
    await deps.queue.idle();

    // Any second job's requests would be unmatched (every mock above answers once).
    expect(fixtures.unmatched).toEqual([]);
    expect(bodies.all('review')).toHaveLength(1);
    expect(bodies.all('check-create')).toHaveLength(1);
  });
});

describe('a newer push while a review runs', () => {
  it('the older review stops at its next step and completes its check run as superseded; only the newer head gets a review', async () => {
    const bodies = new Bodies();
    const deps = testDependencies(fixtures.corpus);
    const probot = await loadedProbot(fixtures.privateKey, deps);
    mockInstallationToken();
    // The first job: its head is the head when it starts; after hardening, GitHub says the head moved.
    mockPullHead(HEAD_SHA);
    mockPullHead(SECOND_HEAD_SHA);
    // The second job's own look at the head.
    mockPullHead(SECOND_HEAD_SHA);
    mockConfig();
    mockCheckRun(bodies, 9001);
    mockViewsGather();
    let modelAsked!: () => void;
    const firstModelCall = new Promise<void>((resolve) => (modelAsked = resolve));
    nock(MODEL_ORIGIN)
      .post('/v1/chat/completions', () => {
        modelAsked();
        return true;
      })
      .delay(300)
      .reply(200, chatCompletion(...Array.from({ length: 3 }, () => fencedReply(FIXED_FUNCTION))));
    nock(GITHUB).patch(`${REPO_PATH}/check-runs/9001`, bodies.record('update-9001')).reply(200, { id: 9001 });

    mockConfig();
    mockCheckRun(bodies, 9002);
    mockViewsGather({ headSha: SECOND_HEAD_SHA });
    mockModel(bodies, fencedReply(FIXED_FUNCTION));
    mockReview(bodies);
    nock(GITHUB).patch(`${REPO_PATH}/check-runs/9002`, bodies.record('update-9002')).reply(200, { id: 9002 });

    await receive(probot, 'opened', pullRequestOpened());
    await firstModelCall;
    await receive(probot, 'pushed', pullRequestSynchronize(SECOND_HEAD_SHA));
    await deps.queue.idle();

    expect(fixtures.unmatched).toEqual([]);
    expect(bodies.one('update-9001')).toMatchObject({
      status: 'completed',
      conclusion: 'cancelled',
      output: { title: 'Superseded by a newer commit', summary: expect.stringContaining(SECOND_HEAD_SHA.slice(0, 7)) },
    });
    expect(bodies.one('review')).toMatchObject({ commit_id: SECOND_HEAD_SHA });
    expect(bodies.one('update-9002')).toMatchObject({ conclusion: 'neutral' });
  });

  it('a late delivery for a commit that is no longer the head: nothing is opened or written', async () => {
    const deps = testDependencies(fixtures.corpus);
    const probot = await loadedProbot(fixtures.privateKey, deps);
    mockInstallationToken();
    mockPullHead(SECOND_HEAD_SHA);
    await deliver(probot, 'late', 'pull_request', pullRequestOpened());
    expect(fixtures.unmatched).toEqual([]);
  });
});

describe('check runs left in progress', () => {
  it('completes, as cancelled with why, the runs of this commit that no live job owns, and leaves its own alone', async () => {
    const bodies = new Bodies();
    const probot = await loadedProbot(fixtures.privateKey, testDependencies(fixtures.corpus));
    mockInstallationToken();
    mockPullHead(HEAD_SHA);
    mockConfig();
    mockCheckRun(bodies, CHECK_RUN_ID, [
      { id: CHECK_RUN_ID, status: 'in_progress', external_id: 'seccoder-run mine acme/shop#12' },
      { id: 7000, status: 'in_progress', external_id: 'seccoder-run 1b0c7d2e-dead-4f00-8000-000000000000 acme/shop#12' },
      { id: 7001, status: 'in_progress', external_id: null },
    ]);
    nock(GITHUB).patch(`${REPO_PATH}/check-runs/7000`, bodies.record('update-7000')).reply(200, { id: 7000 });
    nock(GITHUB).patch(`${REPO_PATH}/check-runs/7001`, bodies.record('update-7001')).reply(200, { id: 7001 });
    mockViewsGather();
    mockModel(bodies, fencedReply(FIXED_FUNCTION));
    mockReview(bodies);
    mockCheckRunUpdate(bodies);

    await deliver(probot, 'after-crash', 'pull_request', pullRequestOpened());

    expect(fixtures.unmatched).toEqual([]);
    for (const stranded of ['update-7000', 'update-7001']) {
      expect(bodies.one(stranded)).toMatchObject({
        status: 'completed',
        conclusion: 'cancelled',
        output: { title: 'SecCoder stopped before finishing', summary: expect.stringContaining(`check run ${CHECK_RUN_ID}`) },
      });
    }
    expect(bodies.one('check-update')).toMatchObject({ conclusion: 'neutral' });
  });
});

/** A probot whose Octokit retries like production's (server errors, rate limits), with waits shrunk to milliseconds. */
async function retryingProbot(deps: ReturnType<typeof testDependencies>): Promise<Probot> {
  const probot = new Probot({
    appId: 123,
    privateKey: fixtures.privateKey,
    secret: WEBHOOK_SECRET,
    Octokit: appOctokitClass({ throttle: false, retryAfterBaseValue: 1 }),
    log: pino({ level: 'silent' }),
  });
  await probot.load(createApp(deps));
  return probot;
}

/** What GitHub lists once the review is on the pull request: its inline comment, by the bot. */
const POSTED = [botReviewComment(7100, suggestionComment(ORIGINAL_FUNCTION, FIXED_FUNCTION).body)];

/** One review up to its POST, which GitHub answers 502 (whether it applied it is the test's to say). */
function mockUpToA502(bodies: Bodies): void {
  mockInstallationToken();
  mockPullHead(HEAD_SHA);
  mockConfig();
  mockCheckRun(bodies, CHECK_RUN_ID);
  mockViewsGather();
  mockModel(bodies, fencedReply(FIXED_FUNCTION));
  nock(GITHUB).post(`${PULL_PATH}/reviews`, bodies.record('review')).reply(502, { message: 'Bad Gateway' });
}

describe('a review POST answered with an error', () => {
  it('502, but GitHub applied it: the re-read finds it, and it is not posted again (Octokit does not retry the POST either)', async () => {
    const bodies = new Bodies();
    const deps = testDependencies(fixtures.corpus);
    const probot = await retryingProbot(deps);
    mockUpToA502(bodies);
    // Gathered and re-read before posting: nothing; read after the 502: the review is there.
    nock(GITHUB).get(`${PULL_PATH}/comments`).query({ per_page: 100 }).reply(200, POSTED);
    nock(GITHUB).get(`${PULL_PATH}/reviews`).query({ per_page: 100 }).reply(200, []);
    mockCheckRunUpdate(bodies);

    await receive(probot, 'applied-502', pullRequestOpened());
    await deps.queue.idle();

    expect(fixtures.unmatched).toEqual([]);
    expect(bodies.all('review')).toHaveLength(1);
    expect(bodies.one('check-update')).toMatchObject({ conclusion: 'neutral' });
  });

  it('502, and the review is not there: posted once more, so the pull request has it once', async () => {
    const bodies = new Bodies();
    const deps = testDependencies(fixtures.corpus);
    const probot = await retryingProbot(deps);
    mockUpToA502(bodies);
    nock(GITHUB).get(`${PULL_PATH}/comments`).query({ per_page: 100 }).reply(200, []);
    nock(GITHUB).get(`${PULL_PATH}/reviews`).query({ per_page: 100 }).reply(200, []);
    nock(GITHUB).post(`${PULL_PATH}/reviews`, bodies.record('review')).reply(200, { id: 502 });
    mockCheckRunUpdate(bodies);

    await receive(probot, 'lost-502', pullRequestOpened());
    await deps.queue.idle();

    expect(fixtures.unmatched).toEqual([]);
    expect(bodies.all('review')).toHaveLength(2);
    expect(bodies.all('review')[0]).toEqual(bodies.all('review')[1]);
    expect(bodies.one('check-update')).toMatchObject({ conclusion: 'neutral' });
  });
});

describe('right before posting', () => {
  it('another run posted the same suggestion since this one gathered: nothing is posted', async () => {
    const bodies = new Bodies();
    const probot = await loadedProbot(fixtures.privateKey, testDependencies(fixtures.corpus));
    mockInstallationToken();
    mockPullHead(HEAD_SHA);
    mockConfig();
    mockCheckRun(bodies, CHECK_RUN_ID);
    mockViewsGather({ reread: { comments: POSTED } });
    mockModel(bodies, fencedReply(FIXED_FUNCTION));
    mockCheckRunUpdate(bodies);

    await deliver(probot, 'raced', 'pull_request', pullRequestOpened());

    // A POST of the review would be unmatched.
    expect(fixtures.unmatched).toEqual([]);
    expect(bodies.one('check-update')).toMatchObject({ conclusion: 'neutral' });
  });
});

describe('the review deadline', () => {
  it('passes while the model is still answering: the check run says what was cut (neutral, not success), and nothing is posted for it', async () => {
    const bodies = new Bodies();
    const deps = { ...testDependencies(fixtures.corpus), deadlineMs: 200 };
    const probot = await loadedProbot(fixtures.privateKey, deps);
    mockInstallationToken();
    mockPullHead(HEAD_SHA);
    mockConfig();
    mockCheckRun(bodies, CHECK_RUN_ID);
    mockViewsGather();
    nock(MODEL_ORIGIN)
      .post('/v1/chat/completions')
      .delay(1500)
      .reply(200, chatCompletion(fencedReply(FIXED_FUNCTION)));
    mockCheckRunUpdate(bodies);

    await deliver(probot, 'slow-model', 'pull_request', pullRequestOpened());

    expect(fixtures.unmatched).toEqual([]);
    const update = bodies.one('check-update') as { conclusion: string; output: { title: string; summary: string; text: string } };
    expect(update.conclusion).toBe('neutral');
    expect(update.output.title).toBe('Review deadline passed: 1 function not hardened');
    expect(update.output.summary).toContain('| Not hardened: review deadline passed | 1 |');
    expect(update.output.text).toContain("### Not hardened: the review's deadline (0 s) passed");
    expect(update.output.text).toContain('`user_by_email`');
  });
});
