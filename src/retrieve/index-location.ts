// Where a corpus's retrieval index is kept. Beside the corpus (`.index/`) when the corpus is the
// user's; in SecCoder's cache folder when it is the seed bundled with the package, whose folder
// may be read-only (a global install, an image) and is never written.
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { isBundledCorpusDir, seccoderCacheDir } from '../corpus/location.js';

export const INDEX_FOLDER = '.index';

/** The folder holding a corpus folder's indexes, one subfolder per embedder. */
export function defaultIndexRoot(corpusDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return isBundledCorpusDir(corpusDir) ? join(seccoderCacheDir(env), 'seed-index') : join(corpusDir, INDEX_FOLDER);
}

/**
 * Creates `dir` and its missing parents one at a time. Not `mkdir(dir, { recursive: true })`:
 * Node 20's never settles when a parent cannot be created and says ENOENT (as under /proc), and a
 * cache folder in an odd place must fail with a reason, not hang the review.
 */
async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let folder = resolve(dir); !(await stat(folder).catch(() => undefined)); folder = dirname(folder)) {
    missing.unshift(folder);
    if (dirname(folder) === folder) break;
  }
  for (const folder of missing) {
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

/** Undefined when `dir` exists or could be created, and can be written; else why not, for the user. */
export async function writableFolder(dir: string): Promise<string | undefined> {
  try {
    await makeFolders(dir);
    if (!(await stat(dir)).isDirectory()) return `${dir} is a file, not a folder`;
    await access(dir, constants.W_OK);
    return undefined;
  } catch (error) {
    return `cannot create ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
}
