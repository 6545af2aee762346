// The logs beside the corpus (audit.jsonl, feedback.jsonl) get the corpus's guarantees from both
// stores: appends from many processes are neither lost nor interleaved, a writer killed mid-write
// leaves the previous log whole, and the merge runs on the log as it is at the moment of writing
// (so "check, then append" is one step). The repository store is driven through nock with the
// shapes GitHub answers with.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/rest';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { appendAudit, parseAudit, readAudit, serializeAuditRecord, type AuditRecord } from '../../src/corpus/audit.js';
import { CorpusNotFoundError } from '../../src/corpus/errors.js';
import { serializeEntry } from '../../src/corpus/jsonl.js';
import { LocalCorpusStore } from '../../src/corpus/local-store.js';
import { GitHubRepoCorpusStore } from '../../src/corpus/repo-store.js';
import { RetirementError, retireEntry } from '../../src/corpus/retirement.js';
import { makeEntry } from '../helpers/entries.js';
import { useHttpMocks } from '../helpers/http-mocks.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
useHttpMocks();

const APPEND_AUDIT = fileURLToPath(new URL('../fixtures/append-audit.mjs', import.meta.url));

function record(reason: string, at = '2026-05-01T10:00:00.000Z'): AuditRecord {
  return { at, action: 'refused', actor: 'cli:test', via: { kind: 'command', command: 'seccoder corpus add x.py' }, reason };
}

const line = (r: AuditRecord) => `${serializeAuditRecord(r)}\n`;

/** Runs the append-audit helper to completion; its exit code and output. */
function runWriter(dir: string, tag: string, count: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [APPEND_AUDIT, dir, tag, String(count)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** `seq <n> <tag> <i>` of each record the helper wrote. */
function sequence(text: string): { seq: number; tag: string; i: number }[] {
  const { records, problems } = parseAudit(text, 'audit.jsonl');
  expect(problems).toEqual([]);
  return records
    .filter((r) => r.reason?.startsWith('seq '))
    .map((r) => {
      const [, seq, tag, i] = (r.reason ?? '').split(' ');
      return { seq: Number(seq), tag: tag ?? '', i: Number(i) };
    });
}

describe('LocalCorpusStore side logs', () => {
  it('reads a log that does not exist yet as empty text, and writes nothing when the merge decides nothing', async () => {
    const dir = tempDir();
    const store = new LocalCorpusStore(dir);
    expect(await store.readLog('audit')).toBe('');
    expect(await store.readLog('feedback')).toBe('');
    expect(store.logLocation('audit')).toBe(join(dir, 'audit.jsonl'));
    let seen: string | undefined;
    await store.updateLog('audit', (text) => {
      seen = text;
      return [];
    });
    expect(seen).toBe('');
    expect(existsSync(join(dir, 'audit.jsonl'))).toBe(false);
  });

  it('appends after the existing bytes verbatim: a damaged line and a missing final newline survive', async () => {
    const dir = tempDir();
    const first = serializeAuditRecord(record('first'));
    writeFileSync(join(dir, 'audit.jsonl'), `${first}\n{damaged`);
    const store = new LocalCorpusStore(dir);
    await appendAudit(store, () => [record('second')]);
    expect(readFileSync(join(dir, 'audit.jsonl'), 'utf8')).toBe(`${first}\n{damaged\n${serializeAuditRecord(record('second'))}\n`);
    const { records, problems } = await readAudit(store);
    expect(records.map((r) => r.reason)).toEqual(['first', 'second']);
    expect(problems).toEqual([expect.objectContaining({ file: join(dir, 'audit.jsonl'), line: 2 })]);
  });

  it('keeps each log apart: the audit trail, the feedback log and the corpus are separate files', async () => {
    const dir = tempDir();
    const store = new LocalCorpusStore(dir);
    await store.append([makeEntry('def a():\n    return 1')]);
    await store.updateLog('feedback', () => ['{"feedback":1}']);
    await store.updateLog('audit', () => ['{"audit":1}']);
    expect(await store.readLog('feedback')).toBe('{"feedback":1}\n');
    expect(await store.readLog('audit')).toBe('{"audit":1}\n');
    expect((await store.read()).entries).toHaveLength(1);
  });

  it('says the corpus is missing instead of creating a log in a folder that is not there', async () => {
    const missing = join(tempDir(), 'nope');
    await expect(new LocalCorpusStore(missing).updateLog('audit', () => ['{}'])).rejects.toBeInstanceOf(CorpusNotFoundError);
    expect(existsSync(missing)).toBe(false);
  });

  it('runs the merge on the current text under the lock: of many concurrent check-and-appends, exactly one writes', async () => {
    const dir = tempDir();
    const store = new LocalCorpusStore(dir);
    const written = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        appendAudit(store, (current) =>
          current.some((r) => r.reason === 'once') ? [] : [record('once', `2026-05-01T10:00:${String(i).padStart(2, '0')}.000Z`)],
        ),
      ),
    );
    expect(written.filter((records) => records.length > 0)).toHaveLength(1);
    expect((await readAudit(store)).records.filter((r) => r.reason === 'once')).toHaveLength(1);
  });

  it('lets concurrent processes append without losing, repeating or interleaving a record', async () => {
    const dir = tempDir();
    const writers = 5;
    const each = 6;
    const results = await Promise.all(Array.from({ length: writers }, (_, w) => runWriter(dir, `w${w}`, each)));
    for (const result of results) expect(result).toEqual({ code: 0, stderr: '' });

    const seen = sequence(readFileSync(join(dir, 'audit.jsonl'), 'utf8'));
    expect(seen).toHaveLength(writers * each);
    // Each merge saw every record written before it: the counts run 0, 1, 2, … in file order.
    expect(seen.map((s) => s.seq)).toEqual(Array.from({ length: writers * each }, (_, n) => n));
    // Each writer's records are all there, in the order it wrote them.
    for (let w = 0; w < writers; w += 1) {
      expect(seen.filter((s) => s.tag === `w${w}`).map((s) => s.i)).toEqual(Array.from({ length: each }, (_, i) => i));
    }
    expect(readdirSync(dir).filter((name) => name.includes('.lock') || name.endsWith('.tmp'))).toEqual([]);
  });

  it('survives writers killed mid-write: the log stays whole, and the next writer takes the lock over and cleans up', async () => {
    const dir = tempDir();
    // A realistic trail (a few MB) so each append spends real time rewriting it.
    const filler = 'y'.repeat(1500);
    const history = Array.from({ length: 3000 }, (_, i) => `history ${i} ${filler}`);
    writeFileSync(join(dir, 'audit.jsonl'), history.map((reason) => line(record(reason))).join(''));
    const isTemp = (name: string) => name.startsWith('.audit.jsonl.') && name.endsWith('.tmp');
    let completedAtLeast = 0;
    let killedMidWrite = 0;
    for (let round = 0; round < 3; round += 1) {
      // A 2 s lease: each writer takes over the lock its killed predecessor left.
      const child = spawn(process.execPath, [APPEND_AUDIT, dir, `k${round}`, 'forever', '3000', '2000'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let completed = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        completed = Number(chunk.toString().trim().split('\n').at(-1));
      });
      const closed = new Promise((resolve) => child.on('close', resolve));
      // Once it is appending in a loop, kill it the moment its next temp file appears: between
      // creating the temp file and renaming it over the log, i.e. in the middle of a write.
      const started = Date.now();
      while (completed === 0 && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(completed, `writer ${round} appended`).toBeGreaterThan(0);
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline && !readdirSync(dir).some(isTemp));
      child.kill('SIGKILL');
      await closed;
      if (readdirSync(dir).some(isTemp)) killedMidWrite += 1;
      completedAtLeast += completed;

      const text = readFileSync(join(dir, 'audit.jsonl'), 'utf8');
      // Whole records only: every line parses, the history is intact, nothing half-written.
      expect(text.endsWith('\n')).toBe(true);
      const { records, problems } = parseAudit(text, 'audit.jsonl');
      expect(problems).toEqual([]);
      expect(records.slice(0, history.length).map((r) => r.reason)).toEqual(history);
      const appended = sequence(text);
      expect(appended.map((s) => s.seq)).toEqual(Array.from({ length: appended.length }, (_, n) => history.length + n));
      // Every reported append is there; at most one more (renamed just before the kill).
      expect(appended.length).toBeGreaterThanOrEqual(completedAtLeast);
      expect(appended.length).toBeLessThanOrEqual(completedAtLeast + 1);
      completedAtLeast = appended.length;
    }
    // The kills did land mid-write (a temp file left behind), so the recovery below is exercised.
    expect(killedMidWrite).toBeGreaterThan(0);
    const store = new LocalCorpusStore(dir, { staleMs: 2_000, timeoutMs: 20_000 });
    await appendAudit(store, () => [record('after the crash')]);
    expect((await readAudit(store)).records.at(-1)?.reason).toBe('after the crash');
    expect(readdirSync(dir).filter((name) => isTemp(name) || name.includes('.lock'))).toEqual([]);
  }, 90_000);
});

// --- The repository store, through GitHub's REST API (nock). ---

type Json = Record<string, unknown>;
const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`../fixtures/corpus/github/${name}`, import.meta.url), 'utf8')) as Json;

const API = 'https://api.github.com';
const REPO = '/repos/acme/.seccoder';
// Octokit percent-encodes the slashes of `{path}` and `{ref}`.
const AUDIT_CONTENTS = `${REPO}/contents/corpus%2Faudit.jsonl`;
const CORPUS_CONTENTS = `${REPO}/contents/corpus%2Fcorpus.jsonl`;
const GET_REF = `${REPO}/git/ref/heads%2Fmain`;
const PATCH_REF = `${REPO}/git/refs/heads%2Fmain`;
// From the fixtures: the head, its tree, and what POST blob/tree/commit answer with.
const HEAD = '4f9d404e86af0583e133595974e9ab303ebf62ea';
const TREE = 'b76413db849222e7019ede095731db218ded51b8';
const NEW_BLOB = '0285b67fbb5fa74fc32655e693c2aad48c8d5389';
const NEW_TREE = 'e7532a15240f649bf4e5afda8e4aa4efd5a2ea25';
const NEW_COMMIT = 'f3a04934ced030e6437917f3c80816f85b544d69';
const OTHER_HEAD = '9b0d3c5e2f7a41d8b6c1e0f2a3d4b5c6e7f80912';
const OTHER_TREE = '5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d';

const gitBlobSha = (bytes: Buffer) => createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');

/** GET contents of a file of the corpus folder, as GitHub answers it (base64 wrapped at 60). */
function contentsOf(path: string, text: string): Json {
  const bytes = Buffer.from(text, 'utf8');
  const sha = gitBlobSha(bytes);
  const name = path.slice(path.lastIndexOf('/') + 1);
  return {
    ...fixture('contents-file.json'),
    name,
    path,
    content: bytes.toString('base64').replace(/.{1,60}/g, '$&\n'),
    size: bytes.length,
    sha,
    url: `${API}${REPO}/contents/${path}?ref=main`,
    git_url: `${API}${REPO}/git/blobs/${sha}`,
    html_url: `https://github.com/acme/.seccoder/blob/main/${path}`,
  };
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

function makeStore(): GitHubRepoCorpusStore {
  const octokit = new Octokit({
    auth: 'test-token',
    userAgent: 'seccoder-test',
    request: { retries: 0 },
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
  return new GitHubRepoCorpusStore({ octokit, owner: 'acme', branch: 'main', sleep: () => Promise.resolve() });
}

interface Posted {
  blobs: Json[];
  trees: Json[];
  commits: Json[];
  refs: Json[];
}
const newPosted = (): Posted => ({ blobs: [], trees: [], commits: [], refs: [] });
const capture = (list: Json[]) => (body: Json) => {
  list.push(body);
  return true;
};
const decoded = (blob: Json | undefined) => Buffer.from(String(blob?.content), 'base64').toString('utf8');

/** The reads of one attempt from `head`, whose audit trail is `text` (undefined: no trail yet). */
function mockReads(scope: nock.Scope, head: { commit: string; tree: string; text: string | undefined }): void {
  scope.get(GET_REF).reply(200, refTo(head.commit));
  scope.get(`${REPO}/git/commits/${head.commit}`).reply(200, commitOf(head.commit, head.tree));
  const contents = scope.get(AUDIT_CONTENTS).query({ ref: head.commit });
  if (head.text === undefined) contents.reply(404, fixture('not-found.json'));
  else contents.reply(200, contentsOf('corpus/audit.jsonl', head.text));
}

/** The writes of one attempt; the branch moves (200) or another writer moved it first (422). */
function mockWrites(scope: nock.Scope, posted: Posted, refStatus: 200 | 422): void {
  scope.post(`${REPO}/git/blobs`, capture(posted.blobs)).reply(201, fixture('created-blob.json'));
  scope.post(`${REPO}/git/trees`, capture(posted.trees)).reply(201, fixture('created-tree.json'));
  scope.post(`${REPO}/git/commits`, capture(posted.commits)).reply(201, fixture('created-commit.json'));
  if (refStatus === 200) scope.patch(PATCH_REF, capture(posted.refs)).reply(200, fixture('updated-ref.json'));
  else scope.patch(PATCH_REF, capture(posted.refs)).reply(422, fixture('not-fast-forward.json'));
}

describe('GitHubRepoCorpusStore side logs', () => {
  it('reads the trail beside the corpus file, and a missing one as empty', async () => {
    nock(API)
      .get(AUDIT_CONTENTS)
      .query({ ref: 'main' })
      .reply(200, contentsOf('corpus/audit.jsonl', line(record('first'))))
      .get(`${REPO}/contents/corpus%2Ffeedback.jsonl`)
      .query({ ref: 'main' })
      .reply(404, fixture('not-found.json'));
    const store = makeStore();
    expect(store.logLocation('audit')).toBe('https://github.com/acme/.seccoder/blob/main/corpus/audit.jsonl');
    expect((await readAudit(store)).records.map((r) => r.reason)).toEqual(['first']);
    expect(await store.readLog('feedback')).toBe('');
  });

  it('commits the trail beside the corpus file (corpus/audit.jsonl), its old bytes verbatim plus the new record', async () => {
    const existing = `${serializeAuditRecord(record('first'))}\n{damaged`;
    const posted = newPosted();
    const scope = nock(API);
    mockReads(scope, { commit: HEAD, tree: TREE, text: existing });
    mockWrites(scope, posted, 200);

    const written = await appendAudit(makeStore(), (current) => {
      expect(current.map((r) => r.reason)).toEqual(['first']);
      return [record('second')];
    });

    expect(written.map((r) => r.reason)).toEqual(['second']);
    expect(decoded(posted.blobs[0])).toBe(`${existing}\n${line(record('second'))}`);
    expect(posted.trees).toEqual([{ base_tree: TREE, tree: [{ path: 'corpus/audit.jsonl', mode: '100644', type: 'blob', sha: NEW_BLOB }] }]);
    expect(posted.commits).toEqual([{ message: 'seccoder: audit: 1 record', tree: NEW_TREE, parents: [HEAD] }]);
    expect(posted.refs).toEqual([{ sha: NEW_COMMIT, force: false }]);
  });

  it('on a 422 from the ref update, reads the trail again and merges on top of the other writer', async () => {
    const posted = newPosted();
    const scope = nock(API);
    mockReads(scope, { commit: HEAD, tree: TREE, text: undefined });
    mockWrites(scope, posted, 422);
    // Meanwhile another instance committed its record.
    mockReads(scope, { commit: OTHER_HEAD, tree: OTHER_TREE, text: line(record('theirs')) });
    mockWrites(scope, posted, 200);

    const seen: string[][] = [];
    await appendAudit(makeStore(), (current) => {
      seen.push(current.map((r) => r.reason ?? ''));
      return [record(`mine after ${current.length}`)];
    });

    // The merge ran once per attempt, each time on the trail as it then was.
    expect(seen).toEqual([[], ['theirs']]);
    expect(decoded(posted.blobs[0])).toBe(line(record('mine after 0')));
    expect(decoded(posted.blobs[1])).toBe(`${line(record('theirs'))}${line(record('mine after 1'))}`);
    expect(posted.trees[1]).toMatchObject({ base_tree: OTHER_TREE });
    expect(posted.commits[1]).toMatchObject({ parents: [OTHER_HEAD] });
  });

  it('two instances retiring one entry at once write one record: the loser is told, and commits nothing more', async () => {
    const entry = makeEntry('def find(cur, name):\n    return cur.execute("SELECT 1 WHERE n = ?", (name,))', 'python', ['CWE-89']);
    const theirs: AuditRecord = {
      at: '2026-05-01T09:59:00.000Z',
      action: 'retired',
      actor: 'octo-admin',
      via: { kind: 'page' },
      entryId: entry.id,
      sha256: entry.sha256,
      language: 'python',
      cwe: ['CWE-89'],
      reason: 'dismissed in 9 of 10 suggestions',
    };
    const posted = newPosted();
    const scope = nock(API)
      .get(CORPUS_CONTENTS)
      .query({ ref: 'main' })
      .reply(200, contentsOf('corpus/corpus.jsonl', `${serializeEntry(entry)}\n`));
    mockReads(scope, { commit: HEAD, tree: TREE, text: '' });
    mockWrites(scope, posted, 422);
    // The other instance's retirement won the race; the second attempt finds it and writes nothing.
    mockReads(scope, { commit: OTHER_HEAD, tree: OTHER_TREE, text: line(theirs) });

    const error = await retireEntry(makeStore(), { id: entry.id, actor: 'octo-lead', via: { kind: 'page' }, reason: 'teaches string formatting' }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(RetirementError);
    expect((error as Error).message).toBe(
      `${entry.id} is already retired (retired by octo-admin at 2026-05-01T09:59:00.000Z: dismissed in 9 of 10 suggestions)`,
    );
    expect(posted.blobs).toHaveLength(1);
    expect(posted.refs).toHaveLength(1);
  });
});
