// The Redis queue (BullMQ) on a real redis-server started for this file, emptied before each test:
// several RedisQueue instances in this process stand for several App instances and workers. What
// it proves: one 'queued' among concurrent enqueues, jobs run and complete, one pull request's jobs
// never overlap across workers, newerHead() and isLive(), retries, a graceful close handing the
// running job back to another worker, depth(), a ping() that fails fast without Redis, a close()
// that returns its connections, and a killed worker's job taken up by another once its lock lapses.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { build } from 'esbuild';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jobId, jobKey, type Job } from '../../../src/github/queue/job.js';
import { ShutdownError, type JobControl, type JobHandler } from '../../../src/github/queue/job-queue.js';
import { QUEUE_NAME, RedisQueue, type RedisQueueOptions } from '../../../src/github/queue/redis-queue.js';
import { startRedisServer, useRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { deferred, growth, OWNER, Overlap, REPO, review, sleep, untilAborted, waitFor, type Deferred, type Seen } from './jobs.js';

const KEY_1 = jobKey({ owner: OWNER, repo: REPO, pullNumber: 1 });
const KEY_2 = jobKey({ owner: OWNER, repo: REPO, pullNumber: 2 });
const TIMEOUT = { timeout: 30_000 };

/** This file's redis-server (without one installed, every test fails saying how to install it). */
const server = useRedisServer();
/** The test's own view of Redis: FLUSHALL, CLIENT LIST, keys. */
let admin: Redis;
/** BullMQ's view of the queue, to read job states (its own connection, closed with it). */
let inspector: Queue;

beforeEach(async () => {
  admin ??= new Redis(server().url, { maxRetriesPerRequest: 1 });
  inspector ??= new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port: server().port }, prefix: 'seccoder' });
  // Each test starts from an empty Redis: no job, no remembered id, no lease.
  expect(await admin.flushall()).toBe('OK');
});

afterAll(async () => {
  await inspector?.close();
  admin?.disconnect();
});

/** Every queue a test made, closed after it (closing twice does no harm). */
const queues: RedisQueue[] = [];
function newQueue(options: Partial<RedisQueueOptions> = {}): RedisQueue {
  const queue = new RedisQueue({ url: server().url, attempts: 2, backoffMs: 50, lockMs: 2_000, busyRetryMs: 100, ...options });
  queues.push(queue);
  return queue;
}

afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.close(0)));
});

/** One handler for any number of worker queues: each run waits for `release(job)` (or the shutdown), and is recorded with the worker that ran it. */
function heldHandler() {
  const started: (Seen & { worker: string })[] = [];
  const finished: string[] = [];
  const gates = new Map<string, Deferred>();
  const overlap = new Overlap();
  const gate = (id: string) => {
    let held = gates.get(id);
    if (!held) gates.set(id, (held = deferred()));
    return held;
  };
  const handlerFor =
    (worker: string): JobHandler =>
    async (job: Job, control: JobControl) => {
      const id = jobId(job);
      const key = jobKey(job);
      overlap.enter(key);
      started.push({ id, key, control, worker });
      try {
        await Promise.race([gate(id).promise, untilAborted(control.signal)]);
        finished.push(id);
      } finally {
        overlap.leave(key);
      }
    };
  return {
    handlerFor,
    started,
    finished,
    overlap,
    ids: () => started.map((run) => run.id),
    release: (job: Job) => gate(jobId(job)).resolve(),
    run: (job: Job) => {
      const found = started.filter((run) => run.id === jobId(job)).at(-1);
      if (!found) throw new Error(`${jobId(job)} has not started`);
      return found;
    },
    waitStarted: (job: Job, timeoutMs = 10_000) => waitFor(() => started.some((run) => run.id === jobId(job)), `${jobId(job)} to start`, timeoutMs),
  };
}

/** The state BullMQ has the job in ('waiting', 'active', 'delayed', 'completed', 'failed', 'unknown'). */
async function stateOf(job: Job): Promise<string> {
  return inspector.getJobState(jobId(job));
}

/** How many jobs BullMQ has completed. */
async function completed(): Promise<number> {
  return (await inspector.getJobCounts('completed')).completed ?? 0;
}

/** Clients connected to the test's Redis, other than the test's own. */
async function otherClients(): Promise<number> {
  const list = (await admin.client('LIST')) as string;
  const mine = String(await admin.client('ID'));
  return list
    .trim()
    .split('\n')
    .filter((line) => !line.startsWith(`id=${mine} `)).length;
}

describe('RedisQueue: enqueue', TIMEOUT, () => {
  it('queues right after it is made (the first webhook is not turned away while Redis connects)', async () => {
    expect(await newQueue().enqueue(review('aaaa111'))).toBe('queued');
    await expect(newQueue().ping()).resolves.toBeUndefined();
    expect(await newQueue().enqueue(review('aaaa111'))).toBe('duplicate');
  });

  it('answers queued to exactly one of two instances enqueueing the same job at once', async () => {
    const first = newQueue();
    const second = newQueue();
    await Promise.all([first.ping(), second.ping()]);
    for (const sha of ['aaaa111', 'bbbb222', 'cccc333']) {
      // The same event delivered 10 times (10 delivery ids) to two instances, all at once.
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? first : second).enqueue(review(sha, 1, { deliveryId: `d-${sha}-${i}` }))),
      );
      expect(
        answers.filter((answer) => answer === 'queued'),
        sha,
      ).toHaveLength(1);
      expect(
        answers.filter((answer) => answer === 'duplicate'),
        sha,
      ).toHaveLength(9);
    }
    expect(await first.depth()).toEqual({ waiting: 3, active: 0, delayed: 0 });
    expect(await completed()).toBe(0);
    expect(await admin.exists(...['aaaa111', 'bbbb222', 'cccc333'].map((sha) => `seccoder:seccoder-jobs:${jobId(review(sha))}`))).toBe(3);
  });

  it('tells a re-run, another pull request and letter cases apart as a job id does', async () => {
    const queue = newQueue();
    const a = review('aaaa111');
    expect(await queue.enqueue(a)).toBe('queued');
    expect(await queue.enqueue({ ...a, owner: OWNER.toUpperCase(), deliveryId: 'again' })).toBe('duplicate');
    expect(await queue.enqueue(review('aaaa111', 1, { rerun: true, deliveryId: 'rerun:1' }))).toBe('queued');
    expect(await queue.enqueue(review('aaaa111', 2))).toBe('queued');
    expect(await queue.enqueue(growth(1))).toBe('queued');
    expect(await queue.enqueue(growth(1))).toBe('duplicate');
    expect(await queue.depth()).toEqual({ waiting: 4, active: 0, delayed: 0 });
  });
});

describe('RedisQueue: processing', TIMEOUT, () => {
  it('runs and completes jobs, up to `concurrency` at once, and remembers them done', async () => {
    const enqueuer = newQueue();
    const jobs = [1, 2, 3, 4].map((pull) => review(`sha${pull}`, pull));
    for (const job of jobs) expect(await enqueuer.enqueue(job)).toBe('queued');
    const overlap = new Overlap();
    const seen: { id: string; attempt: number; attempts: number }[] = [];
    const worker = newQueue();
    worker.process(async (job, control) => {
      overlap.enter(jobKey(job));
      seen.push({ id: jobId(job), attempt: control.attempt, attempts: control.attempts });
      await sleep(200);
      overlap.leave(jobKey(job));
    }, 2);
    await waitFor(async () => (await completed()) === 4, 'the 4 jobs to complete');
    expect(seen.map((run) => run.id).sort()).toEqual(jobs.map((job) => jobId(job)).sort());
    expect(seen.every((run) => run.attempt === 1 && run.attempts === 2)).toBe(true);
    expect(overlap.maxRunning).toBe(2);
    expect(await enqueuer.depth()).toEqual({ waiting: 0, active: 0, delayed: 0 });
    // Done lately: a redelivery, to any instance, is a duplicate; the pull requests' leases are released.
    expect(await newQueue().enqueue(jobs[0]!)).toBe('duplicate');
    expect(await admin.keys('seccoder:running:*')).toEqual([]);
  });

  it('refuses a second process() call', () => {
    const queue = newQueue();
    queue.process(async () => undefined, 1);
    expect(() => queue.process(async () => undefined, 1)).toThrow(/twice/);
  });

  it('never runs two jobs of one pull request at once, even on two workers with two slots each; the second waits, delayed, until the first releases', async () => {
    const runs = heldHandler();
    const enqueuer = newQueue();
    const workers = [newQueue(), newQueue()];
    workers.forEach((worker, i) => worker.process(runs.handlerFor(`worker-${i + 1}`), 2));
    const a = review('aaaa111', 1);
    const b = review('bbbb222', 1);
    const merged = growth(1);
    const other = review('cccc333', 2);
    expect(await enqueuer.enqueue(a)).toBe('queued');
    await runs.waitStarted(a);
    for (const job of [b, merged, other]) expect(await enqueuer.enqueue(job)).toBe('queued');
    await runs.waitStarted(other);

    // Three slots are free, but pull request 1 is held: its other jobs go to delayed and back.
    await waitFor(async () => (await enqueuer.depth()).delayed > 0, 'a job of the busy pull request to be delayed', 5_000);
    await sleep(500);
    expect(runs.ids().sort()).toEqual([jobId(a), jobId(other)].sort());
    expect(runs.overlap.maxPerKey.get(KEY_1)).toBe(1);
    expect(await admin.get(`seccoder:running:${KEY_1}`)).toBe(runs.run(a).control.runId);

    runs.release(a);
    await waitFor(() => runs.started.filter((run) => run.key === KEY_1).length === 2, 'the next job of pull request 1');
    await sleep(300);
    expect(runs.started.filter((run) => run.key === KEY_1)).toHaveLength(2);
    const second = runs.started.filter((run) => run.key === KEY_1)[1]!;
    expect([jobId(b), jobId(merged)]).toContain(second.id);
    const third = second.id === jobId(b) ? merged : b;
    runs.release(second.id === jobId(b) ? b : merged);
    await runs.waitStarted(third);
    runs.release(third);
    runs.release(other);
    await waitFor(() => runs.finished.length === 4, 'all 4 jobs to finish');

    expect(runs.overlap.maxPerKey.get(KEY_1)).toBe(1);
    expect(runs.overlap.maxPerKey.get(KEY_2)).toBe(1);
    // Waiting on a busy pull request is no failed attempt.
    expect(runs.started.every((run) => run.control.attempt === 1)).toBe(true);
    await waitFor(async () => (await completed()) === 4, 'BullMQ to mark the 4 done');
  });

  it('tells a running review of a newer head queued by another instance (newerHead), and isLive() follows the pull request lease', async () => {
    const runs = heldHandler();
    const enqueuer = newQueue();
    const worker = newQueue();
    worker.process(runs.handlerFor('worker'), 2);
    const a = review('aaaa111', 1);
    const other = growth(2);
    await enqueuer.enqueue(a);
    await enqueuer.enqueue(other);
    await runs.waitStarted(a);
    await runs.waitStarted(other);
    const running = runs.run(a).control;
    const watcher = runs.run(other).control;
    expect(await running.newerHead()).toBeUndefined();
    expect(await watcher.newerHead(), 'growth is never superseded').toBeUndefined();

    expect(await enqueuer.enqueue(review('bbbb222', 1))).toBe('queued');
    expect(await running.newerHead()).toBe('bbbb222');
    expect(await newQueue().enqueue(review('cccc333', 1))).toBe('queued');
    expect(await running.newerHead()).toBe('cccc333');

    expect(await watcher.isLive(KEY_1, running.runId)).toBe(true);
    expect(await running.isLive(KEY_1, running.runId)).toBe(true);
    expect(await watcher.isLive(KEY_1, 'another-run')).toBe(false);
    expect(await watcher.isLive(KEY_2, running.runId)).toBe(false);
    expect(await watcher.isLive(KEY_2, watcher.runId)).toBe(true);

    runs.release(a);
    await waitFor(async () => !(await watcher.isLive(KEY_1, running.runId)), 'the finished run to be not live');
    // The reviews of b and c run in turn (Redis drops no queued review: each asks newerHead itself).
    await waitFor(() => runs.started.filter((run) => run.key === KEY_1).length === 2, 'the next review');
    const next = runs.started.filter((run) => run.key === KEY_1)[1]!;
    expect(await watcher.isLive(KEY_1, next.control.runId)).toBe(true);
    expect(await next.control.newerHead()).toBe(next.id === jobId(review('bbbb222', 1)) ? 'cccc333' : undefined);
  });
});

describe('RedisQueue: retries', TIMEOUT, () => {
  it('retries a failing job after its backoff with the attempt counted, and remembers it once it succeeds', async () => {
    const tries: { attempt: number; attempts: number; runId: string; at: number }[] = [];
    const worker = newQueue({ attempts: 2, backoffMs: 100 });
    worker.process(async (_job, control) => {
      tries.push({ attempt: control.attempt, attempts: control.attempts, runId: control.runId, at: performance.now() });
      if (control.attempt === 1) throw new Error('the model is down');
    }, 1);
    const job = review('aaaa111');
    expect(await worker.enqueue(job)).toBe('queued');
    await waitFor(async () => (await stateOf(job)) === 'completed', 'the job to complete');
    expect(tries.map((t) => [t.attempt, t.attempts])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(tries[0]!.runId).not.toBe(tries[1]!.runId);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(90);
    expect(await worker.enqueue(job)).toBe('duplicate');
  });

  it('fails a job for good after `attempts`, and then a redelivery queues it again and it runs again', async () => {
    const attempts: number[] = [];
    const worker = newQueue({ attempts: 2, backoffMs: 20 });
    worker.process(async (_job, control) => {
      attempts.push(control.attempt);
      throw new Error('always fails');
    }, 1);
    const job = review('aaaa111');
    expect(await worker.enqueue(job)).toBe('queued');
    await waitFor(
      async () => (await stateOf(job)) === 'failed' && (await admin.exists(`seccoder:queued:${jobId(job)}`)) === 0,
      'the job to fail for good and be forgotten',
    );
    expect(attempts).toEqual([1, 2]);
    expect(await worker.depth()).toEqual({ waiting: 0, active: 0, delayed: 0 });

    expect(await newQueue().enqueue(job)).toBe('queued');
    await waitFor(() => attempts.length === 4, 'the job queued again to run (twice)', 10_000);
    expect(attempts).toEqual([1, 2, 1, 2]);
  });
});

describe('RedisQueue: close', TIMEOUT, () => {
  it('lets a job end within the grace period and completes it, without aborting it', async () => {
    let signal: AbortSignal | undefined;
    const worker = newQueue();
    worker.process(async (_job, control) => {
      signal = control.signal;
      await sleep(300);
    }, 1);
    const job = review('aaaa111');
    await worker.enqueue(job);
    await waitFor(() => signal !== undefined, 'the job to start');
    const started = performance.now();
    await worker.close(10_000);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(signal?.aborted).toBe(false);
    expect(await stateOf(job)).toBe('completed');
  });

  for (const how of ['throws the ShutdownError', 'throws another error once aborted'] as const) {
    it(`hands a job still running after the grace period back to another worker (its handler ${how})`, async () => {
      const reasons: unknown[] = [];
      const first = newQueue();
      let firstControl: JobControl | undefined;
      first.process(async (_job, control) => {
        firstControl = control;
        try {
          await untilAborted(control.signal);
        } catch (reason) {
          reasons.push(reason);
          await sleep(50); // completing its check run as cancelled
          throw how === 'throws the ShutdownError' ? reason : new Error('fetch failed: aborted');
        }
      }, 1);
      const job = review('aaaa111');
      await newQueue().enqueue(job);
      await waitFor(() => firstControl !== undefined, 'the first worker to start the job');

      const closing = performance.now();
      await first.close(300);
      expect(performance.now() - closing).toBeGreaterThanOrEqual(295);
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toBeInstanceOf(ShutdownError);
      expect(['delayed', 'waiting']).toContain(await stateOf(job));

      // Another worker takes it up: the same job, not a failed attempt, with a run id of its own.
      const done = deferred<JobControl>();
      const second = newQueue();
      second.process(async (_job, control) => done.resolve(control), 1);
      const control = await done.promise;
      expect(control.attempt).toBe(1);
      expect(control.runId).not.toBe(firstControl!.runId);
      await waitFor(async () => (await stateOf(job)) === 'completed', 'the handed-back job to complete on the second worker');
      expect(await second.enqueue(job)).toBe('duplicate');
    });
  }

  it('returns every Redis connection it opened', async () => {
    // The connections of the queues closed after the last test may take a moment to go.
    let baseline = -1;
    await waitFor(
      async () => {
        const previous = baseline;
        baseline = await otherClients();
        return baseline === previous;
      },
      'the client count to settle',
      5_000,
      200,
    );
    const worker = newQueue();
    worker.process(async () => undefined, 2);
    await worker.enqueue(review('aaaa111'));
    await waitFor(async () => (await stateOf(review('aaaa111'))) === 'completed', 'the job to complete');
    expect(await otherClients()).toBeGreaterThan(baseline);
    await worker.close(1_000);
    await waitFor(async () => (await otherClients()) <= baseline, 'the queue’s connections to close', 3_000);

    const enqueuer = newQueue();
    await enqueuer.ping();
    expect(await otherClients()).toBeGreaterThan(baseline);
    await enqueuer.close();
    await waitFor(async () => (await otherClients()) <= baseline, 'the enqueuer’s connections to close', 3_000);
  });
});

describe('RedisQueue: depth', TIMEOUT, () => {
  it('counts waiting, running and delayed jobs', async () => {
    const queue = newQueue({ attempts: 2, backoffMs: 60_000 });
    expect(await queue.depth()).toEqual({ waiting: 0, active: 0, delayed: 0 });
    const runs = heldHandler();
    const failing = review('ffff000', 9);
    for (const job of [failing, review('a', 1), review('b', 2), review('c', 3)]) expect(await queue.enqueue(job)).toBe('queued');
    expect(await queue.depth()).toEqual({ waiting: 4, active: 0, delayed: 0 });

    const worker = newQueue({ attempts: 2, backoffMs: 60_000 });
    const held = runs.handlerFor('worker');
    worker.process(async (job, control) => {
      if (job.pullNumber === 9) throw new Error('fails, to be retried in a minute');
      await held(job, control);
    }, 1);
    await runs.waitStarted(review('a', 1));
    expect(await queue.depth()).toEqual({ waiting: 2, active: 1, delayed: 1 });
  });
});

describe('RedisQueue: without Redis', TIMEOUT, () => {
  let throwaway: RedisServer | undefined;
  afterEach(async () => {
    throwaway?.signal('SIGCONT');
    await throwaway?.stop();
    throwaway = undefined;
  });

  it('ping() rejects at once when Redis is gone, and close() still returns', async () => {
    throwaway = await startRedisServer();
    const queue = newQueue({ url: throwaway.url });
    queue.process(async () => undefined, 1);
    await queue.ping();
    await queue.enqueue(review('aaaa111'));
    await sleep(200);
    await throwaway.stop();

    let started = performance.now();
    await expect(queue.ping()).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(2_000);
    await expect(queue.enqueue(review('bbbb222'))).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(2_000);

    await sleep(1_000); // BullMQ's connections notice
    started = performance.now();
    await queue.close(200);
    expect(performance.now() - started).toBeLessThan(8_000);
  });

  it('ping() rejects within seconds when Redis is frozen (not answering)', async () => {
    throwaway = await startRedisServer();
    const queue = newQueue({ url: throwaway.url });
    await queue.ping();
    throwaway.signal('SIGSTOP');
    const started = performance.now();
    await expect(queue.ping()).rejects.toThrow(/timed out/i);
    expect(performance.now() - started).toBeLessThan(5_000);
    throwaway.signal('SIGCONT');
    await queue.ping();
  });
});

describe('RedisQueue: a killed worker', TIMEOUT, () => {
  let folder: string | undefined;
  let script: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    // The worker runs in a process of its own (to be SIGKILLed): bundled from TypeScript, its
    // packages resolved from the repository's node_modules.
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
    folder = mkdtempSync(join(tmpdir(), 'seccoder-stalling-worker-'));
    symlinkSync(join(root, 'node_modules'), join(folder, 'node_modules'), 'dir');
    script = join(folder, 'stalling-worker.mjs');
    await build({
      entryPoints: [join(root, 'test/github/queue/stalling-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile: script,
      logLevel: 'error',
    });
  }, 30_000);

  afterEach(() => {
    child?.kill('SIGKILL');
    child = undefined;
  });
  afterAll(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('its job is taken up by another worker once its lock lapses, and the dead run is not live', async () => {
    const lines: Record<string, unknown>[] = [];
    let output = '';
    const worker = spawn(process.execPath, [script], { env: { ...process.env, REDIS_URL: server().url, LOCK_MS: '2000' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child = worker;
    const exited = new Promise((resolveExit) => worker.once('exit', resolveExit));
    worker.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    worker.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      for (const line of chunk.toString('utf8').split('\n')) if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    });
    await waitFor(() => lines.some((line) => line.event === 'ready'), `the worker process to be ready:\n${output}`, 15_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${output}`);
    });

    const job = review('aaaa111');
    await newQueue().enqueue(job);
    await waitFor(() => lines.some((line) => line.event === 'started'), 'the worker process to start the job');
    const dead = lines.find((line) => line.event === 'started')!;
    expect(dead.id).toBe(jobId(job));
    expect(await admin.get(`seccoder:running:${KEY_1}`)).toBe(dead.runId);
    worker.kill('SIGKILL');
    await exited;
    const killedAt = performance.now();

    const taken = deferred<{ control: JobControl; deadLive: boolean; ownLive: boolean }>();
    const survivor = newQueue({ lockMs: 2_000 });
    survivor.process(async (_job, control) => {
      taken.resolve({ control, deadLive: await control.isLive(KEY_1, String(dead.runId)), ownLive: await control.isLive(KEY_1, control.runId) });
    }, 1);
    const { control, deadLive, ownLive } = await taken.promise;
    const recoveredMs = performance.now() - killedAt;
    expect(control.runId).not.toBe(dead.runId);
    expect(deadLive).toBe(false);
    expect(ownLive).toBe(true);
    // About one lock duration plus one stalled-check interval (2 s each), not the default 30 s.
    expect(recoveredMs).toBeLessThan(12_000);
    await waitFor(async () => (await stateOf(job)) === 'completed', 'the job to complete on the survivor');
    console.info(`a killed worker's job was taken up ${Math.round(recoveredMs)} ms after the kill (lock 2000 ms), at attempt ${control.attempt}`);
  });
});
