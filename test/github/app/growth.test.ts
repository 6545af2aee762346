// Growing the corpus on merge, driven through probot.receive: GitHub mocked with nock, the corpus,
// its retrieval index, tree-sitter and bandit real.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import nock from 'nock';
import type { Probot } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BanditAnalyzer } from '../../../src/analyze/bandit.js';
import { ClangAnalyzer } from '../../../src/analyze/clang.js';
import { CppcheckAnalyzer } from '../../../src/analyze/cppcheck.js';
import { GccAnalyzer } from '../../../src/analyze/gcc.js';
import type { Analyzer } from '../../../src/analyze/types.js';
import { createApp, type AppDependencies } from '../../../src/github/app.js';
import { InProcessQueue } from '../../../src/github/queue/in-process-queue.js';
import { parseCorpusJsonl } from '../../../src/corpus/jsonl.js';
import { createCorpusProvider } from '../../../src/github/corpus-provider.js';
import { GROWTH_MARKER } from '../../../src/github/growth/growth-comment.js';
import { readCweExamples } from '../../../src/corpus/cwe-examples.js';
import { readIndexManifest } from '../../../src/retrieve/index-manifest.js';
import { FIXED_LINE } from '../../fixtures/review/flask-app.js';
import { BOT_LOGIN } from '../../fixtures/github/app-events.js';
import {
  AUTHOR,
  BASE_SHA,
  contentOf,
  fixedAlert,
  MERGER,
  modifiedListed,
  pullRequestClosed,
  SESSION_PULL,
  TOOLS_PULL,
  VIEWS_PULL,
  type MergedPullFixture,
} from '../../fixtures/github/merge-events.js';
import { appendEntries, snippetEntries, tempDirs } from '../../fixtures/retrieval-corpus.js';
import { SNIPPETS } from '../../fixtures/secure-snippets.js';
import { useHttpMocks } from '../../helpers/http-mocks.js';
import { Bodies, GITHUB, mockConfig, mockInstallationToken, REPO_PATH, testPrivateKey, testProbot } from './harness.js';

useHttpMocks();

const queues = new WeakMap<Probot, InProcessQueue>();

/** probot.receive for a merge event (the webhooks-types payload is the same event in another type family). */
async function deliver(probot: Probot, id: string, payload: ReturnType<typeof pullRequestClosed>): Promise<unknown> {
  await probot.receive({ id, name: 'pull_request', payload } as unknown as Parameters<Probot['receive']>[0]);
  // The handler only queues the growth job: wait for it to run.
  return queues.get(probot)?.idle();
}

const temp = tempDirs('seccoder-growth-');
let privateKey: string;

beforeAll(() => {
  privateKey = testPrivateKey();
});
afterAll(() => temp.cleanup());

/** A corpus folder with the test snippets, and a probot running the app over it. */
interface Logged {
  details: Record<string, unknown>;
  message: string;
}

/** Reasons given in the logs for functions or pull requests left out. */
function reasons(logged: readonly Logged[]): string[] {
  return logged.flatMap((line) =>
    typeof line.details.reason === 'string' ? [line.details.reason] : line.message.startsWith('not growing') ? [line.message] : [],
  );
}

async function setUp(analyzers: Analyzer[] = [new BanditAnalyzer()]): Promise<{ dir: string; probot: Probot; deps: AppDependencies; logged: Logged[] }> {
  const dir = temp.make();
  await appendEntries(dir, await snippetEntries(SNIPPETS));
  const corpus = createCorpusProvider({ root: dir });
  // The index exists before the merge, so the growth has something to extend.
  await corpus.corpusFor({ store: 'local' }, undefined as never).retrieval();
  const logged: Logged[] = [];
  const record = (details: object, message: string) => logged.push({ details: details as Record<string, unknown>, message });
  const deps: AppDependencies = {
    analyzers,
    corpus,
    botLogin: BOT_LOGIN,
    log: { info: record, warn: record, error: record },
  };
  const queue = new InProcessQueue({ attempts: 1 });
  const probot = testProbot(privateKey);
  await probot.load(createApp({ ...deps, queue }));
  queues.set(probot, queue);
  return { dir, probot, deps, logged };
}

async function corpusEntries(dir: string) {
  return parseCorpusJsonl(await readFile(join(dir, 'corpus.jsonl'), 'utf8'), 'corpus.jsonl').entries;
}

function mockPermission(login: string, permission: string): void {
  nock(GITHUB).get(`${REPO_PATH}/collaborators/${login}/permission`).reply(200, { permission, role_name: permission, user: { login } });
}

function contentPath(path: string): string {
  return `${REPO_PATH}/contents/${path.split('/').map(encodeURIComponent).join('%2F')}`;
}

/** The reads of one merged pull request: files, fixed alerts (or code scanning off), file contents. */
function mockMergeReads(pull: MergedPullFixture, alerts: { status: number; body: nock.Body }): void {
  nock(GITHUB)
    .get(`${REPO_PATH}/pulls/${pull.number}/files`)
    .query({ per_page: 100 })
    .reply(200, [modifiedListed(pull)]);
  nock(GITHUB)
    .get(`${REPO_PATH}/code-scanning/alerts`)
    .query({ ref: `refs/pull/${pull.number}/merge`, per_page: 100 })
    .reply(alerts.status, alerts.body);
}

function mockContent(pull: MergedPullFixture, ref: string, text: string): void {
  nock(GITHUB).get(contentPath(pull.path)).query({ ref }).reply(200, contentOf(pull.path, text));
}

/**
 * Everything the merge of VIEWS_PULL reads after the gates: its files, the alert it fixed, the
 * file at the base and at the merge commit; and the comment, unless `comment` is false.
 */
function mockViewsMerge(bodies: Bodies, pull: MergedPullFixture = VIEWS_PULL, comment = true): void {
  mockMergeReads(pull, { status: 200, body: [fixedAlert(pull, 12)] });
  mockContent(pull, BASE_SHA, pull.before);
  mockContent(pull, pull.mergeSha, pull.after);
  if (comment) mockComment(bodies, pull);
}

/** The bot's growth comment: looked for first (none yet, or `existing`), then posted. */
function mockComment(bodies: Bodies, pull: MergedPullFixture, existing: nock.Body[] = []): void {
  nock(GITHUB).get(`${REPO_PATH}/issues/${pull.number}/comments`).query({ per_page: 100 }).reply(200, existing);
  if (existing.length > 0) return;
  nock(GITHUB)
    .post(`${REPO_PATH}/issues/${pull.number}/comments`, bodies.record(`comment-${pull.number}`))
    .reply(201, { id: 900 + pull.number });
}

const CODE_SCANNING_OFF = { status: 403, body: { message: 'Advanced Security must be enabled for this repository to use code scanning.' } };

describe('the merge of a pull request that fixed a code-scanning alert', () => {
  it('adds the fixed function with its provenance and CWE, extends the index, and comments once', async () => {
    const { dir, probot } = await setUp();
    const before = await corpusEntries(dir);
    const bodies = new Bodies();
    mockInstallationToken();
    mockConfig();
    mockPermission(AUTHOR, 'write');
    mockPermission(MERGER, 'admin');
    mockViewsMerge(bodies);

    await deliver(probot, 'merge-1', pullRequestClosed(VIEWS_PULL));

    const after = await corpusEntries(dir);
    expect(after).toHaveLength(before.length + 1);
    const added = after.at(-1);
    expect(added).toMatchObject({
      language: 'python',
      origin: 'merged-fix',
      cwe: ['CWE-89'],
      source: {
        repo: 'acme/shop',
        commit: VIEWS_PULL.mergeSha,
        path: 'app/views.py',
        function: 'user_by_email',
        url: `https://github.com/acme/shop/blob/${VIEWS_PULL.mergeSha}/app/views.py#L8-L13`,
        pullRequest: 12,
        mergedBy: MERGER,
      },
    });
    expect(added?.code).toContain('WHERE email = ?", (email,))');
    expect(added?.code.startsWith('@app.route("/users/<email>")\ndef user_by_email(email):')).toBe(true);

    // The code as it was before the fix teaches the CWE classifier, labelled with the alert's CWE.
    const examples = await readCweExamples(dir);
    expect(examples.map((example) => [example.kind, example.cwe, example.source])).toEqual([
      ['vulnerable', ['CWE-89'], { repo: 'acme/shop', commit: VIEWS_PULL.mergeSha, path: 'app/views.py' }],
      ['prefix', ['CWE-89'], { repo: 'acme/shop', commit: VIEWS_PULL.mergeSha, path: 'app/views.py' }],
      ['fix-lines', ['CWE-89'], { repo: 'acme/shop', commit: VIEWS_PULL.mergeSha, path: 'app/views.py' }],
    ]);
    expect(examples[0]?.code).toContain(`WHERE email = '" + email + "'"`);
    expect(examples[2]?.code).toBe(FIXED_LINE.trim());

    // The persisted index was extended with the new entry, not left behind.
    const manifest = await readIndexManifest(join(dir, '.index', 'default'));
    expect(manifest?.entryIds).toEqual(after.map((entry) => entry.id));

    expect(bodies.one('comment-12')).toEqual({
      body: [
        GROWTH_MARKER,
        "**SecCoder** added 1 secure function from this pull request to the organization's secure-code corpus; future suggestions can learn from it.",
        '',
        '| function | CWE |',
        '| --- | --- |',
        `| [\`user_by_email\` in \`app/views.py\`](https://github.com/acme/shop/blob/${VIEWS_PULL.mergeSha}/app/views.py#L8-L13) | CWE-89 |`,
        '',
        `Corpus: \`${join(dir, 'corpus.jsonl')}\``,
      ].join('\n'),
    });
  });

  it('a second delivery of the same merge (another id) is the same job: dropped before any GitHub call', async () => {
    const { dir, probot } = await setUp();
    const bodies = new Bodies();
    mockInstallationToken();
    mockConfig();
    mockPermission(AUTHOR, 'write');
    mockPermission(MERGER, 'write');
    mockViewsMerge(bodies);
    await deliver(probot, 'merge-a', pullRequestClosed(VIEWS_PULL));
    // No mocks left: any request the second delivery made would fail it.
    await deliver(probot, 'merge-b', pullRequestClosed(VIEWS_PULL));
    expect((await corpusEntries(dir)).filter((entry) => entry.origin === 'merged-fix')).toHaveLength(1);
    expect(bodies.all('comment-12')).toHaveLength(1);
  });

  it('after a restart, the same merge again: nothing added twice, and no second comment (the first is found on the pull request)', async () => {
    const first = await setUp();
    const bodies = new Bodies();
    mockInstallationToken();
    mockConfig();
    mockPermission(AUTHOR, 'write');
    mockPermission(MERGER, 'write');
    mockViewsMerge(bodies);
    await deliver(first.probot, 'merge-a', pullRequestClosed(VIEWS_PULL));
    const posted = bodies.one('comment-12') as { body: string };

    // A fresh process (its queue remembers nothing) on the same corpus.
    const second = testProbot(privateKey);
    const queue = new InProcessQueue({ attempts: 1 });
    await second.load(createApp({ ...first.deps, queue }));
    queues.set(second, queue);
    mockInstallationToken();
    mockConfig();
    mockPermission(AUTHOR, 'write');
    mockPermission(MERGER, 'write');
    mockViewsMerge(bodies, VIEWS_PULL, false);
    mockComment(bodies, VIEWS_PULL, [{ id: 912, body: posted.body, user: { login: BOT_LOGIN, type: 'Bot' } }]);
    await deliver(second, 'merge-b', pullRequestClosed(VIEWS_PULL));
    expect((await corpusEntries(first.dir)).filter((entry) => entry.origin === 'merged-fix')).toHaveLength(1);
    expect(bodies.all('comment-12')).toHaveLength(1);
  });

  it('a run that died after the append and before its comment: the redelivery posts the one comment, listing the function', async () => {
    const first = await setUp();
    const bodies = new Bodies();
    mockInstallationToken();
    mockConfig();
    mockPermission(AUTHOR, 'write');
    mockPermission(MERGER, 'write');
    mockViewsMerge(bodies, VIEWS_PULL, false);
    // The comment never gets out (the process dies, or GitHub fails); the entry is already in the corpus.
    nock(GITHUB).get(`${REPO_PATH}/issues/${VIEWS_PULL.number}/comments`).query({ per_page: 100 }).reply(200, []);
    nock(GITHUB).post(`${REPO_PATH}/issues/${VIEWS_PULL.number}/comments`).reply(500, { message: 'Server Error' });
    await deliver(first.probot, 'merge-a', pullRequestClosed(VIEWS_PULL));
    expect((await corpusEntries(first.dir)).filter((entry) => entry.origin === 'merged-fix')).toHaveLength(1);

    const second = testProbot(privateKey);
    const queue = new InProcessQueue({ attempts: 1 });
    await second.load(createApp({ ...first.deps, queue }));
    queues.set(second, queue);
    mockInstallationToken();
    mockConfig();
    mockPermission(AUTHOR, 'write');
    mockPermission(MERGER, 'write');
    mockViewsMerge(bodies);
    await deliver(second, 'merge-a', pullRequestClosed(VIEWS_PULL));
    expect((await corpusEntries(first.dir)).filter((entry) => entry.origin === 'merged-fix')).toHaveLength(1);
    const comment = bodies.one('comment-12') as { body: string };
    expect(comment.body).toContain('added 1 secure function');
    expect(comment.body).toContain('`user_by_email` in `app/views.py`');
  });

  it('ignores a redelivered webhook entirely', async () => {
    const { dir, probot } = await setUp();
    const bodies = new Bodies();
    mockInstallationToken();
    mockConfig();
    mockPermission(AUTHOR, 'write');
    mockPermission(MERGER, 'write');
    mockViewsMerge(bodies);
    await deliver(probot, 'merge-same', pullRequestClosed(VIEWS_PULL));
    // No mocks left: any request the redelivery made would fail it.
    await deliver(probot, 'merge-same', pullRequestClosed(VIEWS_PULL));
    expect((await corpusEntries(dir)).filter((entry) => entry.origin === 'merged-fix')).toHaveLength(1);
  });
});

describe('the merge of a pull request that renamed the file it fixed', () => {
  it('maps the alert, seen at the old path, to the function in the renamed file', async () => {
    const { dir, probot } = await setUp();
    const bodies = new Bodies();
    const renamed = { ...VIEWS_PULL, path: 'app/users.py' };
    mockInstallationToken();
    mockConfig();
    mockPermission(AUTHOR, 'write');
    mockPermission(MERGER, 'write');
    nock(GITHUB)
      .get(`${REPO_PATH}/pulls/12/files`)
      .query({ per_page: 100 })
      .reply(200, [{ ...modifiedListed(renamed), status: 'renamed', previous_filename: 'app/views.py' }]);
    nock(GITHUB)
      .get(`${REPO_PATH}/code-scanning/alerts`)
      .query({ ref: 'refs/pull/12/merge', per_page: 100 })
      .reply(200, [fixedAlert(VIEWS_PULL, 12)]);
    mockContent(VIEWS_PULL, BASE_SHA, VIEWS_PULL.before);
    mockContent(renamed, renamed.mergeSha, renamed.after);
    mockComment(bodies, renamed);

    await deliver(probot, 'merge-renamed', pullRequestClosed(renamed));

    expect((await corpusEntries(dir)).at(-1)).toMatchObject({ cwe: ['CWE-89'], source: { path: 'app/users.py', function: 'user_by_email' } });
  });
});

describe('the gates against poisoning', () => {
  it('rejects a merge by a user without write access: nothing read, appended or commented', async () => {
    const { dir, probot, logged } = await setUp();
    const before = await readFile(join(dir, 'corpus.jsonl'), 'utf8');
    mockInstallationToken();
    mockConfig();
    mockPermission(AUTHOR, 'write');
    mockPermission('drive-by', 'read');
    await deliver(probot, 'merge-read-only', pullRequestClosed(VIEWS_PULL, { mergedBy: 'drive-by' }));
    expect(await readFile(join(dir, 'corpus.jsonl'), 'utf8')).toBe(before);
    expect(reasons(logged)).toEqual(['not growing the corpus: @drive-by has read access to acme/shop, not write']);
  });

  it('rejects an author who is not a collaborator', async () => {
    const { dir, probot, logged } = await setUp();
    const before = await readFile(join(dir, 'corpus.jsonl'), 'utf8');
    mockInstallationToken();
    mockConfig();
    nock(GITHUB).get(`${REPO_PATH}/collaborators/${AUTHOR}/permission`).reply(404, { message: 'Not Found' });
    await deliver(probot, 'merge-outsider', pullRequestClosed(VIEWS_PULL));
    expect(await readFile(join(dir, 'corpus.jsonl'), 'utf8')).toBe(before);
    expect(reasons(logged)).toEqual([`not growing the corpus: @${AUTHOR} is not a collaborator of acme/shop`]);
  });

  it('never takes a pull request SecCoder opened itself, and no GitHub call is made for it beyond the config', async () => {
    const { dir, probot, logged } = await setUp();
    const before = await readFile(join(dir, 'corpus.jsonl'), 'utf8');
    mockInstallationToken();
    mockConfig();
    await deliver(probot, 'merge-bot', pullRequestClosed(VIEWS_PULL, { author: { login: BOT_LOGIN, type: 'Bot' } }));
    expect(await readFile(join(dir, 'corpus.jsonl'), 'utf8')).toBe(before);
    expect(reasons(logged)).toEqual(['not growing the corpus: the pull request was opened by SecCoder itself']);
  });

  it('rejects a "fix" that bandit still flags, and logs why', async () => {
    const { dir, probot, logged } = await setUp();
    const before = await readFile(join(dir, 'corpus.jsonl'), 'utf8');
    const stillVulnerable = { ...VIEWS_PULL, after: VIEWS_PULL.before.replace('conn.cursor()', 'conn.cursor()  # reviewed') };
    mockInstallationToken();
    mockConfig();
    mockPermission(AUTHOR, 'write');
    mockPermission(MERGER, 'write');
    mockViewsMerge(new Bodies(), stillVulnerable, false);
    await deliver(probot, 'merge-still-vulnerable', pullRequestClosed(stillVulnerable));
    expect(await readFile(join(dir, 'corpus.jsonl'), 'utf8')).toBe(before);
    expect(reasons(logged)).toEqual([expect.stringMatching(/^analyzer bandit reports B608 \(CWE-89\) on line \d+$/)]);
  });

  it('does nothing for a pull request closed without merging, or merged into another branch', async () => {
    const { dir, probot } = await setUp();
    const before = await readFile(join(dir, 'corpus.jsonl'), 'utf8');
    await deliver(probot, 'closed', pullRequestClosed(VIEWS_PULL, { merged: false }));
    await deliver(probot, 'other-base', pullRequestClosed(VIEWS_PULL, { base: 'release-1.x' }));
    expect(await readFile(join(dir, 'corpus.jsonl'), 'utf8')).toBe(before);
  });

  it('does nothing when the repository turns growth off', async () => {
    const { dir, probot } = await setUp();
    const before = await readFile(join(dir, 'corpus.jsonl'), 'utf8');
    mockInstallationToken();
    mockConfig('growth:\n  enabled: false\n');
    await deliver(probot, 'growth-off', pullRequestClosed(VIEWS_PULL));
    expect(await readFile(join(dir, 'corpus.jsonl'), 'utf8')).toBe(before);
  });
});

describe('a pull request labelled security-fix', () => {
  it('adds the functions it modified even when code scanning is off', async () => {
    const { dir, probot } = await setUp();
    const bodies = new Bodies();
    mockInstallationToken();
    mockConfig();
    mockPermission(AUTHOR, 'write');
    mockPermission(MERGER, 'write');
    mockMergeReads(TOOLS_PULL, CODE_SCANNING_OFF);
    mockContent(TOOLS_PULL, TOOLS_PULL.headSha, TOOLS_PULL.after);
    mockContent(TOOLS_PULL, TOOLS_PULL.mergeSha, TOOLS_PULL.after);
    mockComment(bodies, TOOLS_PULL);
    await deliver(probot, 'merge-labelled', pullRequestClosed(TOOLS_PULL));
    const added = (await corpusEntries(dir)).at(-1);
    expect(added).toMatchObject({ origin: 'merged-fix', cwe: [], source: { path: 'app/tools.py', function: 'disk_usage', pullRequest: 13 } });
    expect(added?.code).toContain('["du", "-sh", "--", path]');
    expect(String((bodies.one('comment-13') as { body: string }).body)).toContain('`disk_usage` in `app/tools.py`');
  });
});

describe('a C fix that does not compile on its own', () => {
  it('joins: gcc and clang could not judge it (its types are in project headers), which is not a finding; cppcheck could', async () => {
    const { dir, probot } = await setUp([new GccAnalyzer(), new ClangAnalyzer(), new CppcheckAnalyzer()]);
    const bodies = new Bodies();
    mockInstallationToken();
    mockConfig();
    mockPermission(AUTHOR, 'write');
    mockPermission(MERGER, 'write');
    nock(GITHUB)
      .get(`${REPO_PATH}/pulls/14/files`)
      .query({ per_page: 100 })
      .reply(200, [modifiedListed(SESSION_PULL)]);
    nock(GITHUB)
      .get(`${REPO_PATH}/code-scanning/alerts`)
      .query({ ref: 'refs/pull/14/merge', per_page: 100 })
      .reply(CODE_SCANNING_OFF.status, CODE_SCANNING_OFF.body);
    mockContent(SESSION_PULL, SESSION_PULL.headSha, SESSION_PULL.after);
    mockContent(SESSION_PULL, SESSION_PULL.mergeSha, SESSION_PULL.after);
    mockComment(bodies, SESSION_PULL);

    await deliver(probot, 'merge-c', pullRequestClosed(SESSION_PULL));

    const added = (await corpusEntries(dir)).at(-1);
    expect(added).toMatchObject({ language: 'c', origin: 'merged-fix', source: { path: 'src/session.c', function: 'set_name', pullRequest: 14 } });
    expect(added?.code).toContain('if (strlen(name) >= MAX_NAME) return -1;');
    // What made the difference: gcc could not compile the function alone.
    const gcc = await new GccAnalyzer().analyze({ code: added?.code ?? '', language: 'c', fileName: 'session.c' });
    expect(gcc.map((finding) => finding.ruleId)).toEqual(['compile-error']);
  });
});

describe('concurrent merges', () => {
  it('lose no entry: both fixes are in the corpus and the index', async () => {
    const { dir, probot } = await setUp();
    const before = await corpusEntries(dir);
    const bodies = new Bodies();
    // Both deliveries may ask for the installation token before either has it.
    nock(GITHUB).post('/app/installations/4242/access_tokens').times(2).optionally().reply(201, { token: 'ghs_test', expires_at: '2099-01-01T00:00:00Z' });
    mockConfig();
    mockConfig();
    nock(GITHUB).get(`${REPO_PATH}/collaborators/${AUTHOR}/permission`).times(2).reply(200, { permission: 'write' });
    nock(GITHUB).get(`${REPO_PATH}/collaborators/${MERGER}/permission`).times(2).reply(200, { permission: 'write' });
    mockViewsMerge(bodies);
    mockMergeReads(TOOLS_PULL, { status: 200, body: [] });
    mockContent(TOOLS_PULL, TOOLS_PULL.headSha, TOOLS_PULL.after);
    mockContent(TOOLS_PULL, TOOLS_PULL.mergeSha, TOOLS_PULL.after);
    mockComment(bodies, TOOLS_PULL);

    await Promise.all([deliver(probot, 'merge-12', pullRequestClosed(VIEWS_PULL)), deliver(probot, 'merge-13', pullRequestClosed(TOOLS_PULL))]);

    const after = await corpusEntries(dir);
    expect(after).toHaveLength(before.length + 2);
    expect(
      after
        .slice(before.length)
        .map((entry) => entry.source.pullRequest)
        .sort(),
    ).toEqual([12, 13]);
    const manifest = await readIndexManifest(join(dir, '.index', 'default'));
    expect(manifest?.entryIds).toEqual(after.map((entry) => entry.id));
  });
});
