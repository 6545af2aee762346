// Where a corpus's retrieval index is kept. Beside the corpus (`.index/`) when the corpus is the
// user's; in SecCoder's cache folder when it is the seed bundled with the package, whose folder
// may be read-only (a global install, an image) and is never written.
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isBundledCorpusDir, seccoderCacheDir } from '../corpus/location.js';

export const INDEX_FOLDER = '.index';

/** The folder holding a corpus folder's indexes, one subfolder per embedder. */
export function defaultIndexRoot(corpusDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return isBundledCorpusDir(corpusDir) ? join(seccoderCacheDir(env), 'seed-index') : join(corpusDir, INDEX_FOLDER);
}

/** Undefined when `dir` exists or could be created, and can be written; else why not, for the user. */
export async function writableFolder(dir: string): Promise<string | undefined> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    return undefined;
  } catch (error) {
    return `cannot create ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
}
