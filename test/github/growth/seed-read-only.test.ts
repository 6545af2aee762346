// The App with no corpus of the operator's runs on the seed bundled with SecCoder: it reads it and
// never writes it. A merged fix is not added (growth says why), the page offers no retire even to
// an owner, and a write that gets through anyway is refused with the seed error. GitHub mocked
// with nock; the real corpus provider over the real bundled corpus folder.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundledCorpusDir } from '../../../src/corpus/location.js';
import { SeedCorpusWriteError } from '../../../src/corpus/errors.js';
import { createCorpusProvider, SEED_READ_ONLY } from '../../../src/github/corpus-provider.js';
import { readIndexManifest } from '../../../src/retrieve/index-manifest.js';
import { VIEWS_PULL } from '../../fixtures/github/merge-events.js';
import { makeEntry } from '../../helpers/entries.js';
import { useHttpMocks } from '../../helpers/http-mocks.js';
import { deliver, growth, mergeEvent, mockPeople, testOctokit } from './growth-harness.js';

useHttpMocks();

/** Every file directly in the bundled corpus folder, with a hash of its bytes. */
function seedFiles(): Record<string, string> {
  const dir = bundledCorpusDir();
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => statSync(join(dir, name)).isFile())
      .map((name) => [
        name,
        createHash('sha256')
          .update(readFileSync(join(dir, name)))
          .digest('hex'),
      ]),
  );
}

describe('the bundled seed corpus in the App', () => {
  let cache: string;
  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), 'seed-cache-test-'));
    process.env.SECCODER_CACHE_DIR = cache;
  });
  afterEach(() => {
    delete process.env.SECCODER_CACHE_DIR;
    rmSync(cache, { recursive: true, force: true });
  });

  it("is indexed in SecCoder's cache folder, not in the package", async () => {
    const packageIndex = join(bundledCorpusDir(), '.index', 'default', 'manifest.json');
    const packageIndexBefore = existsSync(packageIndex) ? statSync(packageIndex).mtimeMs : undefined;
    const seed = createCorpusProvider({ root: bundledCorpusDir() }).corpusFor({ store: 'local' }, testOctokit());
    const retrieval = await seed.retrieval();
    expect(retrieval.corpusSize).toBeGreaterThan(100);
    const manifest = await readIndexManifest(join(cache, 'seed-index', 'default'));
    expect(manifest?.entryIds.length).toBe(retrieval.corpusSize);
    expect(existsSync(packageIndex) ? statSync(packageIndex).mtimeMs : undefined).toBe(packageIndexBefore);
    const [top] = await retrieval.retriever.retrieve({
      code: 'def find(db, name):\n    return db.execute("SELECT * FROM t WHERE n = \'%s\'" % name)',
      language: 'python',
      k: 1,
    });
    expect(top?.entry.cwe).toContain('CWE-89');
  }, 180_000);

  it('is opened read-only, and a folder of the operator is not', () => {
    const seed = createCorpusProvider({ root: bundledCorpusDir() }).corpusFor({ store: 'local' }, testOctokit());
    expect(seed.store.readOnly).toBe(SEED_READ_ONLY);
    const own = createCorpusProvider({ root: join(bundledCorpusDir(), '..', 'test') }).corpusFor({ store: 'local' }, testOctokit());
    expect(own.store.readOnly).toBeUndefined();
  });

  it('refuses every write with the seed error, and its files stay as they were', async () => {
    const before = seedFiles();
    const { store } = createCorpusProvider({ root: bundledCorpusDir() }).corpusFor({ store: 'local' }, testOctokit());
    expect((await store.read()).entries.length).toBeGreaterThan(100);
    await expect(store.append([makeEntry('def f():\n    return 1', 'python', ['CWE-89'])])).rejects.toBeInstanceOf(SeedCorpusWriteError);
    await expect(store.appendExamples([])).rejects.toBeInstanceOf(SeedCorpusWriteError);
    await expect(store.updateLog('audit', () => ['{}'])).rejects.toThrow(/seed bundled with SecCoder/);
    expect(seedFiles()).toEqual(before);
  });

  it('is never grown by a merged fix: growth is skipped with the reason, and nothing is written', async () => {
    const before = seedFiles();
    mockPeople();
    const run = growth(bundledCorpusDir());
    const result = await deliver(run, mergeEvent(VIEWS_PULL), 'merge-seed', undefined);
    expect(result).toEqual({ status: 'skipped', reason: SEED_READ_ONLY });
    expect(run.logged.map((line) => line.message)).toContain(`not growing the corpus: ${SEED_READ_ONLY}`);
    expect(seedFiles()).toEqual(before);
  });
});
