// Where `corpus add` may write: a corpus of the user's, never the seed corpus bundled with SecCoder;
// and where the seed is indexed instead of its own folder.
import { mkdirSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SeedCorpusWriteError } from '../../src/corpus/errors.js';
import { bundledCorpusDir, resolveCorpusDir, seccoderCacheDir, writableCorpusDir } from '../../src/corpus/location.js';
import { defaultIndexRoot } from '../../src/retrieve/index-location.js';
import { ROOT } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const cwd = process.cwd();
afterEach(() => process.chdir(cwd));

describe('writableCorpusDir', () => {
  it('takes --corpus, then $SECCODER_CORPUS, then an existing ./corpus folder', () => {
    const dir = tempDir();
    process.chdir(dir);
    expect(writableCorpusDir(join(dir, 'mine'), { SECCODER_CORPUS: join(dir, 'env') })).toBe(join(dir, 'mine'));
    expect(writableCorpusDir(undefined, { SECCODER_CORPUS: join(dir, 'env') })).toBe(join(dir, 'env'));
    mkdirSync(join(dir, 'corpus'));
    expect(writableCorpusDir(undefined, {})).toBe(join(process.cwd(), 'corpus'));
  });

  it('refuses when no corpus is given, instead of falling back to the bundled seed as readers do', () => {
    process.chdir(tempDir());
    expect(resolveCorpusDir(undefined, {})).toBe(bundledCorpusDir());
    expect(() => writableCorpusDir(undefined, {})).toThrow(SeedCorpusWriteError);
    expect(() => writableCorpusDir(undefined, {})).toThrow(
      /^no corpus to add to: no --corpus, no \$SECCODER_CORPUS and no \.\/corpus folder; SecCoder never adds to the seed corpus it bundles/,
    );
  });

  it("refuses the bundled seed however it is named: --corpus, the variable, ./corpus in SecCoder's folder, a symbolic link", () => {
    expect(bundledCorpusDir()).toBe(join(ROOT, 'corpus'));
    const link = join(tempDir(), 'seed-link');
    symlinkSync(bundledCorpusDir(), link);
    expect(() => writableCorpusDir(join(ROOT, 'corpus'), {})).toThrow(/is the seed corpus bundled with SecCoder/);
    expect(() => writableCorpusDir(undefined, { SECCODER_CORPUS: link })).toThrow(SeedCorpusWriteError);
    process.chdir(ROOT);
    expect(() => writableCorpusDir(undefined, {})).toThrow(SeedCorpusWriteError);
  });
});

describe("SecCoder's cache folder, where the bundled seed is indexed", () => {
  it('is $SECCODER_CACHE_DIR, else $XDG_CACHE_HOME/seccoder, else ~/.cache/seccoder', () => {
    expect(seccoderCacheDir({ SECCODER_CACHE_DIR: '/var/cache/sc', XDG_CACHE_HOME: '/x' })).toBe('/var/cache/sc');
    expect(seccoderCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/seccoder');
    expect(seccoderCacheDir({})).toBe(join(homedir(), '.cache', 'seccoder'));
  });

  it("indexes the seed there (however it is named) and a user's corpus beside it", () => {
    const link = join(tempDir(), 'seed-link');
    symlinkSync(bundledCorpusDir(), link);
    const env = { SECCODER_CACHE_DIR: '/var/cache/sc' };
    expect(defaultIndexRoot(bundledCorpusDir(), env)).toBe('/var/cache/sc/seed-index');
    expect(defaultIndexRoot(link, env)).toBe('/var/cache/sc/seed-index');
    const own = tempDir();
    expect(defaultIndexRoot(own, env)).toBe(join(own, '.index'));
  });
});
