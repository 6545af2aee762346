// `npm run worker`: a process that only runs jobs from the Redis queue the App instances fill
// (REDIS_URL required), as many at once as SECCODER_WORKERS. It answers no webhook; with PORT set
// it serves /healthz, /readyz and /metrics there. SIGTERM stops it gracefully (shutdown.ts).
import type { Server } from 'node:http';
import { productionDependencies, startWorkers } from './app.js';
import { DEFAULT_WORKERS } from './app-dependencies.js';
import { runMain } from './server/run-main.js';
import { createRuntime } from './server/runtime.js';
import { loadServerSettings } from './server/server-settings.js';
import { stopGracefully } from './server/shutdown.js';
import { startOpsServer } from './server/start-server.js';

async function main(): Promise<void> {
  const settings = loadServerSettings(process.env, undefined, 'worker');
  const runtime = await createRuntime(settings, productionDependencies());
  const workers = settings.workers ?? DEFAULT_WORKERS;
  startWorkers(runtime.probot, runtime.queue, runtime.deps, workers);
  const servers: Server[] = process.env.PORT ? [await startOpsServer(settings.port, runtime)] : [];
  stopGracefully({ servers, queue: runtime.queue, log: runtime.probot.log });
  runtime.probot.log.info({ queue: runtime.queue.description, workers }, 'SecCoder worker is taking jobs');
}

await runMain(main);
