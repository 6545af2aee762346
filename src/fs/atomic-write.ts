// Replace-by-rename file writes: readers see either the old file or the complete new one.

import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Lets `write` produce the file under a temporary name in the same directory (rename is only
 * atomic within one filesystem), flushes it to disk, then renames it over `path`. Taking a
 * callback rather than bytes lets native writers (hnswlib's writeIndex) take part.
 */
export async function writeFileAtomic(path: string, write: (tempPath: string) => Promise<void>): Promise<void> {
  const tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await write(tempPath);
    await fsync(tempPath);
    await rename(tempPath, path);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
}

/** Makes completed renames in `dir` survive a power loss; a no-op where directories can't be synced. */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    await fsync(dir);
  } catch {
    // Windows cannot open directories for syncing; the renames are still atomic there.
  }
}

// Without this, a crash soon after the rename can leave a renamed but empty file.
async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `chunks` in order as the new content of `path`, atomically, and syncs the folder. */
export async function writeChunksAtomic(path: string, chunks: Iterable<string | Uint8Array>): Promise<void> {
  await writeFileAtomic(path, async (tempPath) => {
    const handle = await open(tempPath, 'w');
    try {
      for (const chunk of chunks) {
        if (typeof chunk === 'string') await handle.write(chunk);
        else await handle.write(chunk);
      }
    } finally {
      await handle.close();
    }
  });
  await fsyncDir(dirname(path));
}
