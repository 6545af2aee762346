// The version token of a corpus folder for the page's snapshot cache: the size, modification time
// and inode of corpus.jsonl, audit.jsonl and feedback.jsonl. Every write replaces its file by an
// atomic rename (a new inode), so any retire, restore, addition or feedback changes the token,
// and a stat of three files costs well under a millisecond.
import { stat } from 'node:fs/promises';
import type { LocalCorpusStore } from '../corpus/local-store.js';

async function fileVersion(file: string): Promise<string> {
  try {
    const info = await stat(file, { bigint: true });
    return `${info.ino}:${info.size}:${info.mtimeNs}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw error;
  }
}

export function localStoreVersion(store: LocalCorpusStore): () => Promise<string> {
  const files = [store.file, store.logLocation('audit'), store.logLocation('feedback')];
  return async () => (await Promise.all(files.map(fileVersion))).join('|');
}
