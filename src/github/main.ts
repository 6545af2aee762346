// `npm start`: the App's webhook server. Settings come from the environment (`loadServerSettings`:
// APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, WEBHOOK_PATH); a missing or
// unusable one stops the server with one line naming what to set. Importing this file starts it:
// tests use `loadServerSettings` and `startServer` from their own modules.
import { bugReport, userErrorLine } from '../errors/seccoder-error.js';
import { productionDependencies } from './app.js';
import { loadServerSettings, ServerSettingsError } from './server/server-settings.js';
import { startServer } from './server/start-server.js';

async function main(): Promise<void> {
  const settings = loadServerSettings(process.env);
  try {
    await startServer(settings, productionDependencies());
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new ServerSettingsError('PORT', `cannot listen on port ${settings.port} (${code}): set PORT to a free port`, { cause: error });
    }
    throw error;
  }
}

try {
  await main();
} catch (error) {
  // A SecCoderError (a setting to fix) is one line; anything else is a bug, with its stack.
  const line = userErrorLine(error);
  console.error(line === undefined ? bugReport(error) : `seccoder: ${line}`);
  process.exitCode = 1;
}
