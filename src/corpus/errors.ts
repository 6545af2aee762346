// Named errors for the corpus: each carries what a user needs to act on it.
import { SecCoderError, type SecCoderErrorOptions } from '../errors/seccoder-error.js';

export class CorpusNotFoundError extends SecCoderError {
  override name = 'CorpusNotFoundError';
  constructor(readonly path: string) {
    super(`corpus not found at ${path}: pass --corpus <dir> pointing at a folder with corpus.jsonl, or run from the project root`);
  }
}

export class CorpusLockTimeoutError extends SecCoderError {
  override name = 'CorpusLockTimeoutError';
  constructor(
    readonly lockPath: string,
    readonly waitedMs: number,
    /** Who holds the lock, as its file says (`process 123 on build-host`); undefined when it could not be read. */
    readonly holder?: string,
  ) {
    super(`could not lock the corpus within ${waitedMs} ms: ${lockPath} is held by another writer`, {
      hint: `${holder ? `${holder} holds it; ` : ''}a lock its holder stops refreshing is taken over after 10 s, so try again`,
    });
  }
}

/** The writer's lease ran out while it worked and another writer took the lock: what it wrote may have been overwritten. */
export class CorpusLockLostError extends SecCoderError {
  override name = 'CorpusLockLostError';
  constructor(
    readonly lockPath: string,
    options?: ErrorOptions,
  ) {
    super(`lost the corpus lock ${lockPath} while writing (this process stalled past the lock's lease)`, {
      ...options,
      hint: 'check that the entries just added are in the corpus, and add them again if not',
    });
  }
}

export class EntryRejectedError extends SecCoderError {
  override name = 'EntryRejectedError';
  constructor(
    readonly input: string,
    readonly reason: string,
    options?: SecCoderErrorOptions,
  ) {
    super(`${input}: ${reason}`, options);
  }
}

/** `corpus add` was not given a corpus of the user's, or was pointed at the seed corpus bundled with SecCoder. */
export class SeedCorpusWriteError extends SecCoderError {
  override name = 'SeedCorpusWriteError';
  constructor(
    readonly bundledDir: string,
    readonly why: string,
  ) {
    super(`${why}; SecCoder never adds to the seed corpus it bundles (${bundledDir})`, {
      hint: 'pass --corpus <dir>, set SECCODER_CORPUS, or create ./corpus in the current folder',
    });
  }
}
