// The org corpus a repository's config points at, as a store to append to and as demonstrations
// to retrieve from (with the labelled examples beside it, which train the CWE classifier). A local folder is indexed in place; a corpus kept in an org repository is
// mirrored into a cache folder and indexed there. Either way the index is persisted and, when the
// corpus only grew, extended with the new entries instead of rebuilt (`openRetrievalIndex`).
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { CorpusNotFoundError } from '../corpus/errors.js';
import { serializeEntry } from '../corpus/jsonl.js';
import { CORPUS_FILE, LocalCorpusStore } from '../corpus/local-store.js';
import { isBundledCorpusDir, seccoderCacheDir } from '../corpus/location.js';
import { ReadOnlyCorpusStore } from '../corpus/read-only-store.js';

import { GitHubRepoCorpusStore } from '../corpus/repo-store.js';
import type { CorpusStore } from '../corpus/types.js';
import { writeChunksAtomic } from '../fs/atomic-write.js';
import { SIDE_LOGS } from '../corpus/side-log.js';
import { CWE_EXAMPLES_FILE, serializeCweExample } from '../corpus/cwe-examples.js';
import { openRetrievalIndex, retrieverFor } from '../retrieve/open-index.js';
import type { CorpusLocation } from '../config/options.js';
import type { GitHubClient } from './review/gather.js';
import type { DemonstrationSource } from '../harden/harden-target.js';

/** Why the App does not write the bundled seed, as the check run, the logs and the page say it. */
export const SEED_READ_ONLY = 'the corpus is the seed bundled with SecCoder (set SECCODER_CORPUS to a folder of yours to let the App write to it)';

/** Retrieval over one corpus as it is now, and how many secure examples it holds. */
export interface CorpusRetrieval {
  retriever: DemonstrationSource;
  corpusSize: number;
  /** Why the index could not be saved (it is rebuilt at every start), if so. */
  notSaved?: string;
}

/** One corpus: where it is written, and retrieval over it as it is now. */
export interface OrgCorpus {
  readonly store: CorpusStore;
  /** Retrieval over the corpus's current entries; re-opened (incrementally) after it changed. */
  retrieval(): Promise<CorpusRetrieval>;
}

export interface CorpusProvider {
  /** The corpus at `location`; `octokit` reads and writes a repository store. */
  corpusFor(location: CorpusLocation, octokit: GitHubClient): OrgCorpus;
}

export interface CorpusProviderOptions {
  /** The app's corpus folder; `local` locations with a folder are below it. */
  root: string;
  /** Where repository corpora are mirrored and indexed. Default `<root>/.repositories`, or SecCoder's cache folder when the root is the bundled seed. */
  cacheDir?: string;
}

const EMPTY: CorpusRetrieval = { retriever: { retrieve: async () => [] }, corpusSize: 0 };

/** Opens each folder's retrieval index once per version of its corpus file. */
class IndexCache {
  readonly #open = new Map<string, { stamp: string; retrieval: Promise<CorpusRetrieval> }>();

  async open(dir: string): Promise<CorpusRetrieval> {
    const file = join(dir, CORPUS_FILE);
    const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new CorpusNotFoundError(file) : error;
    });
    // A corpus not grown yet (a new org repository): reviews run, with no demonstration to show.
    if (info.size === 0) return EMPTY;
    // The examples train the classifier, the audit trail retires entries, the feedback ranks them:
    // a change to any of them re-opens the index (the vectors are reused as they are).
    const besides = await Promise.all([CWE_EXAMPLES_FILE, SIDE_LOGS.audit, SIDE_LOGS.feedback].map((name) => stat(join(dir, name)).catch(() => undefined)));
    const stamp = [`${info.size}:${info.mtimeMs}`, ...besides.map((file) => `${file?.size ?? 0}:${file?.mtimeMs ?? 0}`)].join(':');
    const cached = this.#open.get(dir);
    if (cached?.stamp === stamp) return cached.retrieval;
    const retrieval = openRetrievalIndex({ corpusDir: dir }).then((index): CorpusRetrieval => ({
      retriever: retrieverFor(index, 'cwe-aware'),
      corpusSize: index.entries.length,
      ...(index.status.notSaved ? { notSaved: index.status.notSaved } : {}),
    }));
    this.#open.set(dir, { stamp, retrieval });
    retrieval.catch(() => {
      if (this.#open.get(dir)?.retrieval === retrieval) this.#open.delete(dir);
    });
    return retrieval;
  }
}

/** Writes `text` to `file` unless it already holds exactly that (keeps the mtime, so the index stays open). */
async function mirror(file: string, text: string): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current !== text) await writeChunksAtomic(file, [text]);
}

export function createCorpusProvider(options: CorpusProviderOptions): CorpusProvider {
  const root = resolve(options.root);
  // With no corpus of the operator's the App runs on the bundled seed: read, never written.
  const seedRoot = isBundledCorpusDir(root);
  const cacheDir = resolve(options.cacheDir ?? (seedRoot ? join(seccoderCacheDir(), 'repositories') : join(root, '.repositories')));
  const cache = new IndexCache();
  /** The corpus commit each repository mirror was last written from. */
  const mirrored = new Map<string, string>();
  return {
    corpusFor(location, octokit) {
      if (location.store === 'local') {
        // The config schema only admits relative folders without `..` or hidden segments.
        const dir = location.folder ? join(root, location.folder) : root;
        const local = new LocalCorpusStore(dir);
        const store = seedRoot ? new ReadOnlyCorpusStore(local, SEED_READ_ONLY) : local;
        return { store, retrieval: () => cache.open(dir) };
      }
      const store = new GitHubRepoCorpusStore({ octokit: octokit as Octokit, owner: location.owner, repo: location.repo });
      const dir = join(cacheDir, location.owner, location.repo);
      return {
        store,
        async retrieval() {
          // Reviews ask on every pull request: download the corpus only when its branch moved.
          const version = await store.version();
          if (mirrored.get(dir) !== version) {
            const [{ entries }, examples, audit, feedback] = await Promise.all([
              store.read(),
              store.readExamples(),
              store.readLog('audit'),
              store.readLog('feedback'),
            ]);
            await mkdir(dir, { recursive: true });
            await mirror(join(dir, CWE_EXAMPLES_FILE), examples.map((example) => `${serializeCweExample(example)}\n`).join(''));
            await mirror(join(dir, SIDE_LOGS.audit), audit);
            await mirror(join(dir, SIDE_LOGS.feedback), feedback);
            await mirror(join(dir, CORPUS_FILE), entries.map((entry) => `${serializeEntry(entry)}\n`).join(''));
            mirrored.set(dir, version);
          }
          return cache.open(dir);
        },
      };
    },
  };
}
