// The stand-ins the end-to-end tests and `npm run bench:app` run the App against, checked on their
// own: the stand-in GitHub through a real Octokit (the App's own, with retry and throttling on and
// short waits) and the App's own readers (gatherPullRequest, readConfigFromApi), and the stand-in
// model through the App's model client.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandInGitHub, type StandInGitHub } from '../../../bench/stand-in/github.js';
import { hostileReply, parameterizeQueries, quotedFunction, startStandInModel } from '../../../bench/stand-in/model.js';
import { vulnerableView } from '../../../bench/stand-in/corpus.js';
import { readConfigFromApi } from '../../../src/github/config-from-api.js';
import { createOctokit } from '../../../src/github/octokit.js';
import { gatherPullRequest } from '../../../src/github/review/gather.js';
import { readFingerprints, renderFingerprint } from '../../../src/github/review/fingerprint.js';
import { parseUnifiedDiff } from '../../../src/detect/diff.js';
import { OpenAiCompatibleModel } from '../../../src/model/openai-client.js';
import { FIXED_FUNCTION, ORIGINAL_FUNCTION, VIEWS, VIEWS_PATH } from '../../fixtures/review/flask-app.js';
import { VIEWS_DIFF } from '../../fixtures/github/app-events.js';

const OWNER = 'acme';
const REPO = 'shop';
const INSTALLATION = 4242;
const HEAD = '9fceb02d0ae598e95dc970b74767f19372d61af8';
/** Any three dot-separated parts: Octokit sends it as `bearer`, the stand-in takes it as the App's JWT. */
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2lnbmF0dXJl';

let github: StandInGitHub;

beforeEach(async () => {
  github = await startStandInGitHub();
});
afterEach(async () => {
  await github.close();
});

const ignore = () => undefined;
const silent = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/**
 * An installation's Octokit, its token asked of the stand-in with the App's JWT: retries on with
 * shrunk waits; throttling (which also spaces writes a second apart) only when asked.
 */
async function installationOctokit(installationId = INSTALLATION, options: { throttle?: boolean } = {}) {
  const app = createOctokit({ auth: JWT, baseUrl: github.apiUrl, retryAfterBaseValue: 10, throttle: false, log: silent });
  const { data } = await app.rest.apps.createInstallationAccessToken({ installation_id: installationId });
  return createOctokit({ auth: data.token, baseUrl: github.apiUrl, retryAfterBaseValue: 10, throttle: options.throttle ?? false, log: silent });
}

function addViewsPullRequest() {
  return github.addPullRequest({
    owner: OWNER,
    repo: REPO,
    number: 12,
    headSha: HEAD,
    installationId: INSTALLATION,
    files: [{ path: VIEWS_PATH, content: VIEWS }],
  });
}

describe('stand-in GitHub', () => {
  it('answers GET /app and hands an installation a token; repository routes need that token', async () => {
    addViewsPullRequest();
    const app = createOctokit({ auth: JWT, baseUrl: github.apiUrl, retry: false, throttle: false, log: silent });
    expect((await app.rest.apps.getAuthenticated()).data).toMatchObject({ slug: 'seccoder' });
    await expect(app.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 12 })).rejects.toMatchObject({ status: 401 });
    const octokit = await installationOctokit();
    expect((await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 12 })).data).toMatchObject({
      number: 12,
      state: 'open',
      draft: false,
      head: { sha: HEAD },
    });
    // Another installation's token does not reach the repository.
    const other = await installationOctokit(1);
    await expect(other.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 12 })).rejects.toMatchObject({ status: 404 });
    expect(github.state.unknownRoutes).toEqual([]);
  });

  it('serves the diff, the listed files and the contents as the App reads them', async () => {
    addViewsPullRequest();
    const octokit = await installationOctokit();
    const diff = await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 12, mediaType: { format: 'diff' } });
    expect(parseUnifiedDiff(diff.data as unknown as string)).toEqual(parseUnifiedDiff(VIEWS_DIFF));

    const material = await gatherPullRequest(octokit, { owner: OWNER, repo: REPO, pullNumber: 12, headSha: HEAD }, { botLogin: github.botLogin });
    expect(material.files).toEqual([{ path: VIEWS_PATH, content: VIEWS, language: 'python' }]);
    expect(material.diff).toEqual(parseUnifiedDiff(VIEWS_DIFF));
    expect(material).toMatchObject({ alerts: [], alertsAvailable: true, existing: [], earlierComments: [], skippedFiles: [] });
    expect(github.state.unknownRoutes).toEqual([]);
  });

  it('pages lists of more than 100 files with Link headers', async () => {
    const files = Array.from({ length: 150 }, (_, i) => ({ path: `src/file${i}.py`, content: `x = ${i}\n` }));
    github.addPullRequest({ owner: OWNER, repo: REPO, number: 3, installationId: INSTALLATION, files });
    const octokit = await installationOctokit();
    const listed = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: OWNER, repo: REPO, pull_number: 3, per_page: 100 });
    expect(listed.map((file) => file.filename)).toEqual(files.map((file) => file.path));
    expect(github.state.requests.filter((request) => request.route === 'pulls.listFiles')).toHaveLength(2);
  });

  it('reads .github/seccoder.yml from the repository, else 404 in both places', async () => {
    addViewsPullRequest();
    const octokit = await installationOctokit();
    expect(await readConfigFromApi(octokit, OWNER, REPO)).toBeUndefined();
    github.addRepository({ owner: OWNER, repo: REPO, config: 'maxTargets: 3\n' });
    expect(await readConfigFromApi(octokit, OWNER, REPO)).toEqual({ maxTargets: 3 });
  });

  it("keeps a review's inline comments and serves them back as the bot's, with their fingerprints", async () => {
    const pull = addViewsPullRequest();
    const octokit = await installationOctokit();
    const fp = { path: VIEWS_PATH, fn: 'user_by_email', orig: 'aaaaaaaaaaaa', sugg: 'bbbbbbbbbbbb' };
    const comment = `**SecCoder** · \`user_by_email\`\n\n\`\`\`suggestion\nfixed\n\`\`\`\n\n${renderFingerprint(fp)}`;
    const { data: review } = await octokit.rest.pulls.createReview({
      owner: OWNER,
      repo: REPO,
      pull_number: 12,
      commit_id: HEAD,
      event: 'COMMENT',
      body: 'One suggestion.',
      comments: [{ path: VIEWS_PATH, line: 12, side: 'RIGHT', body: comment }],
    });
    const comments = await octokit.paginate(octokit.rest.pulls.listReviewComments, { owner: OWNER, repo: REPO, pull_number: 12, per_page: 100 });
    expect(comments).toEqual([
      expect.objectContaining({ pull_request_review_id: review.id, user: github.botUser, path: VIEWS_PATH, line: 12, commit_id: HEAD, body: comment }),
    ]);
    const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { owner: OWNER, repo: REPO, pull_number: 12, per_page: 100 });
    expect(reviews).toEqual([expect.objectContaining({ id: review.id, user: github.botUser, state: 'COMMENTED', body: 'One suggestion.' })]);

    const material = await gatherPullRequest(octokit, { owner: OWNER, repo: REPO, pullNumber: pull.number, headSha: HEAD }, { botLogin: github.botLogin });
    expect(material.existing).toEqual([fp]);
    expect(material.earlierComments).toEqual([{ commentId: comments[0]?.id, fingerprints: [fp] }]);

    const { data: reply } = await octokit.rest.pulls.createReplyForReviewComment({
      owner: OWNER,
      repo: REPO,
      pull_number: 12,
      comment_id: comments[0]?.id ?? 0,
      body: 'Outdated.',
    });
    expect(reply).toMatchObject({ in_reply_to_id: comments[0]?.id, user: github.botUser });
    expect(readFingerprints(github.reviewCommentsOf(OWNER, REPO, 12).map((c) => c.body))).toEqual([fp]);
  });

  it('refuses a review comment on a line outside the diff with 422, writing nothing', async () => {
    github.addPullRequest({
      owner: OWNER,
      repo: REPO,
      number: 5,
      installationId: INSTALLATION,
      files: [{ path: VIEWS_PATH, before: VIEWS, content: VIEWS.replace('app = Flask(__name__)', 'app = Flask("shop")') }],
    });
    const octokit = await installationOctokit();
    const review = (line: number) =>
      octokit.rest.pulls.createReview({
        owner: OWNER,
        repo: REPO,
        pull_number: 5,
        event: 'COMMENT',
        body: 'x',
        comments: [{ path: VIEWS_PATH, line, body: 'y' }],
      });
    await expect(review(12)).rejects.toMatchObject({ status: 422 });
    expect(github.state.reviews).toEqual([]);
    // Line 5 changed; 2-8 are its context.
    await review(5);
    expect(github.reviewCommentsOf(OWNER, REPO, 5)).toHaveLength(1);
  });

  it('keeps check runs, and lists the newest of each name per commit unless filter=all', async () => {
    addViewsPullRequest();
    const octokit = await installationOctokit();
    const first = await octokit.rest.checks.create({ owner: OWNER, repo: REPO, name: 'SecCoder', head_sha: HEAD, status: 'in_progress', external_id: 'run-a' });
    const second = await octokit.rest.checks.create({
      owner: OWNER,
      repo: REPO,
      name: 'SecCoder',
      head_sha: HEAD,
      status: 'in_progress',
      external_id: 'run-b',
    });
    const list = (filter?: 'all') =>
      octokit.rest.checks.listForRef({ owner: OWNER, repo: REPO, ref: HEAD, check_name: 'SecCoder', status: 'in_progress', ...(filter ? { filter } : {}) });
    expect((await list()).data.check_runs.map((run) => run.external_id)).toEqual(['run-b']);
    expect((await list('all')).data.check_runs.map((run) => run.external_id)).toEqual(['run-b', 'run-a']);

    await octokit.rest.checks.update({
      owner: OWNER,
      repo: REPO,
      check_run_id: first.data.id,
      conclusion: 'cancelled',
      output: { title: 'Stopped', summary: 's' },
    });
    await octokit.rest.checks.update({ owner: OWNER, repo: REPO, check_run_id: second.data.id, status: 'completed', conclusion: 'success' });
    expect(github.checkRunsOf(OWNER, REPO, 12).map((run) => [run.external_id, run.status, run.conclusion])).toEqual([
      ['run-a', 'completed', 'cancelled'],
      ['run-b', 'completed', 'success'],
    ]);
    expect(github.state.checkRuns[0]?.history.map((step) => step.status)).toEqual(['in_progress', 'completed']);
    await expect(octokit.rest.checks.create({ owner: OWNER, repo: REPO, name: 'SecCoder', head_sha: HEAD, status: 'completed' })).rejects.toMatchObject({
      status: 422,
    });
  });

  it('applies a review and then answers 502 once: a retrying client posts it twice', async () => {
    addViewsPullRequest();
    const octokit = await installationOctokit();
    github.faults.applyThenFail('pulls.createReview');
    await octokit.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 12, event: 'COMMENT', body: 'once' });
    expect(github.state.requests.filter((request) => request.route === 'pulls.createReview').map((request) => request.status)).toEqual([502, 200]);
    expect(github.reviewsOf(OWNER, REPO, 12)).toHaveLength(2);
    expect(github.faults.pending()).toEqual({});
  });

  it('answers a 403 secondary rate limit with retry-after once, without doing the request', async () => {
    addViewsPullRequest();
    const octokit = await installationOctokit(INSTALLATION, { throttle: true });
    github.faults.secondaryRateLimit('checks.create', { retryAfterSeconds: 1 });
    await octokit.rest.checks.create({ owner: OWNER, repo: REPO, name: 'SecCoder', head_sha: HEAD, status: 'in_progress' });
    expect(github.state.requests.filter((request) => request.route === 'checks.create').map((request) => request.status)).toEqual([403, 201]);
    expect(github.state.checkRuns).toHaveLength(1);
  });

  it('waits the latency set for a route', async () => {
    addViewsPullRequest();
    const octokit = await installationOctokit();
    github.faults.latency('pulls.get', 300);
    const started = performance.now();
    await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 12 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('records an unknown route and answers it 404', async () => {
    const octokit = await installationOctokit();
    await expect(octokit.request('GET /repos/{owner}/{repo}/branches', { owner: OWNER, repo: REPO })).rejects.toMatchObject({ status: 404 });
    expect(github.state.unknownRoutes).toEqual([expect.objectContaining({ method: 'GET', path: '/repos/acme/shop/branches', status: 404 })]);
  });
});

describe('stand-in model', () => {
  const chatAbout = (code: string) => [
    { role: 'system' as const, content: 'You harden one function.' },
    {
      role: 'user' as const,
      content: `# Function to harden\n\n- Path: \`${VIEWS_PATH}\`\n- Function: \`user_by_email\`\n\nThe function:\n\n\`\`\`python\n${code}\n\`\`\`\n\nRewrite it.`,
    },
  ];

  it('answers the Flask fixture with the parameterized query, n samples, after its latency', async () => {
    const model = await startStandInModel({ latencyMs: 200 });
    try {
      const client = new OpenAiCompatibleModel({ baseUrl: model.url, model: 'coder', samples: 3, retries: 0 });
      const started = performance.now();
      const samples = await client.chat(chatAbout(ORIGINAL_FUNCTION));
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
      expect(samples).toHaveLength(3);
      for (const sample of samples) expect(quotedFunction(`The function:\n\n${sample.slice(sample.indexOf('```'))}`)).toBe(FIXED_FUNCTION);
      expect(model.received[0]).toMatchObject({ functionName: 'user_by_email', functionCode: ORIGINAL_FUNCTION, n: 3 });
      expect(model.stats()).toEqual({ requests: 1, answered: 1, inFlight: 0, maxConcurrent: 1 });
    } finally {
      await model.close();
    }
  });

  it('counts concurrent requests and lets a test wait for them', async () => {
    const model = await startStandInModel({ latencyMs: 300 });
    try {
      const client = new OpenAiCompatibleModel({ baseUrl: model.url, model: 'coder', samples: 1, retries: 0, concurrency: 8 });
      const calls = Promise.all(Array.from({ length: 4 }, () => client.chat(chatAbout(ORIGINAL_FUNCTION))));
      await model.waitForRequests(4, 5_000);
      expect(model.stats().inFlight).toBe(4);
      await calls;
      expect(model.stats()).toMatchObject({ requests: 4, answered: 4, inFlight: 0, maxConcurrent: 4 });
    } finally {
      await model.close();
    }
  });

  it('parameterizes every view the benchmark makes; the hostile reply drops the decorator and adds code outside the function', () => {
    const view = vulnerableView(3);
    const fn = view.content.split('\n').slice(7).join('\n');
    expect(parameterizeQueries(fn)).toContain(`cur.execute("SELECT id, name FROM invoices WHERE key = ?", (key,))`);
    expect(parameterizeQueries(ORIGINAL_FUNCTION)).toBe(FIXED_FUNCTION);
    const hostile = hostileReply({ number: 1, model: 'm', messages: [], n: 1, functionCode: ORIGINAL_FUNCTION, functionName: 'user_by_email' }, 0);
    expect(hostile).not.toContain('@app.route');
    expect(hostile).toContain('import os');
    expect(hostile).toContain('def run_anything(command):');
  });
});
