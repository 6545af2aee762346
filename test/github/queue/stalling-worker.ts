// A worker process for redis-queue.test.ts to SIGKILL: it takes jobs from the Redis queue at
// REDIS_URL (lock LOCK_MS), says so on stdout (one JSON line per run) and never finishes them.
// The test bundles it with esbuild and runs it with node.
import { RedisQueue } from '../../../src/github/queue/redis-queue.js';
import { jobId, jobKey } from '../../../src/github/queue/job.js';

const url = process.env.REDIS_URL;
if (!url) throw new Error('REDIS_URL is not set');
const queue = new RedisQueue({ url, lockMs: Number(process.env.LOCK_MS ?? 2_000) });
await queue.ping();
queue.process(async (job, control) => {
  process.stdout.write(`${JSON.stringify({ event: 'started', id: jobId(job), key: jobKey(job), runId: control.runId, attempt: control.attempt })}\n`);
  await new Promise<never>(() => undefined);
}, 1);
process.stdout.write(`${JSON.stringify({ event: 'ready', pid: process.pid })}\n`);
