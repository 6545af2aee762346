// Named errors for the corpus: each carries what a user needs to act on it.

export class CorpusNotFoundError extends Error {
  override name = 'CorpusNotFoundError';
  constructor(readonly path: string) {
    super(`corpus not found at ${path}: pass --corpus <dir> pointing at a folder with corpus.jsonl, or run from the project root`);
  }
}

export class CorpusLockTimeoutError extends Error {
  override name = 'CorpusLockTimeoutError';
  constructor(readonly lockPath: string, readonly waitedMs: number) {
    super(`could not lock the corpus within ${waitedMs} ms: ${lockPath} is held by another writer (delete it if no seccoder process is running)`);
  }
}

export class EntryRejectedError extends Error {
  override name = 'EntryRejectedError';
  constructor(readonly input: string, readonly reason: string) {
    super(`${input}: ${reason}`);
  }
}
