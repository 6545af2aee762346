// The App with no corpus of the operator's runs on the seed bundled with SecCoder: it reads it and
// never writes it. A merged fix is not added (growth says why), the page offers no retire even to
// an owner, and a write that gets through anyway is refused with the seed error. GitHub mocked
// with nock; the real corpus provider over the real bundled corpus folder.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledCorpusDir } from '../../../src/corpus/location.js';
import { SeedCorpusWriteError } from '../../../src/corpus/errors.js';
import { createCorpusProvider, SEED_READ_ONLY } from '../../../src/github/corpus-provider.js';
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
