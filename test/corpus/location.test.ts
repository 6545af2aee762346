// Where `corpus add` may write: a corpus of the user's, never the seed corpus bundled with SecCoder.
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SeedCorpusWriteError } from '../../src/corpus/errors.js';
import { bundledCorpusDir, resolveCorpusDir, writableCorpusDir } from '../../src/corpus/location.js';
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
