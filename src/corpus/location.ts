// Which corpus folder a command works on: --corpus, else $SECCODER_CORPUS, else ./corpus when it
// holds a corpus, else the seed corpus shipped with SecCoder.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
