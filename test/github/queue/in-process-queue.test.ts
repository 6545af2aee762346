// The embedded queue's promises, observed through a handler the test drives: duplicates are dropped,
// one pull request's jobs never overlap, a newer head supersedes an older review, concurrency,
// retries with backoff, remembering done jobs, graceful close, idle() and isLive().
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessQueue } from '../../../src/github/queue/in-process-queue.js';
import { jobId, jobKey, type Job } from '../../../src/github/queue/job.js';
import { ShutdownError, type JobControl, type JobHandler } from '../../../src/github/queue/job-queue.js';
import { deferred, growth, OWNER, Overlap, REPO, review, sleep, untilAborted, waitFor, type Deferred, type Seen } from './jobs.js';

const KEY_1 = jobKey({ owner: OWNER, repo: REPO, pullNumber: 1 });
const KEY_2 = jobKey({ owner: OWNER, repo: REPO, pullNumber: 2 });

/** Every queue a test made, closed after it (a test that closed its own queue already is not hurt). */
const queues: InProcessQueue[] = [];
function newQueue(options: ConstructorParameters<typeof InProcessQueue>[0] = {}): InProcessQueue {
  const queue = new InProcessQueue(options);
  queues.push(queue);
  return queue;
}

afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.close(0)));
});

/**
 * A handler each run of which waits for the test to let it go (`release(id)`), recording who ran,
 * when, and how runs overlapped.
 */
function heldHandler() {
  const started: Seen[] = [];
  const gates = new Map<string, Deferred>();
  const overlap = new Overlap();
  const gate = (id: string) => {
    let held = gates.get(id);
    if (!held) gates.set(id, (held = deferred()));
    return held;
  };
  const handler: JobHandler = async (job: Job, control: JobControl) => {
    const id = jobId(job);
    const key = jobKey(job);
    overlap.enter(key);
    started.push({ id, key, control });
    try {
      // A test that fails before releasing it still lets the queue close.
      await Promise.race([gate(id).promise, untilAborted(control.signal)]);
    } finally {
      overlap.leave(key);
    }
  };
  return {
    handler,
    started,
    overlap,
    ids: () => started.map((run) => run.id),
    release: (job: Job) => gate(jobId(job)).resolve(),
    fail: (job: Job, error: unknown) => gate(jobId(job)).reject(error),
    /** The run of `job` (the latest when it ran more than once). */
    run: (job: Job) => {
      const found = started.filter((run) => run.id === jobId(job)).at(-1);
      if (!found) throw new Error(`${jobId(job)} has not started`);
      return found;
    },
    waitStarted: (count: number) => waitFor(() => started.length >= count, `${count} runs to start`),
  };
}

/** Whether `promise` settles within `ms` (the callbacks and timers due meanwhile having run). */
async function settledWithin(promise: Promise<unknown>, ms = 20): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const over = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      over,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

describe('InProcessQueue: duplicates', () => {
  it('answers duplicate for a job with the same id while it is queued, running, or done', async () => {
    const queue = newQueue();
    const a = review('aaaa111');
    expect(await queue.enqueue(a)).toBe('queued');
    // A redelivery (other delivery id), and the same pull request with other letter cases: the same id.
    expect(await queue.enqueue({ ...a, deliveryId: 'redelivery' })).toBe('duplicate');
    expect(await queue.enqueue({ ...a, owner: OWNER.toUpperCase(), repo: REPO.toLowerCase() })).toBe('duplicate');
    // A re-requested check run of the same commit is other work (its own id), queued once too.
    const rerun = review('aaaa111', 1, { rerun: true, deliveryId: 'rerun:1' });
    expect(await queue.enqueue(rerun)).toBe('queued');
    expect(await queue.enqueue(rerun)).toBe('duplicate');
    // Another pull request at the same commit is not the same job.
    expect(await queue.enqueue(review('aaaa111', 2))).toBe('queued');
    expect(await queue.depth()).toEqual({ waiting: 3, active: 0, delayed: 0 });

    const runs = heldHandler();
    queue.process(runs.handler, 1);
    await runs.waitStarted(1);
    expect(runs.ids()).toEqual([jobId(a)]);
    expect(await queue.enqueue(a), 'running').toBe('duplicate');
    runs.release(a);
    await runs.waitStarted(2);
    expect(await queue.enqueue(a), 'done').toBe('duplicate');
    runs.release(rerun);
    runs.release(review('aaaa111', 2));
    await queue.idle();
    expect(runs.ids()).toEqual([jobId(a), jobId(rerun), jobId(review('aaaa111', 2))]);
  });

  it('refuses a second process() call', () => {
    const queue = newQueue();
    queue.process(async () => undefined, 1);
    expect(() => queue.process(async () => undefined, 1)).toThrow(/twice/);
  });
});

describe('InProcessQueue: one pull request at a time', () => {
  it('never runs two jobs of one pull request at once, in the order they were queued, while other pull requests run beside them', async () => {
    const queue = newQueue();
    const runs = heldHandler();
    queue.process(runs.handler, 4);
    const a = review('aaaa111');
    const merged = growth(1);
    const b = review('bbbb222');
    const other = review('cccc333', 2);
    expect(await queue.enqueue(a)).toBe('queued');
    await runs.waitStarted(1);
    // Queued while `a` runs (so `a`, not queued any more, is not dropped by `b`).
    expect(await queue.enqueue(merged)).toBe('queued');
    expect(await queue.enqueue(b)).toBe('queued');
    expect(await queue.enqueue(other)).toBe('queued');
    await runs.waitStarted(2);
    await sleep(30);
    // Four slots, but pull request 1 has one of them: the other pull request runs beside it.
    expect(runs.ids()).toEqual([jobId(a), jobId(other)]);
    expect(await queue.depth()).toEqual({ waiting: 2, active: 2, delayed: 0 });

    runs.release(a);
    await runs.waitStarted(3);
    await sleep(30);
    expect(runs.ids()).toEqual([jobId(a), jobId(other), jobId(merged)]);
    runs.release(merged);
    await runs.waitStarted(4);
    runs.release(b);
    runs.release(other);
    await queue.idle();

    expect(runs.ids()).toEqual([jobId(a), jobId(other), jobId(merged), jobId(b)]);
    expect(runs.overlap.maxPerKey.get(KEY_1)).toBe(1);
    expect(runs.overlap.maxRunning).toBe(2);
  });

  it('keeps one pull request to one run at a time when many jobs of it come at once, failing ones included', async () => {
    const queue = newQueue({ attempts: 2, backoffMs: 5 });
    const overlap = new Overlap();
    let calls = 0;
    queue.process(async (job, control) => {
      calls++;
      overlap.enter(jobKey(job));
      try {
        await sleep(3);
        if (job.kind === 'review' && job.rerun && control.attempt === 1) throw new Error('flaky');
      } finally {
        overlap.leave(jobKey(job));
      }
    }, 8);
    // Re-runs of one commit (not superseded) and growth, for two pull requests.
    for (let i = 0; i < 6; i++) {
      await queue.enqueue(review('aaaa111', 1, { rerun: true, deliveryId: `rerun-${i}` }));
      await queue.enqueue(review('dddd444', 2, { rerun: true, deliveryId: `rerun-${i}` }));
    }
    await queue.enqueue(growth(1));
    await queue.enqueue(growth(2));
    await queue.idle();
    expect(calls).toBe(2 * 6 * 2 + 2);
    expect(overlap.maxPerKey.get(KEY_1)).toBe(1);
    expect(overlap.maxPerKey.get(KEY_2)).toBe(1);
    expect(overlap.maxRunning).toBe(2);
  });
});

describe('InProcessQueue: a newer head supersedes', () => {
  it('tells the running review the newer head, and keeps queued reviews of other heads (deliveries arrive out of order; each job asks GitHub when it starts)', async () => {
    const queue = newQueue();
    const runs = heldHandler();
    queue.process(runs.handler, 2);
    const a = review('aaaa111');
    const b = review('bbbb222');
    const c = review('cccc333');
    await queue.enqueue(a);
    await runs.waitStarted(1);
    const running = runs.run(a).control;
    expect(await running.newerHead()).toBeUndefined();

    expect(await queue.enqueue(b)).toBe('queued');
    expect(await running.newerHead()).toBe('bbbb222');
    expect(await queue.depth()).toEqual({ waiting: 1, active: 1, delayed: 0 });
    // `c` is newer still: `a` hears of `c`; `b` waits its turn (it will find it is not the head and end).
    expect(await queue.enqueue(c)).toBe('queued');
    expect(await running.newerHead()).toBe('cccc333');
    expect(await queue.depth()).toEqual({ waiting: 2, active: 1, delayed: 0 });

    runs.release(a);
    await runs.waitStarted(2);
    expect(await runs.run(b).control.newerHead()).toBe('cccc333');
    runs.release(b);
    await runs.waitStarted(3);
    expect(await runs.run(c).control.newerHead(), 'the newest review is superseded by nothing').toBeUndefined();
    runs.release(c);
    await queue.idle();
    expect(runs.ids()).toEqual([jobId(a), jobId(b), jobId(c)]);
  });

  it('drops no growth job, no re-run of the same head and no other pull request, and growth is never superseded', async () => {
    const queue = newQueue();
    const runs = heldHandler();
    queue.process(runs.handler, 1);
    const blocker = review('0000000', 9);
    await queue.enqueue(blocker);
    await runs.waitStarted(1);
    const merged = growth(1);
    const rerun = review('bbbb222', 1, { rerun: true, deliveryId: 'rerun-1' });
    const otherPull = review('aaaa111', 2);
    for (const job of [merged, rerun, otherPull]) expect(await queue.enqueue(job)).toBe('queued');
    expect(await queue.enqueue(review('bbbb222'))).toBe('queued');
    expect(await queue.depth()).toEqual({ waiting: 4, active: 1, delayed: 0 });

    runs.release(blocker);
    await runs.waitStarted(2);
    expect(runs.run(merged).control.attempt).toBe(1);
    expect(await runs.run(merged).control.newerHead()).toBeUndefined();
    for (const job of [merged, rerun, otherPull, review('bbbb222')]) runs.release(job);
    await queue.idle();
    expect(runs.ids()).toEqual([jobId(blocker), jobId(merged), jobId(rerun), jobId(otherPull), jobId(review('bbbb222'))]);
  });
});

describe('InProcessQueue: concurrency', () => {
  it('runs jobs of different pull requests at once, up to `concurrency`', async () => {
    const queue = newQueue();
    const runs = heldHandler();
    queue.process(runs.handler, 2);
    const jobs = [1, 2, 3, 4].map((pull) => review(`sha${pull}`, pull));
    for (const job of jobs) await queue.enqueue(job);
    await runs.waitStarted(2);
    await sleep(30);
    expect(runs.ids()).toEqual([jobId(jobs[0]!), jobId(jobs[1]!)]);
    expect(await queue.depth()).toEqual({ waiting: 2, active: 2, delayed: 0 });

    runs.release(jobs[1]!);
    await runs.waitStarted(3);
    expect(runs.ids()[2]).toBe(jobId(jobs[2]!));
    expect(runs.overlap.running).toBe(2);
    for (const job of jobs) runs.release(job);
    await queue.idle();
    expect(runs.ids()).toHaveLength(4);
    expect(runs.overlap.maxRunning).toBe(2);
  });

  it('takes a concurrency below 1 as 1', async () => {
    const queue = newQueue();
    const runs = heldHandler();
    queue.process(runs.handler, 0);
    await queue.enqueue(review('a', 1));
    await queue.enqueue(review('b', 2));
    await runs.waitStarted(1);
    await sleep(20);
    expect(runs.started).toHaveLength(1);
    runs.release(review('a', 1));
    runs.release(review('b', 2));
    await queue.idle();
    expect(runs.started).toHaveLength(2);
  });
});

describe('InProcessQueue: retries', () => {
  it('retries a failing job after an exponential backoff with the attempt counted, up to `attempts`, then forgets it', async () => {
    const backoffMs = 40;
    const queue = newQueue({ attempts: 3, backoffMs });
    const tries: { attempt: number; attempts: number; runId: string; at: number }[] = [];
    queue.process(async (_job, control) => {
      tries.push({ attempt: control.attempt, attempts: control.attempts, runId: control.runId, at: performance.now() });
      throw new Error('the model is down');
    }, 1);
    const job = review('aaaa111');
    expect(await queue.enqueue(job)).toBe('queued');
    await waitFor(() => tries.length === 1, 'the first attempt');
    await sleep(5);
    // Waiting out its backoff: delayed, and still the same job.
    expect(await queue.depth()).toEqual({ waiting: 0, active: 0, delayed: 1 });
    expect(await queue.enqueue(job)).toBe('duplicate');

    await queue.idle();
    expect(tries.map((t) => [t.attempt, t.attempts])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(new Set(tries.map((t) => t.runId)).size, 'a run id per attempt').toBe(3);
    // Backoff doubles: >= 40 ms, then >= 80 ms (a timer never fires early; allow 2 ms of clock rounding).
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(backoffMs - 2);
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(2 * backoffMs - 2);
    expect(await queue.depth()).toEqual({ waiting: 0, active: 0, delayed: 0 });

    // Failed for good: not remembered, so a redelivery or "Re-run" queues it again, from attempt 1.
    expect(await queue.enqueue(job)).toBe('queued');
    await queue.idle();
    expect(tries.map((t) => t.attempt)).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it('remembers a job that succeeded on a retry', async () => {
    const queue = newQueue({ attempts: 3, backoffMs: 5 });
    const attempts: number[] = [];
    queue.process(async (_job, control) => {
      attempts.push(control.attempt);
      if (control.attempt === 1) throw new Error('flaky');
    }, 1);
    const job = review('aaaa111');
    await queue.enqueue(job);
    await queue.idle();
    expect(attempts).toEqual([1, 2]);
    expect(await queue.enqueue(job)).toBe('duplicate');
  });

  it('does not retry a job stopped by a ShutdownError', async () => {
    const queue = newQueue({ attempts: 3, backoffMs: 5 });
    let calls = 0;
    queue.process(async () => {
      calls++;
      throw new ShutdownError();
    }, 1);
    await queue.enqueue(review('aaaa111'));
    await queue.idle();
    await sleep(30);
    expect(calls).toBe(1);
    expect(await queue.depth()).toEqual({ waiting: 0, active: 0, delayed: 0 });
  });

  it('treats a handler that throws before returning a promise as a failed attempt', async () => {
    const queue = newQueue({ attempts: 2, backoffMs: 5 });
    const attempts: number[] = [];
    const handler = ((_job: Job, control: JobControl) => {
      attempts.push(control.attempt);
      if (control.attempt === 1) throw new Error('thrown at once');
      return Promise.resolve();
    }) as JobHandler;
    queue.process(handler, 1);
    expect(await queue.enqueue(review('aaaa111'))).toBe('queued');
    await queue.idle();
    expect(attempts).toEqual([1, 2]);
    // The queue still works.
    expect(await queue.enqueue(review('bbbb222', 2))).toBe('queued');
    await queue.idle();
    expect(attempts).toEqual([1, 2, 1, 2]);
  });
});

describe('InProcessQueue: remembering done jobs', () => {
  it('drops a done job’s redelivery until `rememberDoneMs` has passed since it finished', async () => {
    let clock = 1_000_000;
    const queue = newQueue({ rememberDoneMs: 1_000, now: () => clock });
    queue.process(async () => undefined, 1);
    const x = review('aaaa111', 1);
    const y = review('bbbb222', 2);
    await queue.enqueue(x);
    await queue.idle();
    clock += 500;
    await queue.enqueue(y);
    await queue.idle();

    clock += 500; // x finished 1000 ms ago: still remembered
    expect(await queue.enqueue(x)).toBe('duplicate');
    clock += 1; // 1001 ms: forgotten; y (500 ms later) is still remembered
    expect(await queue.enqueue(y)).toBe('duplicate');
    expect(await queue.enqueue(x)).toBe('queued');
    await queue.idle();
    clock += 500;
    expect(await queue.enqueue(y)).toBe('queued');
    expect(await queue.enqueue(x), 'x finished again at the previous tick').toBe('duplicate');
    await queue.idle();
  });
});

describe('InProcessQueue: close', () => {
  it('waits for running jobs that end within the grace period, without aborting them', async () => {
    const queue = newQueue();
    let signal: AbortSignal | undefined;
    let finished = false;
    queue.process(async (_job, control) => {
      signal = control.signal;
      await sleep(60);
      finished = true;
    }, 1);
    await queue.enqueue(review('aaaa111'));
    await waitFor(() => signal !== undefined, 'the job to start');
    const started = performance.now();
    await queue.close(5_000);
    expect(finished).toBe(true);
    expect(signal?.aborted).toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('aborts the running jobs with a ShutdownError once the grace period is over, and waits for them to stop', async () => {
    const queue = newQueue({ attempts: 3, backoffMs: 5 });
    const reasons: unknown[] = [];
    let stoppedAt = 0;
    queue.process(async (_job, control) => {
      try {
        // Ends by itself after 3 s, so a queue that never aborts fails this test instead of hanging it.
        await Promise.race([untilAborted(control.signal), sleep(3_000)]);
        throw new Error('never aborted');
      } catch (reason) {
        reasons.push(reason);
        // Completing its check run as cancelled takes a moment: close waits for it.
        await sleep(50);
        stoppedAt = performance.now();
        throw reason;
      }
    }, 2);
    await queue.enqueue(review('aaaa111', 1));
    await queue.enqueue(review('bbbb222', 2));
    await waitFor(async () => (await queue.depth()).active === 2, 'two jobs to run');
    const started = performance.now();
    expect(await settledWithin(queue.close(100), 2_000), 'close() returns once the aborted jobs stopped').toBe(true);
    const closedAt = performance.now();
    expect(closedAt - started).toBeGreaterThanOrEqual(98);
    expect(reasons).toHaveLength(2);
    for (const reason of reasons) expect(reason).toBeInstanceOf(ShutdownError);
    expect(closedAt).toBeGreaterThanOrEqual(stoppedAt);
    // Stopped by the shutdown: not retried.
    expect(await queue.depth()).toEqual({ waiting: 0, active: 0, delayed: 0 });
    await queue.idle();
  });

  it('drops what is queued or waiting to be retried, runs nothing more, and refuses new jobs', async () => {
    const queue = newQueue({ attempts: 3, backoffMs: 60_000 });
    const calls: string[] = [];
    queue.process(async (job, control) => {
      calls.push(jobId(job));
      if (job.pullNumber === 3) throw new Error('fails, to be retried in a minute');
      await untilAborted(control.signal);
    }, 1);
    await queue.enqueue(review('cccc333', 3));
    await waitFor(async () => (await queue.depth()).delayed === 1, 'the failing job to wait for its retry');
    await queue.enqueue(review('aaaa111', 1));
    await waitFor(() => calls.length === 2, 'the blocking job to start');
    await queue.enqueue(growth(1));
    expect(await queue.depth()).toEqual({ waiting: 1, active: 1, delayed: 1 });
    await expect(queue.ping()).resolves.toBeUndefined();

    const idle = queue.idle();
    await queue.close(10);
    expect(await queue.depth()).toEqual({ waiting: 0, active: 0, delayed: 0 });
    expect(await settledWithin(idle)).toBe(true);
    await sleep(30);
    expect(calls).toEqual([jobId(review('cccc333', 3)), jobId(review('aaaa111', 1))]);
    await expect(queue.enqueue(review('dddd444', 4))).rejects.toBeInstanceOf(ShutdownError);
    await expect(queue.ping()).rejects.toBeInstanceOf(ShutdownError);
  });

  it('closes at once when nothing runs', async () => {
    const queue = newQueue();
    const started = performance.now();
    await queue.close(10_000);
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(queue.enqueue(review('aaaa111'))).rejects.toThrow(ShutdownError);
  });
});

describe('InProcessQueue: idle()', () => {
  it('resolves only once nothing is queued, running or waiting for a retry', async () => {
    const queue = newQueue({ attempts: 2, backoffMs: 80 });
    await expect(settledWithin(queue.idle(), 0)).resolves.toBe(true);

    const gate = deferred();
    let calls = 0;
    queue.process(async (job) => {
      calls++;
      if (job.pullNumber === 1) await gate.promise;
      else if (calls === 2) throw new Error('fails once');
    }, 2);
    await queue.enqueue(review('aaaa111', 1));
    expect(await settledWithin(queue.idle()), 'a job runs').toBe(false);
    gate.resolve();
    await queue.idle();

    await queue.enqueue(review('bbbb222', 2));
    const idle = queue.idle();
    await waitFor(async () => (await queue.depth()).delayed === 1, 'the retry to be waiting');
    expect(await settledWithin(idle), 'a job waits to be retried').toBe(false);
    await idle;
    expect(calls).toBe(3);
    expect(await queue.depth()).toEqual({ waiting: 0, active: 0, delayed: 0 });
  });

  it('does not resolve while jobs wait for process()', async () => {
    const queue = newQueue();
    await queue.enqueue(review('aaaa111'));
    const idle = queue.idle();
    expect(await settledWithin(idle)).toBe(false);
    queue.process(async () => undefined, 1);
    await idle;
  });
});

describe('InProcessQueue: isLive()', () => {
  it('is true only for the run that holds the pull request now', async () => {
    const queue = newQueue();
    const runs = heldHandler();
    queue.process(runs.handler, 2);
    const a = review('aaaa111', 1);
    await queue.enqueue(a);
    await runs.waitStarted(1);
    const { control } = runs.run(a);
    expect(await control.isLive(KEY_1, control.runId)).toBe(true);
    expect(await control.isLive(KEY_1, 'another-run')).toBe(false);
    expect(await control.isLive(KEY_2, control.runId)).toBe(false);

    runs.release(a);
    await queue.idle();
    expect(await control.isLive(KEY_1, control.runId), 'after it finished').toBe(false);

    // The next job of the pull request holds it with its own run id.
    const b = review('bbbb222', 1);
    await queue.enqueue(b);
    await runs.waitStarted(2);
    const next = runs.run(b).control;
    expect(next.runId).not.toBe(control.runId);
    expect(await next.isLive(KEY_1, next.runId)).toBe(true);
    expect(await next.isLive(KEY_1, control.runId)).toBe(false);
    runs.release(b);
    await queue.idle();
  });

  it('is true for a run asking about itself before its first await', async () => {
    const queue = newQueue();
    let live: Promise<boolean> | undefined;
    queue.process((job, control) => {
      live = control.isLive(jobKey(job), control.runId);
      return live.then(() => undefined);
    }, 1);
    await queue.enqueue(review('aaaa111'));
    await queue.idle();
    expect(await live).toBe(true);
  });
});
