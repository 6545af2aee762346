// An exclusive lock between processes, with a lease: proper-lockfile creates the lock as a
// directory (mkdir is atomic, so there is no moment when it exists but is empty) and its holder
// touches it every few seconds; a lock not touched for `staleMs` belongs to a process that died or
// hung, and the next writer takes it over. Nothing depends on a PID, so a killed writer or a
// reused PID can never wedge the corpus for longer than the lease.
import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';
import { CorpusLockLostError, CorpusLockTimeoutError } from './errors.js';

export interface LockOptions {
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** First wait between attempts; grows up to 200 ms (default 5 ms). */
  retryMs?: number;
  /** A lock not refreshed for this long is stale and taken over (default 10 s; at least 2 s). */
  staleMs?: number;
}

const DEFAULT_STALE_MS = 10_000;

/** Who holds the lock, for the timeout's hint: written beside the lock (inside it, removing it would fail). */
const ownerFile = (lockPath: string) => `${lockPath}.owner`;

async function lockHolder(lockPath: string): Promise<string | undefined> {
  const [pid, host] = (await readFile(ownerFile(lockPath), 'utf8').catch(() => '')).split('\n');
  return pid ? `process ${pid}${host ? ` on ${host}` : ''}` : undefined;
}

/** A lock file left by SecCoder before locks were directories: stale once it is older than the lease. */
async function removeLegacyLock(lockPath: string, staleMs: number): Promise<void> {
  const info = await stat(lockPath).catch(() => undefined);
  if (info?.isFile() && info.mtimeMs < Date.now() - staleMs) await unlink(lockPath).catch(() => undefined);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` while holding the lock at `lockPath`; throws CorpusLockTimeoutError when it cannot get it in time. */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = Math.max(options.staleMs ?? DEFAULT_STALE_MS, 2_000);
  let wait = options.retryMs ?? 5;
  const started = Date.now();
  let lost: Error | undefined;
  const lockOptions = {
    lockfilePath: lockPath,
    // The protected file need not exist (a new corpus); the lock path is used as given.
    realpath: false,
    stale: staleMs,
    update: staleMs / 2,
    retries: 0,
    // The default throws from a timer and ends the process; the writer is told after its work instead.
    onCompromised: (error: Error) => {
      lost = error;
    },
  };
  let release: () => Promise<void>;
  for (;;) {
    await removeLegacyLock(lockPath, staleMs);
    try {
      release = await lockfile.lock(lockPath, lockOptions);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a fresh legacy lock file; it is waited out like a held lock.
      if (code !== 'ELOCKED' && code !== 'ENOTDIR') throw error;
    }
    if (Date.now() - started > timeoutMs) throw new CorpusLockTimeoutError(lockPath, timeoutMs, await lockHolder(lockPath));
    await sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 200);
  }
  await writeFile(ownerFile(lockPath), `${process.pid}\n${hostname()}\n`).catch(() => undefined);
  try {
    const result = await work();
    // Another writer took the lock over while this one worked (its lease ran out): what it wrote may be lost.
    if (lost) throw new CorpusLockLostError(lockPath, { cause: lost });
    return result;
  } finally {
    await unlink(ownerFile(lockPath)).catch(() => undefined);
    await release().catch(() => undefined);
  }
}
