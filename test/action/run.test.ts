// The Action's run() as the runner starts it: inputs and the event through the environment, GitHub
// and the model mocked with nock, the real corpus index, tree-sitter and review pipeline, and a
// SARIF fixture as the alert source. Checks what is posted (the App's review and check run, byte
// for byte), the outputs, the job summary and the report; and that a bad input fails the step
// before anything is asked of GitHub.
import { cpSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MODEL_API_KEY_ENV } from '../../src/action/inputs.js';
import { run } from '../../src/action/run.js';
import { parseCorpusJsonl, serializeEntry } from '../../src/corpus/jsonl.js';
import { HEAD_SHA, PULL_NUMBER, pullRequestOpened, VIEWS_PATH } from '../fixtures/github/app-events.js';
import { AUTHOR, MERGER, modifiedListed, pullRequestClosed, VIEWS_PULL, contentOf as mergedContentOf } from '../fixtures/github/merge-events.js';
import { FIXED_FUNCTION, ORIGINAL_FUNCTION } from '../fixtures/review/flask-app.js';
import { appendEntries, snippetEntries, tempDirs } from '../fixtures/retrieval-corpus.js';
import { SNIPPETS } from '../fixtures/secure-snippets.js';
import { useHttpMocks } from '../helpers/http-mocks.js';
import { checkRunCompleted, checkRunStarted, functionsText, ONE_INLINE_REVIEW_BODY, SUGGESTED, suggestionComment, summary } from '../github/app/expected.js';
import { Bodies, CHECK_RUN_ID, GITHUB, MODEL_NAME, MODEL_URL, NOW, PULL_PATH, REPO_PATH, mockConfig } from '../github/app/harness.js';
import { readOutputs, runnerEnv, type RunnerFiles } from './runner-env.js';
import { MODEL_KEY, mockModel, mockPullRequestReads } from './review-mocks.js';

useHttpMocks();

const SARIF_FOLDER = join(import.meta.dirname, '..', 'fixtures', 'action', 'sarif');
const temp = tempDirs('seccoder-action-corpus-');
let corpusDir: string;
let cleanups: (() => void)[] = [];
let stdout: string[] = [];
let unmatched: string[] = [];
const recordUnmatched = (request: { method?: string; href?: string; path?: string }) =>
  unmatched.push(`${request.method ?? '?'} ${request.href ?? request.path ?? '?'}`);

beforeAll(async () => {
  corpusDir = temp.make();
  await appendEntries(corpusDir, await snippetEntries(SNIPPETS));
  nock.emitter.on('no match', recordUnmatched);
});
afterAll(() => {
  nock.emitter.removeListener('no match', recordUnmatched);
  temp.cleanup();
});

beforeEach(() => {
  stdout = [];
  unmatched = [];
  // @actions/core writes workflow commands (::error::, ::add-mask::) to stdout.
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  delete process.env[MODEL_API_KEY_ENV];
  process.exitCode = undefined;
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

/** The `::error::` lines written to the workflow log. */
const errors = () =>
  stdout
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('::error::'));

/** The inputs action.yml declares, with the runner's defaults, pointed at the mocks. */
function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'github-token': 'ghs_workflow_token',
    sarif: '',
    'model-url': MODEL_URL,
    model: MODEL_NAME,
    'model-api-key': MODEL_KEY,
    config: '.github/seccoder.yml',
    corpus: corpusDir,
    'max-targets': '',
    'dry-run': 'false',
    'bot-login': 'github-actions[bot]',
    ...overrides,
  };
}

/** Sets the runner's environment for one run; returns its files. */
function runner(eventName: string, payload: unknown, inputValues: Record<string, string>): RunnerFiles {
  const { env, files, cleanup } = runnerEnv({ inputs: inputValues, eventName, payload });
  cleanups.push(cleanup);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return files;
}

/** The run with retry and throttling off and no analyzers (the review's own tests run them). */
const runAction = () => run({ analyzers: [], octokit: { retry: false, throttle: false } });

interface ChatRequest {
  messages: { role: string; content: string }[];
}

/** The comment's explanation when the alert came from the SARIF file: the CWE by its name, the alert's message and rule, the precedent. */
const SARIF_REASON =
  "Code scanning reports [CWE-89: Improper Neutralization of Special Elements used in an SQL Command \\('SQL Injection'\\)](https://cwe.mitre.org/data/definitions/89.html) in `user_by_email`: “This SQL query depends on a user-provided value.” (`py/sql-injection`). It follows the precedent of `get_user`, a secure example in your corpus.";

describe('the Action on a pull_request opened event', () => {
  it("with a SARIF folder: posts the App's review and check run, the alert from SARIF in the prompt; outputs, summary and report written", async () => {
    const files = runner('pull_request', pullRequestOpened(), inputs({ sarif: SARIF_FOLDER }));
    const bodies = new Bodies();
    mockConfig();
    nock(GITHUB).post(`${REPO_PATH}/check-runs`, bodies.record('check-create')).reply(201, { id: CHECK_RUN_ID });
    mockPullRequestReads();
    mockModel(bodies);
    nock(GITHUB).post(`${PULL_PATH}/reviews`, bodies.record('review')).reply(200, { id: 501 });
    nock(GITHUB).patch(`${REPO_PATH}/check-runs/${CHECK_RUN_ID}`, bodies.record('check-update')).reply(200, { id: CHECK_RUN_ID });

    await runAction();

    expect(unmatched).toEqual([]);
    expect(errors()).toEqual([]);
    expect(process.exitCode).toBeUndefined();
    const prompt = (bodies.one('model') as ChatRequest).messages[1]!.content;
    expect(prompt).toContain('py/sql-injection (CWE-89): This SQL query depends on a user-provided value.');
    // The SARIF result in a file the pull request does not touch is left out.
    expect(prompt).not.toContain('app/legacy.py');
    expect(bodies.one('check-create')).toEqual(checkRunStarted(undefined, false));
    expect(bodies.one('review')).toEqual({
      commit_id: HEAD_SHA,
      event: 'COMMENT',
      body: ONE_INLINE_REVIEW_BODY,
      comments: [suggestionComment(ORIGINAL_FUNCTION, FIXED_FUNCTION, SARIF_REASON)],
    });
    expect(bodies.one('check-update')).toEqual(
      checkRunCompleted('neutral', {
        title: '1 security suggestion',
        summary: summary({ targets: 1, suggestions: 1, posted: 1 }),
        text: functionsText(SUGGESTED),
      }),
    );

    const outputs = readOutputs(files.outputFile);
    expect(outputs.suggestions).toBe('1');
    expect(outputs.report).toBe(join(files.runnerTemp, 'seccoder', 'seccoder-report.json'));
    const report = JSON.parse(await readFile(outputs.report!, 'utf8'));
    expect(report).toMatchObject({
      event: 'pull_request',
      kind: 'review',
      pull: PULL_NUMBER,
      result: { status: 'reviewed', posted: true, counts: { suggestions: 1 } },
    });
    const jobSummary = await readFile(files.summaryFile, 'utf8');
    expect(jobSummary).toContain('## SecCoder');
    expect(jobSummary).toContain('### 1 security suggestion (neutral)');
    // The key reached the model (the header above) but never the log, which masks it.
    expect(stdout.join('')).toContain(`::add-mask::${MODEL_KEY}`);
    expect(stdout.join('').replace(`::add-mask::${MODEL_KEY}`, '')).not.toContain(MODEL_KEY);
  });

  it('dry-run with max-targets: reads and asks the model, writes nothing to GitHub; the summary shows the review it would post', async () => {
    const files = runner('pull_request', pullRequestOpened(), inputs({ sarif: 'alerts', 'dry-run': 'true', 'max-targets': '5' }));
    // A relative sarif path starts at the workspace.
    cpSync(SARIF_FOLDER, join(files.workspace, 'alerts'), { recursive: true });
    const bodies = new Bodies();
    // Out of range on its own (at most 50): the review runs only because max-targets replaces it.
    mockConfig('maxTargets: 99\n');
    mockPullRequestReads();
    mockModel(bodies);

    await runAction();

    expect(unmatched).toEqual([]);
    expect(errors()).toEqual([]);
    expect(process.exitCode).toBeUndefined();
    expect(readOutputs(files.outputFile).suggestions).toBe('1');
    const report = JSON.parse(await readFile(readOutputs(files.outputFile).report!, 'utf8'));
    expect(report).toMatchObject({
      kind: 'review',
      dryRun: true,
      result: { status: 'reviewed', posted: false, preview: { comments: [{ path: VIEWS_PATH }] } },
    });
    const jobSummary = await readFile(files.summaryFile, 'utf8');
    expect(jobSummary).toContain('### The review a run without dry-run would post');
    expect(jobSummary).toContain(ONE_INLINE_REVIEW_BODY);
  });
});

describe('the Action with corpus: owner/repo', () => {
  it('retrieves from the org corpus repository (whatever the config says), mirrored below RUNNER_TEMP', async () => {
    const entries = await snippetEntries(SNIPPETS);
    const text = entries.map((entry) => `${serializeEntry(entry)}\n`).join('');
    const files = runner('pull_request', pullRequestOpened(), inputs({ corpus: 'acme/sec-corpus', sarif: SARIF_FOLDER, 'dry-run': 'true' }));
    const bodies = new Bodies();
    mockConfig();
    mockPullRequestReads();
    nock(GITHUB).get('/repos/acme/sec-corpus').reply(200, { name: 'sec-corpus', full_name: 'acme/sec-corpus', default_branch: 'main' });
    nock(GITHUB)
      .get('/repos/acme/sec-corpus/git/ref/heads%2Fmain')
      .reply(200, { ref: 'refs/heads/main', object: { sha: '4f9d404e86af0583e133595974e9ab303ebf62ea', type: 'commit' } });
    nock(GITHUB)
      .get('/repos/acme/sec-corpus/contents/corpus%2Fcorpus.jsonl')
      .query({ ref: 'main' })
      .reply(200, {
        type: 'file',
        encoding: 'base64',
        size: Buffer.byteLength(text),
        path: 'corpus/corpus.jsonl',
        sha: '3d21ec53a331a6f037a91c368710b99387d012c1',
        content: Buffer.from(text).toString('base64'),
      });
    // No classifier examples in this corpus repository.
    nock(GITHUB).get('/repos/acme/sec-corpus/contents/corpus%2Fcwe-examples.jsonl').query({ ref: 'main' }).reply(404, { message: 'Not Found' });
    nock(GITHUB).get('/repos/acme/sec-corpus/contents/corpus%2Faudit.jsonl').query({ ref: 'main' }).reply(404, { message: 'Not Found' });
    nock(GITHUB).get('/repos/acme/sec-corpus/contents/corpus%2Ffeedback.jsonl').query({ ref: 'main' }).reply(404, { message: 'Not Found' });
    mockModel(bodies);

    await runAction();

    expect(unmatched).toEqual([]);
    expect(errors()).toEqual([]);
    expect(await readFile(join(files.runnerTemp, 'seccoder', 'repositories', 'acme', 'sec-corpus', 'corpus.jsonl'), 'utf8')).toBe(text);
    const report = JSON.parse(await readFile(readOutputs(files.outputFile).report!, 'utf8'));
    expect(report.result.preview.checkRun.summary).toContain(`- Corpus: ${entries.length} secure examples`);
  });
});

describe('the Action on an invalid .github/seccoder.yml', () => {
  it('completes the check run as a failure naming the key, as the App does, and puts the table in the job summary', async () => {
    const files = runner('pull_request', pullRequestOpened(), inputs());
    const bodies = new Bodies();
    mockConfig('maxTargets: many\n');
    nock(GITHUB).post(`${REPO_PATH}/check-runs`, bodies.record('check-create')).reply(201, { id: CHECK_RUN_ID });

    await runAction();

    expect(unmatched).toEqual([]);
    expect(errors()).toEqual([]);
    expect(bodies.one('check-create')).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'Invalid .github/seccoder.yml' } });
    expect(readOutputs(files.outputFile).suggestions).toBe('0');
    expect(await readFile(files.summaryFile, 'utf8')).toContain('| `maxTargets` | must be a whole number, not text |');
  });
});

describe('action.yml', () => {
  it('declares exactly the inputs these tests set as the runner does, and the two outputs run() writes', async () => {
    const yml = await readFile(join(import.meta.dirname, '..', '..', 'action', 'action.yml'), 'utf8');
    const section = (name: string) =>
      [...(yml.split(new RegExp(`^${name}:$`, 'm'))[1]?.split(/^\S/m)[0] ?? '').matchAll(/^ {2}([a-z-]+):$/gm)].map((match) => match[1]);
    expect(section('inputs').sort()).toEqual(Object.keys(inputs()).sort());
    expect(section('outputs')).toEqual(['suggestions', 'report']);
    expect(yml).toMatch(/^runs:\n {2}using: node20\n {2}main: dist\/index\.js$/m);
  });
});

describe('the Action failing the step', () => {
  it.each([
    ['max-targets', 'many', 'max-targets: "many" is not a whole number from 1 to 50'],
    ['dry-run', 'yes', 'dry-run: "yes" is not true or false'],
    ['sarif', 'missing.sarif', 'sarif: no file or folder missing.sarif'],
    ['model-url', 'chatgpt', 'model-url: '],
    ['github-token', '', 'github-token: is empty'],
  ])('a bad %s input (%j): setFailed with the input named; nothing asked of GitHub', async (name, value, message) => {
    const files = runner('pull_request', pullRequestOpened(), inputs({ [name]: value }));

    await runAction();

    expect(process.exitCode).toBe(1);
    expect(stdout.join('')).toContain(`::error::${message}`);
    expect(unmatched).toEqual([]);
    expect(readOutputs(files.outputFile)).toEqual({});
  });

  it('an event file that is not there: setFailed naming the event', async () => {
    runner('pull_request', pullRequestOpened(), inputs());
    vi.stubEnv('GITHUB_EVENT_PATH', '/nonexistent/event.json');

    await runAction();

    expect(process.exitCode).toBe(1);
    expect(stdout.join('')).toContain('::error::event: cannot read the pull_request event from /nonexistent/event.json');
  });

  it('GitHub failing (500 on the files): the check run completes as a failure and the step fails', async () => {
    runner('pull_request', pullRequestOpened(), inputs({ sarif: SARIF_FOLDER }));
    const bodies = new Bodies();
    mockConfig();
    nock(GITHUB).post(`${REPO_PATH}/check-runs`, bodies.record('check-create')).reply(201, { id: CHECK_RUN_ID });
    nock(GITHUB).get(`${PULL_PATH}/files`).query({ per_page: 100 }).reply(500, { message: 'Server Error' });
    nock(GITHUB).patch(`${REPO_PATH}/check-runs/${CHECK_RUN_ID}`, bodies.record('check-update')).reply(200, { id: CHECK_RUN_ID });

    await runAction();

    expect(process.exitCode).toBe(1);
    expect(stdout.join('')).toContain('::error::HttpError: Server Error');
    expect(bodies.one('check-update')).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'SecCoder failed' } });
  });
});

describe('the Action after a merge', () => {
  function mockGrowthReads(bodies: Bodies): void {
    mockConfig();
    for (const [login, permission] of [
      [AUTHOR, 'write'],
      [MERGER, 'admin'],
    ] as const) {
      nock(GITHUB).get(`${REPO_PATH}/collaborators/${login}/permission`).reply(200, { permission, role_name: permission, user: { login } });
    }
    nock(GITHUB)
      .get(`${REPO_PATH}/pulls/${VIEWS_PULL.number}/files`)
      .query({ per_page: 100 })
      .reply(200, [modifiedListed(VIEWS_PULL)]);
    nock(GITHUB)
      .get(`${REPO_PATH}/code-scanning/alerts`)
      .query({ ref: `refs/pull/${VIEWS_PULL.number}/merge`, per_page: 100 })
      .reply(403, { message: 'Advanced Security must be enabled for this repository to use code scanning.' });
    // The growth comment is looked for (none yet), then posted.
    nock(GITHUB).get(`${REPO_PATH}/issues/${VIEWS_PULL.number}/comments`).query({ per_page: 100 }).reply(200, []);
    nock(GITHUB).post(`${REPO_PATH}/issues/${VIEWS_PULL.number}/comments`, bodies.record('comment')).reply(201, { id: 912 });
    // A labelled pull request with code scanning off: its changed functions at the head and at the merge.
    for (const [ref, text] of [
      [VIEWS_PULL.headSha, VIEWS_PULL.after],
      [VIEWS_PULL.mergeSha, VIEWS_PULL.after],
    ] as const) {
      nock(GITHUB).get(`${REPO_PATH}/contents/app%2Fviews.py`).query({ ref }).reply(200, mergedContentOf(VIEWS_PULL.path, text));
    }
  }

  async function copyCorpus(): Promise<string> {
    const dir = temp.make();
    await appendEntries(dir, await snippetEntries(SNIPPETS));
    return dir;
  }

  it("a push to the default branch: finds the merged pull request and grows the corpus through the App's gates", async () => {
    const corpus = await copyCorpus();
    const labelled = { ...VIEWS_PULL, labels: ['security-fix'] };
    const files = runner(
      'push',
      { ref: 'refs/heads/main', after: VIEWS_PULL.mergeSha, deleted: false, repository: { name: 'shop', owner: { login: 'acme' }, default_branch: 'main' } },
      inputs({ corpus }),
    );
    const bodies = new Bodies();
    nock(GITHUB)
      .get(`${REPO_PATH}/commits/${VIEWS_PULL.mergeSha}/pulls`)
      .reply(200, [
        { number: 99, merged_at: null, merge_commit_sha: 'f'.repeat(40) },
        { number: VIEWS_PULL.number, merged_at: '2026-03-02T09:00:00Z', merge_commit_sha: VIEWS_PULL.mergeSha },
      ]);
    nock(GITHUB).get(`${REPO_PATH}/pulls/${VIEWS_PULL.number}`).reply(200, pullRequestClosed(labelled).pull_request);
    mockGrowthReads(bodies);

    await runAction();

    expect(unmatched).toEqual([]);
    expect(errors()).toEqual([]);
    expect(process.exitCode).toBeUndefined();
    const entries = parseCorpusJsonl(await readFile(join(corpus, 'corpus.jsonl'), 'utf8'), 'corpus.jsonl').entries;
    expect(entries.at(-1)).toMatchObject({
      origin: 'merged-fix',
      source: { repo: 'acme/shop', commit: VIEWS_PULL.mergeSha, function: 'user_by_email', mergedBy: MERGER },
    });
    expect(bodies.one('comment')).toMatchObject({ body: expect.stringContaining('added 1 secure function') });
    expect(readOutputs(files.outputFile).suggestions).toBe('0');
    expect(await readFile(files.summaryFile, 'utf8')).toContain(`Pull request #${VIEWS_PULL.number} added 1 function to the corpus.`);
  });

  it('a pull_request closed without merging: skipped, nothing asked of GitHub, the reason in the summary', async () => {
    const files = runner('pull_request', pullRequestClosed(VIEWS_PULL, { merged: false }), inputs());

    await runAction();

    expect(unmatched).toEqual([]);
    expect(errors()).toEqual([]);
    expect(process.exitCode).toBeUndefined();
    expect(readOutputs(files.outputFile).suggestions).toBe('0');
    expect(await readFile(files.summaryFile, 'utf8')).toContain('closed without merging');
  });
});
