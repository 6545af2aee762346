import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CorpusLockTimeoutError, CorpusNotFoundError } from '../../src/corpus/errors.js';
import { parseCorpusJsonl, serializeEntry } from '../../src/corpus/jsonl.js';
import { LocalCorpusStore } from '../../src/corpus/local-store.js';
import { withFileLock } from '../../src/corpus/file-lock.js';
import type { CweExample } from '../../src/corpus/cwe-examples.js';
import { makeEntry } from '../helpers/entries.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const APPEND_FOREVER = fileURLToPath(new URL('../fixtures/append-forever.mjs', import.meta.url));

describe('LocalCorpusStore', () => {
  it('appends, skips duplicates (also within a batch), and keeps order', async () => {
    const store = new LocalCorpusStore(tempDir());
    const a = makeEntry('def a():\n    return 1');
    const b = makeEntry('def b():\n    return 2');
    expect((await store.append([a])).added).toEqual([a]);
    const second = await store.append([b, a, { ...b, id: 'manual-copy' }]);
    expect(second.added.map((e) => e.id)).toEqual([b.id]);
    expect(second.duplicates).toHaveLength(2);
    expect((await store.read()).entries.map((e) => e.id)).toEqual([a.id, b.id]);
  });

  it('never drops lines it cannot validate when it rewrites the file', async () => {
    const dir = tempDir();
    const a = makeEntry('def a():\n    return 1');
    writeFileSync(join(dir, 'corpus.jsonl'), `${serializeEntry(a)}\n{broken line`);
    const store = new LocalCorpusStore(dir);
    await store.append([makeEntry('def b():\n    return 2')]);
    const text = readFileSync(join(dir, 'corpus.jsonl'), 'utf8');
    expect(text.split('\n')[1]).toBe('{broken line');
    const { entries, problems } = await store.read();
    expect(entries).toHaveLength(2);
    expect(problems).toEqual([expect.objectContaining({ line: 2 })]);
  });

  it('says where it looked when the corpus is missing', async () => {
    const missing = join(tempDir(), 'nope');
    await expect(new LocalCorpusStore(missing).read()).rejects.toBeInstanceOf(CorpusNotFoundError);
    await expect(new LocalCorpusStore(missing).append([makeEntry('x = 1')])).rejects.toThrow(/corpus not found at .*nope/);
  });

  it('lets concurrent processes append without losing or interleaving entries', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'corpus.jsonl'), '');
    const writers = 8;
    const files = Array.from({ length: writers }, (_, i) => {
      const file = join(dir, `fn${i}.py`);
      writeFileSync(file, `def handler_${i}(value):\n    return escape(value) + "${'x'.repeat(i * 50)}"\n`);
      return file;
    });
    const results = await Promise.all(files.map((file) => runCli(['corpus', 'add', file, '--corpus', dir, '--cwe', 'CWE-79'])));
    for (const result of results) expect(result.stderr).toBe('');
    expect(results.map((result) => result.code)).toEqual(Array(writers).fill(0));
    const text = readFileSync(join(dir, 'corpus.jsonl'), 'utf8');
    const { entries, problems } = parseCorpusJsonl(text, 'corpus.jsonl');
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(writers);
    expect(new Set(entries.map((entry) => entry.source.path))).toEqual(new Set(files));
    expect(existsSync(join(dir, 'corpus.jsonl.lock'))).toBe(false);
  });

  it('survives a writer killed mid-append: the corpus stays complete and the next writer takes the lock', async () => {
    const dir = tempDir();
    // A realistic size (the seed corpus) so each append spends real time writing.
    copyFileSync(join(ROOT, 'corpus', 'corpus.jsonl'), join(dir, 'corpus.jsonl'));
    const before = parseCorpusJsonl(readFileSync(join(dir, 'corpus.jsonl'), 'utf8'), 'before').entries.length;
    let completedAtLeast = 0;
    // The first writer runs long enough to append; the later ones may find the killed one's lock and
    // wait on its lease until they are killed too.
    for (const delay of [1200, 400, 150]) {
      const child = spawn(process.execPath, [APPEND_FOREVER, dir, `k${delay}`], { stdio: ['ignore', 'pipe', 'inherit'] });
      let completed = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        completed = Number(chunk.toString().trim().split('\n').at(-1));
      });
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.on('close', resolve));
      completedAtLeast += completed;
      const { entries, problems } = parseCorpusJsonl(readFileSync(join(dir, 'corpus.jsonl'), 'utf8'), 'after');
      expect(problems).toEqual([]);
      // Every reported append is there; at most one more (committed just before the kill).
      expect(entries.length).toBeGreaterThanOrEqual(before + completedAtLeast);
      expect(entries.length).toBeLessThanOrEqual(before + completedAtLeast + 3);
      completedAtLeast = entries.length - before;
    }
    expect(completedAtLeast).toBeGreaterThan(0);
    // A killed writer may leave its lock and temp files; a new writer must still get through, once
    // the dead writer's lease (10 s unrefreshed) has run out.
    const store = new LocalCorpusStore(dir, { timeoutMs: 20_000 });
    const extra = makeEntry('def after_crash():\n    return 0');
    expect((await store.append([extra])).added).toHaveLength(1);
    expect((await store.read()).entries.at(-1)?.id).toBe(extra.id);
    expect(readdirSync(dir).filter((name) => name.includes('stale') || name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('LocalCorpusStore examples', () => {
  const vulnerable: CweExample = {
    kind: 'vulnerable',
    language: 'c',
    cwe: ['CWE-416'],
    code: 'void f(char *p) {\n    free(p);\n    puts(p);\n}',
    source: { path: 'src/f.c' },
  };
  const prefix: CweExample = { ...vulnerable, kind: 'prefix', code: 'void f(char *p) {\n    free(p);\n    log_it();' };

  it('appends labelled examples beside the corpus, leaving out those already there, and reads them back', async () => {
    const dir = tempDir();
    const store = new LocalCorpusStore(dir);
    expect(await store.readExamples()).toEqual([]);
    expect(await store.appendExamples([vulnerable])).toEqual([vulnerable]);
    expect(await store.appendExamples([{ ...vulnerable, source: {} }, prefix, prefix])).toEqual([prefix]);
    expect(await store.readExamples()).toEqual([vulnerable, prefix]);
    expect(readFileSync(join(dir, 'cwe-examples.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('refuses a damaged examples file with its line number, and changes nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cwe-examples.jsonl'), '{"kind": "vulnerable"}\n');
    await expect(new LocalCorpusStore(dir).appendExamples([vulnerable])).rejects.toThrow(/cwe-examples\.jsonl:1: not a CWE example/);
    expect(readFileSync(join(dir, 'cwe-examples.jsonl'), 'utf8')).toBe('{"kind": "vulnerable"}\n');
  });
});

describe('withFileLock', () => {
  it('waits for a live holder and times out with a message naming the lock and who holds it', async () => {
    const lock = join(tempDir(), 'x.lock');
    let releaseHolder!: () => void;
    const held = new Promise<void>((resolve) => (releaseHolder = resolve));
    const holder = withFileLock(lock, () => held);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const error = await withFileLock(lock, async () => 'never', { timeoutMs: 100 }).catch((e: unknown) => e);
    releaseHolder();
    await holder;
    expect(error).toBeInstanceOf(CorpusLockTimeoutError);
    expect((error as Error).message).toContain(lock);
    expect((error as CorpusLockTimeoutError).hint).toBe(
      `process ${process.pid} on ${hostname()} holds it; a lock its holder stops refreshing is taken over after 10 s, so try again`,
    );
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock nobody refreshes (its writer was killed), whatever it holds, but not a fresh one', async () => {
    const dir = tempDir();
    const lock = join(dir, 'x.lock');
    // A killed writer's lock: the directory, not touched for a minute.
    mkdirSync(lock);
    const aMinuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, aMinuteAgo, aMinuteAgo);
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 1000 })).toBe('ran');
    expect(existsSync(lock)).toBe(false);
    // The old format: an empty lock file (killed between create and write), or one naming a reused PID.
    for (const content of ['', `${process.pid}\n${hostname()}\n`]) {
      writeFileSync(lock, content);
      utimesSync(lock, aMinuteAgo, aMinuteAgo);
      expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 1000 })).toBe('ran');
      expect(existsSync(lock)).toBe(false);
    }
    // A fresh one is a live writer's: waited for.
    mkdirSync(lock);
    await expect(withFileLock(lock, async () => 'never', { timeoutMs: 200 })).rejects.toBeInstanceOf(CorpusLockTimeoutError);
  });

  it('serializes critical sections in one process too', async () => {
    const lock = join(tempDir(), 'x.lock');
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        withFileLock(lock, async () => {
          inside += 1;
          maxInside = Math.max(maxInside, inside);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inside -= 1;
        }),
      ),
    );
    expect(maxInside).toBe(1);
  });
});
