// A real HTTP server around the page for tests (port 0 on 127.0.0.1, closed after each test), and
// a request function over node:http that can send any method, header (Host and Origin included,
// which fetch will not set) and body.
import { createServer, request as httpRequest, type Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { LocalCorpusStore } from '../../src/corpus/local-store.js';
import { createCorpusPage } from '../../src/governance/corpus-page.js';
import type { CorpusPageOptions, PageAccess } from '../../src/governance/page-types.js';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Default: a fresh connection per request (a closed server then refuses, instead of a reused socket hanging up). */
  agent?: Agent | false;
}

export function send(base: string, path: string, options: RequestOptions = {}): Promise<Reply> {
  const url = new URL(`${base}${path}`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export function form(fields: Record<string, string>): RequestOptions {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}

export function json(value: unknown, token?: string): RequestOptions {
  return { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { 'x-csrf-token': token } : {}) }, body: JSON.stringify(value) };
}

export const WRITER: PageAccess = { actor: 'octo-admin', canWrite: true, csrfToken: 'token-of-this-session-0123456789' };
export const READER: PageAccess = { actor: 'octo-reader', canWrite: false, csrfToken: 'token-of-the-reader-0123456789' };

export interface PageServer {
  base: string;
  store: LocalCorpusStore;
  errors: unknown[];
}

/** Serves the page over the corpus in `dir` under `basePath`, to a reader with `access`. */
export function usePageServer(): (dir: string, access: PageAccess, options?: Partial<CorpusPageOptions>) => Promise<PageServer> {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });
  return async (dir, access, options = {}) => {
    const store = new LocalCorpusStore(dir);
    const errors: unknown[] = [];
    const basePath = options.basePath ?? '/corpus/acme';
    const page = createCorpusPage({ store, basePath, title: 'acme corpus', onError: (error) => errors.push(error), ...options });
    const server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      if (!path.startsWith(basePath)) {
        response.writeHead(418).end();
        return;
      }
      void page(request, response, access, path.slice(basePath.length));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { base: `http://127.0.0.1:${port}${basePath}`, store, errors };
  };
}
