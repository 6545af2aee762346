// The App as a plain Node HTTP server: on the webhook path, the body is read capped and its
// signature checked as it streams (webhook-body.ts), then probot's webhook middleware runs the
// handlers of `createApp`; 404 everywhere else.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Probot } from 'probot';
import { createApp, type AppDependencies } from '../app.js';
import { DEFAULT_LOG_FORMAT, DEFAULT_LOG_LEVEL, type ServerSettings } from './server-settings.js';
import { GITHUB_WEBHOOK_MAX_BYTES, readWebhookBody } from './webhook-body.js';

/**
 * Starts the webhook server; resolves once it listens (`settings.port` 0: any free port), rejects
 * when it cannot (e.g. EADDRINUSE). `probot` defaults to one built from the settings (its Octokit
 * retries and throttles).
 */
export async function startServer(
  settings: ServerSettings,
  deps: AppDependencies,
  probot?: Probot,
  /** Largest webhook body accepted, in bytes (tests lower it). Default GitHub's 25 MB. */
  maxWebhookBytes = GITHUB_WEBHOOK_MAX_BYTES,
): Promise<Server> {
  const app =
    probot ??
    new Probot({
      appId: settings.appId,
      privateKey: settings.privateKey,
      secret: settings.webhookSecret,
      logLevel: settings.logLevel ?? DEFAULT_LOG_LEVEL,
      logFormat: settings.logFormat ?? DEFAULT_LOG_FORMAT,
      // GitHub Enterprise Server: every API call, the App's token exchange included, goes there.
      ...(settings.apiBaseUrl ? { baseUrl: settings.apiBaseUrl } : {}),
    });
  const middleware = await createNodeMiddleware(createApp(deps), { probot: app, webhooksPath: settings.webhookPath });
  const notFound = (response: ServerResponse) => response.writeHead(404).end();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'POST' || path !== settings.webhookPath) {
      void middleware(request, response, () => notFound(response));
      return;
    }
    void (async () => {
      const read = await readWebhookBody(request, settings.webhookSecret, maxWebhookBytes);
      if (!read.ok) {
        app.log.warn({ status: read.status, reason: read.reason, delivery: request.headers['x-github-delivery'] }, 'webhook refused');
        // The rest of a refused body is not read: close the connection once the answer is out.
        response.writeHead(read.status, { 'content-type': 'text/plain', connection: 'close' }).end(`${read.reason}\n`, () => request.destroy());
        return;
      }
      // @octokit/webhooks takes a string body as the payload instead of reading the stream again.
      (request as IncomingMessage & { body?: string }).body = read.body;
      await middleware(request, response, () => notFound(response));
    })();
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
  app.log.info(
    { port: (server.address() as AddressInfo).port, path: settings.webhookPath, github: settings.apiBaseUrl ?? 'https://api.github.com' },
    'SecCoder is listening for webhooks',
  );
  return server;
}
