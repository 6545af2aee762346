// The App as a plain Node HTTP server. On the webhook path the body is read capped and its
// signature checked as it streams (webhook-body.ts); the delivery's job is queued (`eventIntake`),
// so GitHub gets `202 Accepted` as soon as it is, and the work runs in a worker. /healthz,
// /readyz and /metrics answer the operator (ops-routes.ts); /corpus is the corpus page behind
// GitHub sign-in when the settings turn it on (corpus-web/); 404 everywhere else.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Probot } from 'probot';
import { createApp, eventIntake, withQueue, type AppDependencies } from '../app.js';
import { createCorpusWeb } from '../corpus-web/corpus-web.js';
import { createCorpusPage } from '../../governance/corpus-page.js';
import type { CorpusPageHandler, CorpusPageOptions } from '../../governance/page-types.js';
import { createOpsRoutes, type Readiness } from '../ops/ops-routes.js';
import type { AppMetrics } from '../ops/metrics.js';
import type { ServerSettings } from './server-settings.js';
import { createProbot } from './runtime.js';
import { GITHUB_WEBHOOK_MAX_BYTES, readWebhookBody } from './webhook-body.js';

export interface ServerExtras {
  /** Default: one built from the settings (`createProbot`). */
  probot?: Probot;
  /** Largest webhook body accepted, in bytes (tests lower it). Default GitHub's 25 MB. */
  maxWebhookBytes?: number;
  /** /healthz, /readyz and /metrics; absent: those paths answer 404. */
  ops?: { metrics: Pick<AppMetrics, 'registry'>; readiness: Readiness };
  /** The corpus page served under /corpus when `settings.corpusWeb` is set. Default: src/governance's `createCorpusPage`. */
  corpusPage?: (options: CorpusPageOptions) => CorpusPageHandler;
}

function answer(response: ServerResponse, status: number, text: string, close = false): void {
  response.writeHead(status, { 'content-type': 'text/plain', ...(close ? { connection: 'close' } : {}) }).end(`${text}\n`);
}

/** Listens on `server`; resolves once it does, rejects when it cannot (e.g. EADDRINUSE) instead of an unhandled 'error' event. */
export function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts the webhook server; resolves once it listens (`settings.port` 0: any free port), rejects
 * when it cannot.
 */
export async function startServer(settings: ServerSettings, deps: AppDependencies, extras: ServerExtras = {}): Promise<Server> {
  const app = extras.probot ?? createProbot(settings);
  const maxWebhookBytes = extras.maxWebhookBytes ?? GITHUB_WEBHOOK_MAX_BYTES;
  // probot's logger exists once it has started (`load` waits for that).
  await app.load(() => undefined);
  const full = withQueue(deps, deps.log ?? app.log);
  await app.load(createApp(full));
  const intake = eventIntake(full.queue, full, full.log ?? app.log);
  const ops = extras.ops ? createOpsRoutes(extras.ops) : undefined;
  const corpusWeb = settings.corpusWeb
    ? createCorpusWeb({
        settings: settings.corpusWeb,
        github: { app: () => app.auth(), installation: (installationId) => app.auth(installationId) },
        corpus: deps.corpus,
        page: extras.corpusPage ?? createCorpusPage,
        log: full.log ?? app.log,
      })
    : undefined;
  const refused = (event: string | undefined) => deps.metrics?.webhookReceived(event ?? 'unknown', 'refused');

  const receive = async (request: IncomingMessage, response: ServerResponse) => {
    const event = request.headers['x-github-event'];
    const delivery = request.headers['x-github-delivery'];
    const name = typeof event === 'string' ? event : undefined;
    const read = await readWebhookBody(request, settings.webhookSecret, maxWebhookBytes);
    if (!read.ok) {
      refused(name);
      app.log.warn({ status: read.status, reason: read.reason, delivery }, 'webhook refused');
      // The rest of a refused body is not read: close the connection once the answer is out.
      response.writeHead(read.status, { 'content-type': 'text/plain', connection: 'close' }).end(`${read.reason}\n`, () => request.destroy());
      return;
    }
    if (name === undefined || typeof delivery !== 'string') {
      refused(name);
      return answer(response, 400, 'missing X-GitHub-Event or X-GitHub-Delivery header');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(read.body);
    } catch {
      refused(name);
      return answer(response, 400, 'the body is not JSON (set the webhook content type to application/json)');
    }
    try {
      // Only the job is queued here (no GitHub call, no client made): this resolves in milliseconds.
      await intake(name, delivery, payload);
      answer(response, 202, 'accepted');
    } catch (error) {
      // The queue (Redis) could not take the job: a 5xx makes GitHub show the delivery as failed, to redeliver.
      app.log.error({ err: error, delivery, event: name }, 'could not queue the webhook');
      answer(response, 503, 'could not queue the delivery; redeliver it later');
    }
  };

  const server = createServer((request, response) => {
    // Node accepts request targets URL cannot parse (`http://[`): those are simply not the webhook path.
    const path = URL.canParse(request.url ?? '/', 'http://localhost') ? new URL(request.url ?? '/', 'http://localhost').pathname : undefined;
    if (request.method === 'POST' && path === settings.webhookPath) {
      void receive(request, response);
      return;
    }
    if (ops?.(request, response)) return;
    if (corpusWeb?.(request, response)) return;
    answer(response, 404, 'not found');
  });
  await listen(server, settings.port);
  // The port actually bound: `settings.port` may be 0.
  app.log.info(
    { port: (server.address() as AddressInfo).port, path: settings.webhookPath, github: settings.apiBaseUrl ?? 'https://api.github.com' },
    'SecCoder is listening for webhooks',
  );
  if (settings.corpusWeb) app.log.info({ url: `${settings.corpusWeb.publicUrl}/corpus/<org>` }, 'the corpus page is on');
  return server;
}

/** A server with only /healthz, /readyz and /metrics (a worker's). */
export async function startOpsServer(port: number, ops: NonNullable<ServerExtras['ops']>): Promise<Server> {
  const routes = createOpsRoutes(ops);
  const server = createServer((request, response) => {
    if (!routes(request, response)) answer(response, 404, 'not found');
  });
  await listen(server, port);
  return server;
}
