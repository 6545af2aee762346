// The App as a plain Node HTTP server: probot's webhook middleware (signature check, then the
// handlers of `createApp`) on one path, 404 everywhere else.
import { createServer, type Server } from 'node:http';
import { createNodeMiddleware, Probot } from 'probot';
import { createApp, type AppDependencies } from '../app.js';
import type { ServerSettings } from './server-settings.js';

/**
 * Starts the webhook server; resolves once it listens (`settings.port` 0: any free port). `probot`
 * defaults to one built from the settings (its Octokit retries and throttles).
 */
export async function startServer(settings: ServerSettings, deps: AppDependencies, probot?: Probot): Promise<Server> {
  const app = probot ?? new Probot({ appId: settings.appId, privateKey: settings.privateKey, secret: settings.webhookSecret });
  const middleware = await createNodeMiddleware(createApp(deps), { probot: app, webhooksPath: settings.webhookPath });
  const server = createServer((request, response) => {
    void middleware(request, response, () => {
      response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(settings.port, resolve));
  app.log.info({ port: settings.port, path: settings.webhookPath }, 'SecCoder is listening for webhooks');
  return server;
}
