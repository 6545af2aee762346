// The App as a plain Node HTTP server: probot's webhook middleware (signature check, then the
// handlers of `createApp`) on one path, 404 everywhere else.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Probot } from 'probot';
import { createApp, type AppDependencies } from '../app.js';
import { DEFAULT_LOG_LEVEL, type ServerSettings } from './server-settings.js';

/**
 * Starts the webhook server; resolves once it listens (`settings.port` 0: any free port), rejects
 * when it cannot (e.g. EADDRINUSE). `probot` defaults to one built from the settings (its Octokit
 * retries and throttles).
 */
export async function startServer(settings: ServerSettings, deps: AppDependencies, probot?: Probot): Promise<Server> {
  const app =
    probot ??
    new Probot({ appId: settings.appId, privateKey: settings.privateKey, secret: settings.webhookSecret, logLevel: settings.logLevel ?? DEFAULT_LOG_LEVEL });
  const middleware = await createNodeMiddleware(createApp(deps), { probot: app, webhooksPath: settings.webhookPath });
  const server = createServer((request, response) => {
    void middleware(request, response, () => {
      response.writeHead(404).end();
    });
  });
  // A port in use (EADDRINUSE) rejects here instead of crashing the process as an unhandled 'error' event.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The port actually bound: `settings.port` may be 0.
  app.log.info({ port: (server.address() as AddressInfo).port, path: settings.webhookPath }, 'SecCoder is listening for webhooks');
  return server;
}
