// `npm start`: the App's webhook server, with its own workers unless SECCODER_WORKERS is 0.
// Settings come from the environment (`loadServerSettings`: APP_ID, PRIVATE_KEY or
// PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, WEBHOOK_PATH, REDIS_URL, SECCODER_WORKERS, …); a
// missing or unusable one stops the server with one line naming what to set. Importing this file
// starts it: tests use `loadServerSettings` and `startServer` from their own modules.
import { productionDependencies } from './app.js';
import { runMain } from './server/run-main.js';
import { createRuntime } from './server/runtime.js';
import { loadServerSettings, ServerSettingsError } from './server/server-settings.js';
import { stopGracefully } from './server/shutdown.js';
import { startServer } from './server/start-server.js';

async function main(): Promise<void> {
  const settings = loadServerSettings(process.env);
  const runtime = await createRuntime(settings, productionDependencies());
  try {
    const server = await startServer(settings, runtime.deps, { probot: runtime.probot, ops: runtime });
    stopGracefully({ servers: [server], queue: runtime.queue, log: runtime.probot.log });
    runtime.probot.log.info({ queue: runtime.queue.description, workers: runtime.deps.workers }, 'job queue ready');
  } catch (error) {
    await runtime.queue.close(0).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new ServerSettingsError('PORT', `cannot listen on port ${settings.port} (${code}): set PORT to a free port`, { cause: error });
    }
    throw error;
  }
}

await runMain(main);
