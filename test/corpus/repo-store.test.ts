import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Octokit } from '@octokit/rest';
import nock from 'nock';
import { serializeCweExample, type CweExample } from '../../src/corpus/cwe-examples.js';
import { describe, expect, it } from 'vitest';
import type { CorpusEntry } from '../../src/corpus/entry.js';
import { serializeEntry } from '../../src/corpus/jsonl.js';
import {
  CorpusBranchNotFoundError,
  CorpusConflictError,
  CorpusRepoAccessError,
  CorpusRepoNotFoundError,
  CorpusRepoRequestError,
  CorpusRepoResponseError,
} from '../../src/corpus/repo-errors.js';
import { defaultCommitMessage, GitHubRepoCorpusStore, type GitHubRepoCorpusStoreOptions } from '../../src/corpus/repo-store.js';
import { makeEntry } from '../helpers/entries.js';
import { useHttpMocks } from '../helpers/http-mocks.js';

type Json = Record<string, unknown>;

const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`../fixtures/corpus/github/${name}`, import.meta.url), 'utf8')) as Json;

const API = 'https://api.github.com';
const REPO = '/repos/acme/.seccoder';
// Octokit percent-encodes the slashes of `{path}` and `{ref}`; GitHub decodes them.
const CONTENTS = `${REPO}/contents/corpus%2Fcorpus.jsonl`;
const GET_REF = `${REPO}/git/ref/heads%2Fmain`;
const PATCH_REF = `${REPO}/git/refs/heads%2Fmain`;
const LOCATION = 'https://github.com/acme/.seccoder/blob/HEAD/corpus/corpus.jsonl';

// Ids from the fixtures: the branch head, its tree, and what POST blob/tree/commit answer with.
const HEAD = '4f9d404e86af0583e133595974e9ab303ebf62ea';
const TREE = 'b76413db849222e7019ede095731db218ded51b8';
const NEW_BLOB = '0285b67fbb5fa74fc32655e693c2aad48c8d5389';
const NEW_TREE = 'e7532a15240f649bf4e5afda8e4aa4efd5a2ea25';
const NEW_COMMIT = 'f3a04934ced030e6437917f3c80816f85b544d69';
// The head and tree after another writer's commit.
const OTHER_HEAD = '9b0d3c5e2f7a41d8b6c1e0f2a3d4b5c6e7f80912';
const OTHER_TREE = '5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d';

const sqlSafe = makeEntry('def find_user(db, name):\n    return db.execute("SELECT * FROM users WHERE name = ?", (name,))', 'python', ['CWE-89']);
const xssSafe = makeEntry('def greet(name):\n    return "<p>" + html.escape(name) + "</p>"', 'python', ['CWE-79']);
const pathSafe = makeEntry('def open_upload(root, name):\n    return open(safe_join(root, name))', 'python', ['CWE-22']);
const othersEntry = makeEntry('def run(args):\n    return subprocess.run(["convert", *args], check=True)', 'python', ['CWE-78']);

const lines = (...entries: CorpusEntry[]): string => entries.map((entry) => `${serializeEntry(entry)}\n`).join('');

function gitBlobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** GitHub's base64: wrapped at 60 characters, each line ending in a newline. */
function githubBase64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/.{1,60}/g, '$&\n');
}

function contentsOf(text: string): Json {
  const bytes = Buffer.from(text, 'utf8');
  return { ...fixture('contents-file.json'), content: githubBase64(bytes), size: bytes.length, sha: gitBlobSha(bytes) };
}

function refTo(sha: string): Json {
  const ref = fixture('ref.json');
  return { ...ref, object: { ...(ref.object as Json), sha } };
}

function commitOf(sha: string, tree: string): Json {
  const commit = fixture('git-commit.json');
  return { ...commit, sha, tree: { ...(commit.tree as Json), sha: tree } };
}

const quiet = () => undefined;

function makeStore(options: Partial<GitHubRepoCorpusStoreOptions> = {}): GitHubRepoCorpusStore {
  // A plain Octokit: no retry or throttling plugins, so every request is seen once.
  const octokit = new Octokit({
    auth: 'test-token',
    userAgent: 'seccoder-test',
    request: { retries: 0 },
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
  return new GitHubRepoCorpusStore({ octokit, owner: 'acme', sleep: () => Promise.resolve(), ...options });
}

/** Request bodies GitHub received, by route. */
interface Posted {
  blobs: Json[];
  trees: Json[];
  commits: Json[];
  refs: Json[];
}

function capture(list: Json[]) {
  return (body: Json): boolean => {
    list.push(body);
    return true;
  };
}

/** One attempt of an append from the head `head` (tree `tree`) whose file (default: the corpus) is `text`. */
function mockAttempt(
  scope: nock.Scope,
  posted: Posted,
  head: { commit: string; tree: string; text: string | undefined },
  refStatus = 200,
  file = CONTENTS,
): void {
  scope.get(GET_REF).reply(200, refTo(head.commit));
  scope.get(`${REPO}/git/commits/${head.commit}`).reply(200, commitOf(head.commit, head.tree));
  const contents = scope.get(file).query({ ref: head.commit });
  if (head.text === undefined) contents.reply(404, fixture('not-found.json'));
  else contents.reply(200, contentsOf(head.text));
  scope.post(`${REPO}/git/blobs`, capture(posted.blobs)).reply(201, fixture('created-blob.json'));
  scope.post(`${REPO}/git/trees`, capture(posted.trees)).reply(201, fixture('created-tree.json'));
  scope.post(`${REPO}/git/commits`, capture(posted.commits)).reply(201, fixture('created-commit.json'));
  if (refStatus === 200) scope.patch(PATCH_REF, capture(posted.refs)).reply(200, fixture('updated-ref.json'));
  else scope.patch(PATCH_REF, capture(posted.refs)).reply(refStatus, fixture('not-fast-forward.json'));
}

const decoded = (blob: Json | undefined): string => Buffer.from(String(blob?.content), 'base64').toString('utf8');
const newPosted = (): Posted => ({ blobs: [], trees: [], commits: [], refs: [] });

useHttpMocks();

describe('GitHubRepoCorpusStore.read', () => {
  it('reads a small file from the contents API on the default branch', async () => {
    nock(API)
      .get(REPO)
      .matchHeader('authorization', 'token test-token')
      .reply(200, fixture('repository.json'))
      .get(CONTENTS)
      .query({ ref: 'main' })
      .reply(200, contentsOf(lines(sqlSafe, xssSafe)));

    const store = makeStore();
    expect(store.location).toBe(LOCATION);
    expect(await store.read()).toEqual({ entries: [sqlSafe, xssSafe], problems: [] });
  });

  it('fetches a file over 1 MB through the blob API, where the contents API leaves it out', async () => {
    const many = Array.from({ length: 300 }, (_, i) => makeEntry(`def handler_${i}(value):\n    return escape(value) + "${'x'.repeat(4000)}"`));
    const bytes = Buffer.from(lines(...many), 'utf8');
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
    const sha = gitBlobSha(bytes);
    nock(API)
      .get(CONTENTS)
      .query({ ref: 'main' })
      .reply(200, { ...fixture('contents-large-file.json'), size: bytes.length, sha })
      .get(`${REPO}/git/blobs/${sha}`)
      .reply(200, { ...fixture('blob.json'), content: githubBase64(bytes), size: bytes.length, sha });

    const { entries, problems } = await makeStore({ branch: 'main' }).read();
    expect(problems).toEqual([]);
    expect(entries).toEqual(many);
  });

  it('reads a missing file as an empty corpus once the repository is known to exist', async () => {
    nock(API).get(CONTENTS).query({ ref: 'corpus' }).reply(404, fixture('not-found.json')).get(REPO).reply(200, fixture('repository.json'));

    expect(await makeStore({ branch: 'corpus' }).read()).toEqual({ entries: [], problems: [] });
  });

  it('says which repository is missing and what to do', async () => {
    nock(API).get(REPO).reply(404, fixture('repository-not-found.json'));

    const error = await makeStore()
      .read()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CorpusRepoNotFoundError);
    expect((error as CorpusRepoNotFoundError).repository).toBe('acme/.seccoder');
    const message = (error as Error).message;
    expect(message).toMatch(/acme\/\.seccoder not found/);
    expect(message).toMatch(/create it/);
    expect(message).toMatch(/grant the GitHub App/);
    expect(message).toMatch(/contents: write/);
  });

  it('tells a missing repository from a missing file when the branch is configured', async () => {
    nock(API).get(CONTENTS).query({ ref: 'main' }).reply(404, fixture('not-found.json')).get(REPO).reply(404, fixture('repository-not-found.json'));

    await expect(makeStore({ branch: 'main' }).read()).rejects.toBeInstanceOf(CorpusRepoNotFoundError);
  });

  it('reports an invalid line of the remote file with its line number and keeps the rest', async () => {
    const text = `${serializeEntry(sqlSafe)}\n{"id": "half-an-entry"}\n${serializeEntry(xssSafe)}\nnot json\n`;
    nock(API).get(CONTENTS).query({ ref: 'main' }).reply(200, contentsOf(text));

    const { entries, problems } = await makeStore({ branch: 'main' }).read();
    expect(entries).toEqual([sqlSafe, xssSafe]);
    expect(problems).toEqual([
      { file: 'https://github.com/acme/.seccoder/blob/main/corpus/corpus.jsonl', line: 2, message: expect.stringMatching(/language/) },
      { file: 'https://github.com/acme/.seccoder/blob/main/corpus/corpus.jsonl', line: 4, message: expect.stringMatching(/not valid JSON/) },
    ]);
  });

  it('rejects an answer that is not a file, naming the route', async () => {
    nock(API)
      .get(CONTENTS)
      .query({ ref: 'main' })
      .reply(200, { ...contentsOf(''), type: 'symlink' });

    await expect(makeStore({ branch: 'main' }).read()).rejects.toThrow(CorpusRepoResponseError);
  });

  it('rejects content whose length does not match the size GitHub reports', async () => {
    nock(API)
      .get(CONTENTS)
      .query({ ref: 'main' })
      .reply(200, { ...contentsOf(lines(sqlSafe)), size: 5 });

    await expect(makeStore({ branch: 'main' }).read()).rejects.toThrow(/decodes to \d+ bytes but the file has 5/);
  });
});

describe('GitHubRepoCorpusStore.append', () => {
  it('commits the old text verbatim plus the new lines, and moves the branch as a fast-forward', async () => {
    // The remote file has a line that fails validation and no final newline: both survive.
    const existing = `${serializeEntry(pathSafe)}\n{broken line`;
    const posted = newPosted();
    const scope = nock(API).get(REPO).reply(200, fixture('repository.json'));
    mockAttempt(scope, posted, { commit: HEAD, tree: TREE, text: existing });

    const committer = { name: 'SecCoder', email: 'seccoder@acme.example' };
    const result = await makeStore({ committer }).append([sqlSafe, xssSafe]);

    expect(result).toEqual({ added: [sqlSafe, xssSafe], duplicates: [] });
    expect(posted.blobs).toEqual([{ content: expect.any(String), encoding: 'base64' }]);
    expect(decoded(posted.blobs[0])).toBe(`${existing}\n${serializeEntry(sqlSafe)}\n${serializeEntry(xssSafe)}\n`);
    expect(posted.trees).toEqual([{ base_tree: TREE, tree: [{ path: 'corpus/corpus.jsonl', mode: '100644', type: 'blob', sha: NEW_BLOB }] }]);
    expect(posted.commits).toEqual([{ message: 'seccoder: add 2 secure functions (CWE-89, CWE-79)', tree: NEW_TREE, parents: [HEAD], committer }]);
    expect(posted.refs).toEqual([{ sha: NEW_COMMIT, force: false }]);
  });

  it('creates the file when the branch does not have it yet', async () => {
    const posted = newPosted();
    mockAttempt(nock(API), posted, { commit: HEAD, tree: TREE, text: undefined });

    const result = await makeStore({ branch: 'main', message: (added) => `corpus: +${added.length}` }).append([sqlSafe]);

    expect(result.added).toEqual([sqlSafe]);
    expect(decoded(posted.blobs[0])).toBe(lines(sqlSafe));
    expect(posted.commits[0]).toEqual({ message: 'corpus: +1', tree: NEW_TREE, parents: [HEAD] });
  });

  it('makes no commit at all when every entry is already there (or repeats one in the batch)', async () => {
    nock(API)
      .get(GET_REF)
      .reply(200, refTo(HEAD))
      .get(`${REPO}/git/commits/${HEAD}`)
      .reply(200, commitOf(HEAD, TREE))
      .get(CONTENTS)
      .query({ ref: HEAD })
      .reply(200, contentsOf(lines(sqlSafe, xssSafe)));

    const copy = { ...xssSafe, id: 'manual-copy' };
    const result = await makeStore({ branch: 'main' }).append([sqlSafe, copy]);
    expect(result).toEqual({ added: [], duplicates: [sqlSafe, copy] });
  });

  it('starts over from the new head when another writer wins the race, and merges with its entry', async () => {
    const posted = newPosted();
    const scope = nock(API);
    mockAttempt(scope, posted, { commit: HEAD, tree: TREE, text: lines(pathSafe) }, 422);
    // Meanwhile another writer committed its entry on top of HEAD.
    mockAttempt(scope, posted, { commit: OTHER_HEAD, tree: OTHER_TREE, text: lines(pathSafe, othersEntry) });

    const sleeps: number[] = [];
    const store = makeStore({
      branch: 'main',
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      retryDelayMs: (attempt) => attempt * 100,
    });
    const result = await store.append([sqlSafe]);

    expect(result).toEqual({ added: [sqlSafe], duplicates: [] });
    expect(sleeps).toEqual([100]);
    expect(decoded(posted.blobs[0])).toBe(lines(pathSafe, sqlSafe));
    const final = decoded(posted.blobs[1]);
    expect(final).toBe(lines(pathSafe, othersEntry, sqlSafe));
    expect(final.split(serializeEntry(othersEntry))).toHaveLength(2);
    expect(final.split(serializeEntry(sqlSafe))).toHaveLength(2);
    expect(posted.trees[1]).toMatchObject({ base_tree: OTHER_TREE });
    expect(posted.commits[1]).toMatchObject({ parents: [OTHER_HEAD] });
    expect(posted.refs).toEqual([
      { sha: NEW_COMMIT, force: false },
      { sha: NEW_COMMIT, force: false },
    ]);
  });

  it('returns without a commit when the writer that won added the same entry', async () => {
    const posted = newPosted();
    const scope = nock(API);
    mockAttempt(scope, posted, { commit: HEAD, tree: TREE, text: '' }, 422);
    scope
      .get(GET_REF)
      .reply(200, refTo(OTHER_HEAD))
      .get(`${REPO}/git/commits/${OTHER_HEAD}`)
      .reply(200, commitOf(OTHER_HEAD, OTHER_TREE))
      .get(CONTENTS)
      .query({ ref: OTHER_HEAD })
      .reply(200, contentsOf(lines(sqlSafe)));

    expect(await makeStore({ branch: 'main' }).append([sqlSafe])).toEqual({ added: [], duplicates: [sqlSafe] });
  });

  it('gives up with CorpusConflictError after maxAttempts lost races', async () => {
    const posted = newPosted();
    const scope = nock(API);
    for (let i = 0; i < 3; i += 1) mockAttempt(scope, posted, { commit: HEAD, tree: TREE, text: '' }, 422);

    const sleeps: number[] = [];
    const store = makeStore({
      branch: 'main',
      maxAttempts: 3,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
    const error = await store.append([sqlSafe]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CorpusConflictError);
    expect(error).toMatchObject({ repository: 'acme/.seccoder', branch: 'main', attempts: 3, githubMessage: 'Update is not a fast forward' });
    expect((error as Error).message).toMatch(/after 3 attempts/);
    expect(posted.refs).toHaveLength(3);
    // The default backoff: two waits, each short.
    expect(sleeps).toHaveLength(2);
    for (const ms of sleeps) expect(ms).toBeGreaterThan(0);
    for (const ms of sleeps) expect(ms).toBeLessThanOrEqual(2_000);
  });

  it('makes the first commit of an empty repository through the contents API', async () => {
    const puts: Json[] = [];
    nock(API)
      .get(REPO)
      .reply(200, fixture('repository.json'))
      .get(GET_REF)
      .reply(409, fixture('repository-empty.json'))
      .put(CONTENTS, capture(puts))
      .reply(201, fixture('put-contents.json'));

    const result = await makeStore().append([sqlSafe, { ...sqlSafe, id: 'again' }]);

    expect(result).toEqual({ added: [sqlSafe], duplicates: [{ ...sqlSafe, id: 'again' }] });
    expect(puts).toEqual([{ branch: 'main', message: 'seccoder: add 1 secure function (CWE-89)', content: Buffer.from(lines(sqlSafe)).toString('base64') }]);
  });

  it('starts over when another writer made the first commit of an empty repository first', async () => {
    const posted = newPosted();
    const scope = nock(API).get(GET_REF).reply(409, fixture('repository-empty.json')).put(CONTENTS).reply(422, {
      message: 'Invalid request.\n\n"sha" wasn\'t supplied.',
      documentation_url: 'https://docs.github.com/rest/repos/contents#create-or-update-file-contents',
      status: '422',
    });
    mockAttempt(scope, posted, { commit: HEAD, tree: TREE, text: lines(othersEntry) });

    expect((await makeStore({ branch: 'main' }).append([sqlSafe])).added).toEqual([sqlSafe]);
    expect(decoded(posted.blobs[0])).toBe(lines(othersEntry, sqlSafe));
  });

  it('names a configured branch that does not exist', async () => {
    nock(API).get(`${REPO}/git/ref/heads%2Fcorpus`).reply(404, fixture('ref-not-found.json')).get(REPO).reply(200, fixture('repository.json'));

    await expect(makeStore({ branch: 'corpus' }).append([sqlSafe])).rejects.toThrow(CorpusBranchNotFoundError);
  });

  it('says that appending needs contents: write when GitHub refuses the write', async () => {
    nock(API)
      .get(GET_REF)
      .reply(200, refTo(HEAD))
      .get(`${REPO}/git/commits/${HEAD}`)
      .reply(200, commitOf(HEAD, TREE))
      .get(CONTENTS)
      .query({ ref: HEAD })
      .reply(200, contentsOf(''))
      .post(`${REPO}/git/blobs`)
      .reply(403, fixture('not-accessible.json'));

    const error = await makeStore({ branch: 'main' })
      .append([sqlSafe])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CorpusRepoAccessError);
    expect((error as Error).message).toMatch(/Resource not accessible by integration.*contents: write/);
  });

  it('keeps file content and the token out of errors', async () => {
    const existing = lines(pathSafe);
    nock(API)
      .get(GET_REF)
      .reply(200, refTo(HEAD))
      .get(`${REPO}/git/commits/${HEAD}`)
      .reply(200, commitOf(HEAD, TREE))
      .get(CONTENTS)
      .query({ ref: HEAD })
      .reply(200, contentsOf(existing))
      .post(`${REPO}/git/blobs`)
      .reply(500, fixture('server-error.json'), { 'x-github-request-id': 'C0DE:1234:5678:9ABC:65E58E27' });

    const error = await makeStore({ branch: 'main' })
      .append([sqlSafe])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CorpusRepoRequestError);
    expect(error).toMatchObject({ status: 500, route: 'POST /repos/{owner}/{repo}/git/blobs', requestId: 'C0DE:1234:5678:9ABC:65E58E27' });
    const everything = `${String(error)} ${JSON.stringify(error)} ${String((error as Error).stack)}`;
    const content = Buffer.from(`${existing}${lines(sqlSafe)}`).toString('base64');
    expect(everything).not.toContain(content.slice(0, 40));
    expect(everything).not.toContain('find_user');
    expect(everything).not.toContain('test-token');
    expect((error as Error).cause).toBeUndefined();
  });
});

describe('defaultCommitMessage', () => {
  it('counts the functions and lists their CWEs once each', () => {
    expect(defaultCommitMessage([sqlSafe])).toBe('seccoder: add 1 secure function (CWE-89)');
    expect(defaultCommitMessage([sqlSafe, xssSafe, { ...sqlSafe, id: 'other' }])).toBe('seccoder: add 3 secure functions (CWE-89, CWE-79)');
    expect(defaultCommitMessage([makeEntry('x = 1')])).toBe('seccoder: add 1 secure function');
    const many = Array.from({ length: 8 }, (_, i) => makeEntry(`x = ${i}`, 'python', [`CWE-${i + 1}`]));
    expect(defaultCommitMessage(many)).toBe('seccoder: add 8 secure functions (CWE-1, CWE-2, CWE-3, CWE-4, CWE-5, 3 more)');
  });
});

describe('GitHubRepoCorpusStore options', () => {
  it('fails at construction on options it cannot use, with an example', () => {
    const octokit = new Octokit();
    expect(() => new GitHubRepoCorpusStore({ octokit, owner: '' })).toThrow(/needs an owner: e\.g\. new GitHubRepoCorpusStore/);
    expect(() => new GitHubRepoCorpusStore({ octokit, owner: 'acme', repo: 'acme/.seccoder' })).toThrow(/without its owner/);
    expect(() => new GitHubRepoCorpusStore({ octokit, owner: 'acme', path: '/corpus.jsonl' })).toThrow(/file path inside the repository/);
    expect(() => new GitHubRepoCorpusStore({ octokit, owner: 'acme', maxAttempts: 0 })).toThrow(/at least 1/);
  });
});

describe('GitHubRepoCorpusStore examples', () => {
  const EXAMPLES = `${REPO}/contents/corpus%2Fcwe-examples.jsonl`;
  const vulnerable: CweExample = {
    kind: 'vulnerable',
    language: 'python',
    cwe: ['CWE-89'],
    code: 'def f(db, n):\n    return db.execute("SELECT * FROM t WHERE n = \'" + n + "\'")',
    source: { repo: 'acme/shop' },
  };
  const fixLines: CweExample = { ...vulnerable, kind: 'fix-lines', code: '    return db.execute("SELECT * FROM t WHERE n = ?", (n,))' };

  it('appends labelled examples to corpus/cwe-examples.jsonl beside the corpus, leaving out those already there', async () => {
    const posted = newPosted();
    mockAttempt(nock(API), posted, { commit: HEAD, tree: TREE, text: `${serializeCweExample(vulnerable)}\n` }, 200, EXAMPLES);

    const added = await makeStore({ branch: 'main' }).appendExamples([vulnerable, fixLines]);

    expect(added).toEqual([fixLines]);
    expect(decoded(posted.blobs[0])).toBe(`${serializeCweExample(vulnerable)}\n${serializeCweExample(fixLines)}\n`);
    expect(posted.trees[0]).toMatchObject({ tree: [expect.objectContaining({ path: 'corpus/cwe-examples.jsonl' })] });
    expect(posted.commits[0]).toMatchObject({ message: 'seccoder: add 1 labelled example for the CWE classifier' });
  });

  it('reads them back, and none when the file is missing', async () => {
    nock(API)
      .get(EXAMPLES)
      .query({ ref: 'main' })
      .reply(200, contentsOf(`${serializeCweExample(fixLines)}\n`));
    expect(await makeStore({ branch: 'main' }).readExamples()).toEqual([fixLines]);
    nock(API).get(EXAMPLES).query({ ref: 'main' }).reply(404, fixture('not-found.json'));
    expect(await makeStore({ branch: 'main' }).readExamples()).toEqual([]);
  });
});
