// Which corpus folder a command works on: --corpus, else $SECCODER_CORPUS, else ./corpus when it
// holds a corpus, else the seed corpus shipped with SecCoder. Writers (`corpus add`) need a corpus
// of the user's: the bundled seed is never written to.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SeedCorpusWriteError } from './errors.js';
import { CORPUS_FILE } from './local-store.js';

/** The package's own corpus folder (the committed seed), found from this file's location. */
export function bundledCorpusDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'corpus');
}

export function resolveCorpusDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (option) return resolve(option);
  if (env.SECCODER_CORPUS) return resolve(env.SECCODER_CORPUS);
  const local = resolve('corpus');
  if (existsSync(join(local, CORPUS_FILE))) return local;
  return bundledCorpusDir();
}

/** The path with symbolic links resolved, as far as it exists. */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Whether `dir` is the seed corpus bundled with SecCoder (symbolic links resolved). */
export function isBundledCorpusDir(dir: string): boolean {
  return canonical(dir) === canonical(bundledCorpusDir());
}

/**
 * Where SecCoder keeps what it derives from a corpus that is not the user's to write (the bundled
 * seed's index, mirrors of corpora kept in repositories): $SECCODER_CACHE_DIR, else
 * $XDG_CACHE_HOME/seccoder, else ~/.cache/seccoder. The package folder itself may be read-only
 * (a global install, an image) and is never written.
 */
export function seccoderCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SECCODER_CACHE_DIR) return resolve(env.SECCODER_CACHE_DIR);
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), 'seccoder');
}

/**
 * The corpus folder a writer may add to: --corpus, else $SECCODER_CORPUS, else an existing
 * ./corpus folder. Throws SeedCorpusWriteError when none is given or the one given is the seed
 * corpus bundled with SecCoder (as ./corpus is when run from SecCoder's own folder).
 */
export function writableCorpusDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const bundled = bundledCorpusDir();
  const local = resolve('corpus');
  let dir: string;
  if (option) dir = resolve(option);
  else if (env.SECCODER_CORPUS) dir = resolve(env.SECCODER_CORPUS);
  else if (existsSync(local) && statSync(local).isDirectory()) dir = local;
  else throw new SeedCorpusWriteError(bundled, 'no corpus to add to: no --corpus, no $SECCODER_CORPUS and no ./corpus folder');
  if (isBundledCorpusDir(dir)) throw new SeedCorpusWriteError(bundled, `${dir} is the seed corpus bundled with SecCoder`);
  return dir;
}
