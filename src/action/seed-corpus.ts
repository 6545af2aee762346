// The seed corpus shipped with the Action, and the retrieval index built from it when the bundle
// was built (scripts/build-action.mjs writes it to action/dist/corpus/.index/default/). Both are
// copied to the runner's temp folder, so the Action's own files are never written, and the review
// opens the copy like any persisted index (`openRetrievalIndex`): used as it is when it matches
// the corpus, rebuilt there when it does not.
//
// Why shipped and not cached with @actions/cache: building it takes ~35 s (the CWE classifier
// ~18 s, the default embedder ~8 s, the vectors ~1 s), and it is a pure function of files that are
// committed with the Action (corpus, examples, SecCoder's code), so building it once at release
// serves every run: the first run of every pull request too, offline and on GHES, with no cache
// service to fail, no 7-day eviction, no entries scoped to one pull request's ref that the next
// pull request cannot read, and none of the repository's cache quota used. The build is
// byte-for-byte reproducible except the vectors' last bits across CPUs, which
// scripts/check-action-bundle.sh compares with a tolerance.
//
// Nothing shipped is trusted: `openRetrievalIndex` checks the default embedder (its model's hash
// against its id, what it was trained on against the corpus), the index manifest (embedder id,
// dimension, corpus hash), the vectors and graph (sizes and CRC-32s), and the classifier (hash of
// the corpus and examples it was trained on); any mismatch or damage rebuilds that part in the copy.
import { copyFile, cp, mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CWE_EXAMPLES_FILE } from '../corpus/cwe-examples.js';
import { CORPUS_FILE } from '../corpus/local-store.js';
import { embedderKey } from '../retrieve/embedder-choice.js';
import { INDEX_FOLDER } from '../retrieve/open-index.js';

/** The index the Action opens (default embedder), relative to a corpus folder. */
export const SEED_INDEX_DIR = join(INDEX_FOLDER, embedderKey({ kind: 'default' }));

/** The corpus, the classifier's labelled examples (without them it trains on the corpus labels alone) and the notice. */
const SEED_FILES = [CORPUS_FILE, CWE_EXAMPLES_FILE, 'NOTICE'];

export interface SeedCopy {
  /** The copy's folder. */
  dir: string;
  /** Whether an index came with the seed (it is still checked against the corpus when opened). */
  prebuiltIndex: boolean;
}

/**
 * Copies the seed corpus in `seedDir`, with its prebuilt index when there is one, to `copyDir`,
 * replacing whatever an earlier run left there.
 */
export async function copySeedCorpus(seedDir: string, copyDir: string): Promise<SeedCopy> {
  await rm(copyDir, { recursive: true, force: true });
  await mkdir(copyDir, { recursive: true });
  for (const file of SEED_FILES) await copyFile(join(seedDir, file), join(copyDir, file));
  const index = join(seedDir, SEED_INDEX_DIR);
  const prebuiltIndex = (await stat(index).catch(() => undefined))?.isDirectory() ?? false;
  if (prebuiltIndex) await cp(index, join(copyDir, SEED_INDEX_DIR), { recursive: true });
  return { dir: copyDir, prebuiltIndex };
}
