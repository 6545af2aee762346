// /healthz, /readyz and /metrics served by a real node:http server on a free local port, in front
// of a stand-in for the webhook routes, fetched as a probe or Prometheus would.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, type AppMetrics } from '../../../src/github/ops/metrics.js';
import { createOpsRoutes, DEFAULT_READINESS_TIMEOUT_MS, type Readiness, type ReadyzBody } from '../../../src/github/ops/ops-routes.js';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const allOk: Readiness = async () => ({ corpus: { ok: true, detail: '891 entries' }, redis: { ok: true } });

/** Serves the ops routes, and 404 `webhooks` for everything they leave; resolves to the base URL. */
async function serve(options: { readiness?: Readiness; metrics?: AppMetrics; readinessTimeoutMs?: number } = {}): Promise<string> {
  const routes = createOpsRoutes({
    metrics: options.metrics ?? createMetrics(),
    readiness: options.readiness ?? allOk,
    readinessTimeoutMs: options.readinessTimeoutMs,
  });
  const server = createServer((request, response) => {
    if (!routes(request, response)) response.writeHead(404, { 'content-type': 'text/plain' }).end('webhooks\n');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createOpsRoutes', () => {
  it('/healthz answers 200 ok, to GET and HEAD, with a query string too', async () => {
    const base = await serve({ readiness: () => new Promise(() => undefined) });
    const get = await fetch(`${base}/healthz`);
    expect([get.status, await get.text(), get.headers.get('content-type')]).toEqual([200, 'ok\n', 'text/plain; charset=utf-8']);
    const head = await fetch(`${base}/healthz?probe=1`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it('/readyz: 200 with each check when all are ok', async () => {
    const response = await fetch(`${await serve()}/readyz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await response.json()) as ReadyzBody).toEqual({ ready: true, checks: { corpus: { ok: true, detail: '891 entries' }, redis: { ok: true } } });
  });

  it('/readyz: 503 naming the failed check when one fails', async () => {
    const readiness: Readiness = async () => ({ corpus: { ok: true }, redis: { ok: false, detail: 'connect ECONNREFUSED 127.0.0.1:6379' } });
    const response = await fetch(`${await serve({ readiness })}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      ready: false,
      checks: { corpus: { ok: true }, redis: { ok: false, detail: 'connect ECONNREFUSED 127.0.0.1:6379' } },
    });
  });

  it('/readyz: 503, not a hang, when the checks never answer', async () => {
    const base = await serve({ readiness: () => new Promise(() => undefined), readinessTimeoutMs: 200 });
    const started = Date.now();
    const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5000) });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ready: false, checks: { readiness: { ok: false, detail: 'the readiness checks did not answer within 200 ms' } } });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('/readyz: the default time limit is 2 s', async () => {
    expect(DEFAULT_READINESS_TIMEOUT_MS).toBe(2000);
    const base = await serve({ readiness: () => new Promise(() => undefined) });
    const started = Date.now();
    const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5000) });
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it('/readyz: 503 when the checks throw, synchronously or not; the server keeps serving', async () => {
    const base = await serve({
      readiness: () => {
        throw new Error('corpus folder unreadable');
      },
    });
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ready: false, checks: { readiness: { ok: false, detail: 'corpus folder unreadable' } } });
    const rejected = await fetch(`${await serve({ readiness: () => Promise.reject(new Error('redis: NOAUTH')) })}/readyz`);
    expect(rejected.status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('/metrics: the Prometheus text with the counters as called, in its content type', async () => {
    const metrics = createMetrics();
    metrics.webhookReceived('pull_request', 'queued');
    metrics.webhookReceived('check_run', 'ignored');
    metrics.skipped('cap-reached');
    metrics.suggestionsPosted(2);
    const response = await fetch(`${await serve({ metrics })}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await response.text();
    expect(body).toContain('seccoder_webhooks_total{event="pull_request",outcome="queued"} 1');
    expect(body).toContain('seccoder_webhooks_total{event="check_run",outcome="ignored"} 1');
    expect(body).toContain('seccoder_skips_total{reason="cap-reached"} 1');
    expect(body).toContain('seccoder_suggestions_posted_total 2');
    expect(body).toContain('# TYPE seccoder_job_duration_seconds histogram');
  });

  it('other paths are left to the caller; other methods on its paths get 405', async () => {
    const base = await serve();
    const webhook = await fetch(`${base}/api/github/webhooks`, { method: 'POST', body: '{}' });
    expect([webhook.status, await webhook.text()]).toEqual([404, 'webhooks\n']);
    expect((await fetch(`${base}/healthz/extra`)).status).toBe(404);
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('a request target no URL parser accepts is left to the caller, not thrown', async () => {
    const base = new URL(await serve());
    const statusLine = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(base.port), base.hostname, () => socket.write('GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      let answer = '';
      socket.on('data', (chunk) => (answer += String(chunk)));
      socket.on('end', () => resolve(answer.split('\r\n')[0] ?? ''));
      socket.on('error', reject);
      socket.setTimeout(3000, () => reject(new Error('no answer within 3 s')));
    });
    expect(statusLine).toBe('HTTP/1.1 404 Not Found');
  });
});
