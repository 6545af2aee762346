// The corpus a repository's config names, opened for real: local folders below the App's corpus
// root, and an org-repository corpus (GitHub mocked with nock) mirrored into the cache and indexed.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, describe, expect, it } from 'vitest';
import { serializeEntry } from '../../src/corpus/jsonl.js';
import { serializeCweExample } from '../../src/corpus/cwe-examples.js';
import { LocalCorpusStore } from '../../src/corpus/local-store.js';
import { createCorpusProvider } from '../../src/github/corpus-provider.js';
import { createOctokit } from '../../src/github/octokit.js';
import { appendEntries, snippetEntries, tempDirs } from '../fixtures/retrieval-corpus.js';
import { SNIPPETS } from '../fixtures/secure-snippets.js';
import { useHttpMocks } from '../helpers/http-mocks.js';

useHttpMocks();
const temp = tempDirs('seccoder-provider-');
afterAll(() => temp.cleanup());

const API = 'https://api.github.com';
const octokit = createOctokit({ auth: 'ghs_test', retry: false, throttle: false });
const noOctokit = undefined as never;

const sqlQuery = { code: 'def find(db, email):\n    return db.execute("SELECT id FROM users WHERE email = \'" + email + "\'")\n', language: 'python' as const };

describe('local corpora', () => {
  it('a folder named by the config is below the root, with its own entries and index', async () => {
    const root = temp.make();
    const all = await snippetEntries(SNIPPETS);
    await appendEntries(root, all);
    const teamDir = join(root, 'team-a');
    await mkdir(teamDir);
    await appendEntries(teamDir, all.slice(0, 5));
    const provider = createCorpusProvider({ root });

    const team = provider.corpusFor({ store: 'local', folder: 'team-a' }, noOctokit);
    expect(team.store.location).toBe(join(teamDir, 'corpus.jsonl'));
    expect((await team.retrieval()).corpusSize).toBe(5);
    expect((await provider.corpusFor({ store: 'local' }, noOctokit).retrieval()).corpusSize).toBe(all.length);
  });

  it('keeps the opened index until the corpus changes, then extends it with what was appended', async () => {
    const root = temp.make();
    const all = await snippetEntries(SNIPPETS);
    await appendEntries(root, all.slice(0, -1));
    const corpus = createCorpusProvider({ root }).corpusFor({ store: 'local' }, noOctokit);

    const first = await corpus.retrieval();
    expect(await corpus.retrieval()).toBe(first);

    await new LocalCorpusStore(root).append(all.slice(-1));
    const grown = await corpus.retrieval();
    expect(grown).not.toBe(first);
    expect(grown.corpusSize).toBe(all.length);
    const manifest = JSON.parse(await readFile(join(root, '.index', 'default', 'manifest.json'), 'utf8')) as { entryIds: string[] };
    expect(manifest.entryIds).toEqual(all.map((entry) => entry.id));
    const [top] = await grown.retriever.retrieve({ ...sqlQuery, k: 1 });
    expect(top?.entry.cwe).toEqual(['CWE-89']);
  });
});

describe('a corpus whose index cannot be saved', () => {
  it('still retrieves, and says why the index is not saved (a file where .index should be)', async () => {
    const root = temp.make();
    await appendEntries(root, await snippetEntries(SNIPPETS));
    await writeFile(join(root, '.index'), 'not a folder');
    const retrieval = await createCorpusProvider({ root }).corpusFor({ store: 'local' }, noOctokit).retrieval();
    expect(retrieval.notSaved).toBe(`${join(root, '.index')} is a file, not a folder`);
    expect(await readFile(join(root, '.index'), 'utf8')).toBe('not a folder');
    const [top] = await retrieval.retriever.retrieve({ ...sqlQuery, k: 1 });
    expect(top?.entry.cwe).toEqual(['CWE-89']);
  });
});

describe('a corpus that is missing or empty', () => {
  it('a folder without corpus.jsonl is CorpusNotFoundError naming the file', async () => {
    const root = temp.make();
    const corpus = createCorpusProvider({ root }).corpusFor({ store: 'local', folder: 'team-b' }, noOctokit);
    await expect(corpus.retrieval()).rejects.toMatchObject({ name: 'CorpusNotFoundError', path: join(root, 'team-b', 'corpus.jsonl') });
  });
});

describe('an org-repository corpus', () => {
  /** The default branch is looked up once per store. */
  function mockDefaultBranch(): void {
    nock(API).get('/repos/acme/.seccoder').reply(200, { name: '.seccoder', full_name: 'acme/.seccoder', default_branch: 'main' });
  }

  /** The corpus branch's head commit, asked before each use. */
  function mockHead(sha = '4f9d404e86af0583e133595974e9ab303ebf62ea'): void {
    nock(API)
      .get('/repos/acme/.seccoder/git/ref/heads%2Fmain')
      .reply(200, { ref: 'refs/heads/main', object: { sha, type: 'commit' } });
  }

  /** The audit trail and the feedback log beside the corpus, none yet. */
  function mockNoSideLogs(): void {
    for (const name of ['audit', 'feedback']) {
      nock(API).get(`/repos/acme/.seccoder/contents/corpus%2F${name}.jsonl`).query({ ref: 'main' }).reply(404, { message: 'Not Found' });
    }
  }

  function mockRepositoryCorpus(text: string, examples?: string): void {
    mockNoSideLogs();
    const examplesFile = nock(API).get('/repos/acme/.seccoder/contents/corpus%2Fcwe-examples.jsonl').query({ ref: 'main' });
    if (examples === undefined) examplesFile.reply(404, { message: 'Not Found' });
    else
      examplesFile.reply(200, {
        type: 'file',
        encoding: 'base64',
        size: Buffer.byteLength(examples),
        path: 'corpus/cwe-examples.jsonl',
        sha: '5d21ec53a331a6f037a91c368710b99387d012c1',
        content: Buffer.from(examples).toString('base64'),
      });
    nock(API)
      .get('/repos/acme/.seccoder/contents/corpus%2Fcorpus.jsonl')
      .query({ ref: 'main' })
      .reply(200, {
        type: 'file',
        encoding: 'base64',
        size: Buffer.byteLength(text),
        path: 'corpus/corpus.jsonl',
        sha: '3d21ec53a331a6f037a91c368710b99387d012c1',
        content: Buffer.from(text).toString('base64'),
      });
  }

  it('is read through the API, mirrored into the cache and indexed there; an unchanged corpus keeps its index', async () => {
    const root = temp.make();
    const cacheDir = temp.make();
    const entries = await snippetEntries(SNIPPETS);
    const text = entries.map((entry) => `${serializeEntry(entry)}\n`).join('');
    const provider = createCorpusProvider({ root, cacheDir });
    const corpus = provider.corpusFor({ store: 'repository', owner: 'acme', repo: '.seccoder' }, octokit);
    expect(corpus.store.location).toBe('https://github.com/acme/.seccoder/blob/HEAD/corpus/corpus.jsonl');

    const examples = `${serializeCweExample({ kind: 'vulnerable', language: 'python', cwe: ['CWE-89'], code: sqlQuery.code, source: { repo: 'acme/shop' } })}\n`;
    mockDefaultBranch();
    mockHead();
    mockRepositoryCorpus(text, examples);
    const first = await corpus.retrieval();
    expect(first.corpusSize).toBe(entries.length);
    expect(await readFile(join(cacheDir, 'acme', '.seccoder', 'corpus.jsonl'), 'utf8')).toBe(text);
    expect(await readFile(join(cacheDir, 'acme', '.seccoder', 'cwe-examples.jsonl'), 'utf8')).toBe(examples);
    const [top] = await first.retriever.retrieve({ ...sqlQuery, k: 1 });
    expect(top?.entry.cwe).toEqual(['CWE-89']);

    // The branch has not moved: nothing is downloaded again.
    mockHead();
    expect(await corpus.retrieval()).toBe(first);
  });

  it('is downloaded again once its branch has moved, and the index follows', async () => {
    const entries = await snippetEntries(SNIPPETS);
    const lines = (list: typeof entries) => list.map((entry) => `${serializeEntry(entry)}\n`).join('');
    const corpus = createCorpusProvider({ root: temp.make(), cacheDir: temp.make() }).corpusFor(
      { store: 'repository', owner: 'acme', repo: '.seccoder' },
      octokit,
    );
    mockDefaultBranch();
    mockHead('4f9d404e86af0583e133595974e9ab303ebf62ea');
    mockRepositoryCorpus(lines(entries.slice(0, -1)));
    expect((await corpus.retrieval()).corpusSize).toBe(entries.length - 1);

    mockHead('9b0d3c5e2f7a41d8b6c1e0f2a3d4b5c6e7f80912');
    mockRepositoryCorpus(lines(entries));
    expect((await corpus.retrieval()).corpusSize).toBe(entries.length);
  });

  it('that has no file yet gives no demonstrations (reviews still run) rather than failing', async () => {
    const corpus = createCorpusProvider({ root: temp.make(), cacheDir: temp.make() }).corpusFor(
      { store: 'repository', owner: 'acme', repo: '.seccoder' },
      octokit,
    );
    mockDefaultBranch();
    mockHead();
    nock(API).get('/repos/acme/.seccoder/contents/corpus%2Fcorpus.jsonl').query({ ref: 'main' }).reply(404, { message: 'Not Found' });
    nock(API).get('/repos/acme/.seccoder/contents/corpus%2Fcwe-examples.jsonl').query({ ref: 'main' }).reply(404, { message: 'Not Found' });
    mockNoSideLogs();
    const retrieval = await corpus.retrieval();
    expect(retrieval.corpusSize).toBe(0);
    expect(await retrieval.retriever.retrieve({ ...sqlQuery, k: 3 })).toEqual([]);
  });
});
