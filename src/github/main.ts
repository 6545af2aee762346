// `npm start`: the App's webhook server. Settings come from the environment (`loadServerSettings`:
// APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, WEBHOOK_PATH); a missing or
// unusable one stops the server with one line naming what to set. Importing this file starts it:
// tests use `loadServerSettings` and `startServer` from their own modules.
import { productionDependencies } from './app.js';
import { loadServerSettings, ServerSettingsError, type ServerSettings } from './server/server-settings.js';
import { startServer } from './server/start-server.js';

async function main(): Promise<void> {
  let settings: ServerSettings;
  try {
    settings = loadServerSettings(process.env);
  } catch (error) {
    if (!(error instanceof ServerSettingsError)) throw error;
    console.error(`seccoder: ${error.message}`);
    process.exitCode = 1;
    return;
  }
  try {
    await startServer(settings, productionDependencies());
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      console.error(`seccoder: cannot listen on port ${settings.port} (${code}): set PORT to a free port`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

await main();
