// An exclusive lock between processes: a lock file created with O_EXCL holding the owner's pid.
// A lock whose owner process is gone (killed mid-write) is taken over, so a crash never wedges
// the corpus.
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { CorpusLockTimeoutError } from './errors.js';

export interface LockOptions {
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** First wait between attempts; grows up to 200 ms (default 5 ms). */
  retryMs?: number;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock's content when its owner is a dead process on this host, else undefined. */
async function deadOwner(lockPath: string): Promise<string | undefined> {
  try {
    const content = await readFile(lockPath, 'utf8');
    const [pid, host] = content.split('\n');
    // A lock from another host (shared file system) is never judged from here.
    if (host !== hostname()) return undefined;
    const owner = Number(pid);
    return Number.isInteger(owner) && owner > 0 && !isAlive(owner) ? content : undefined;
  } catch {
    // Empty or vanished: the owner died between create and write, or just released it.
    return undefined;
  }
}

/** Who holds the lock, as its content says (`process 123 on build-host`), for the timeout's hint. */
async function lockHolder(lockPath: string): Promise<string | undefined> {
  const [pid, host] = (await readFile(lockPath, 'utf8').catch(() => '')).split('\n');
  return pid ? `process ${pid}${host ? ` on ${host}` : ''}` : undefined;
}

/**
 * Moves a dead owner's lock away. Renaming is atomic, so of several waiters one wins; a waiter
 * that finds it moved a live lock instead (another waiter had already replaced the dead one)
 * puts it back with link, which never overwrites.
 */
async function breakStaleLock(lockPath: string, staleContent: string): Promise<void> {
  const aside = `${lockPath}.stale-${process.pid}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return;
  }
  const moved = await readFile(aside, 'utf8').catch(() => staleContent);
  if (moved !== staleContent) await link(aside, lockPath).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` while holding the lock at `lockPath`. */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  let wait = options.retryMs ?? 5;
  const started = Date.now();
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(`${process.pid}\n${hostname()}\n`);
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stale = await deadOwner(lockPath);
    if (stale !== undefined) {
      await breakStaleLock(lockPath, stale);
      continue;
    }
    if (Date.now() - started > timeoutMs) throw new CorpusLockTimeoutError(lockPath, timeoutMs, await lockHolder(lockPath));
    await sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 200);
  }
  try {
    return await work();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}
