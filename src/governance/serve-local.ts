// The corpus page for one operator on their own machine (`seccoder corpus serve`): an HTTP server
// on a loopback address only, answering only requests whose Host header names that address (or
// localhost) and its port, so a web page elsewhere cannot reach it through DNS rebinding; a
// cross-site form post fails both the Origin check and the CSRF token, which is random per process.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { SecCoderError } from '../errors/seccoder-error.js';
import type { LocalCorpusStore } from '../corpus/local-store.js';
import { createCorpusPage } from './corpus-page.js';
import type { PageAccess } from './page-types.js';
import { sendJson } from './responses.js';
import { localStoreVersion } from './store-version.js';

export const DEFAULT_SERVE_PORT = 8080;
export const DEFAULT_SERVE_HOST = '127.0.0.1';

/** `corpus serve` could not start: a non-loopback host, a port in use. */
export class LocalServeError extends SecCoderError {
  override name = 'LocalServeError';
}

/** The address to listen on for `host`: 127.0.0.0/8, ::1, or localhost (as 127.0.0.1); throws for anything else. */
export function loopbackAddress(host: string): string {
  const trimmed = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (trimmed === 'localhost') return DEFAULT_SERVE_HOST;
  if (isIP(trimmed) === 4 && trimmed.split('.')[0] === '127') return trimmed;
  if (trimmed === '::1') return '::1';
  throw new LocalServeError(`--host ${host} is not a loopback address: corpus serve is for one operator on this machine`, {
    hint: 'use 127.0.0.1 (the default); the App serves the page to an org behind GitHub sign-in',
  });
}

export interface LocalServeOptions {
  store: LocalCorpusStore;
  /** A loopback address (default 127.0.0.1). */
  host?: string;
  /** Default 8080; 0 takes any free port. */
  port?: number;
  /** `cli:<os user>`, recorded as the actor of retirements. */
  actor: string;
  /** False for a corpus that is not the user's (the bundled seed): the page shows no write control. */
  canWrite: boolean;
  readOnlyNote?: string;
  title?: string;
  onError?: (error: unknown) => void;
}

export interface LocalServer {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  host: string;
  port: number;
  /** Stops accepting, drops open connections, and resolves once the server is closed. */
  close(): Promise<void>;
}

const hostLiteral = (address: string) => (address.includes(':') ? `[${address}]` : address);

export async function serveCorpusPageLocally(options: LocalServeOptions): Promise<LocalServer> {
  const address = loopbackAddress(options.host ?? DEFAULT_SERVE_HOST);
  const access: PageAccess = { actor: options.actor, canWrite: options.canWrite, csrfToken: randomBytes(32).toString('base64url') };
  const page = createCorpusPage({
    store: options.store,
    basePath: '',
    title: options.title ?? 'SecCoder corpus',
    version: localStoreVersion(options.store),
    ...(options.readOnlyNote ? { readOnlyNote: options.readOnlyNote } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  let allowedHosts = new Set<string>();

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const host = (request.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(host)) {
      sendJson(request, response, 403, { error: `this server answers only for ${[...allowedHosts].join(' or ')}` });
      return;
    }
    // Browsers send Origin on every POST; one that is not this server's is another site's form.
    const origin = request.headers.origin;
    if (request.method === 'POST' && origin !== undefined && !allowedHosts.has(origin.toLowerCase().replace(/^http:\/\//, ''))) {
      sendJson(request, response, 403, { error: 'cross-origin writes are refused' });
      return;
    }
    let path: string;
    try {
      path = new URL(request.url ?? '/', `http://${host}`).pathname;
    } catch {
      sendJson(request, response, 400, { error: 'unreadable request target' });
      return;
    }
    void page(request, response, access, path);
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const port = options.port ?? DEFAULT_SERVE_PORT;
      if (error.code === 'EADDRINUSE')
        reject(new LocalServeError(`port ${port} on ${address} is in use`, { hint: 'pass --port <another>, or --port 0 for any free one' }));
      else if (error.code === 'EACCES') reject(new LocalServeError(`not allowed to listen on port ${port}`, { hint: 'pass a port above 1023' }));
      else reject(error);
    };
    server.once('error', onError);
    server.listen(options.port ?? DEFAULT_SERVE_PORT, address, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : (options.port ?? DEFAULT_SERVE_PORT);
  allowedHosts = new Set([`${hostLiteral(address)}:${port}`, `localhost:${port}`]);

  return {
    url: `http://${hostLiteral(address)}:${port}/`,
    host: address,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
