// The real webhook server (startServer on a free port): a delivery whose signature is not the
// HMAC of its body with the webhook secret is refused before any handler runs; a correctly
// signed one is accepted and handled.
import { createHmac, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { request as httpRequest, type ClientRequest, type Server } from 'node:http';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_PATH, type ServerSettings } from '../../../src/github/server/server-settings.js';
import { startServer } from '../../../src/github/server/start-server.js';
import { createMetrics } from '../../../src/github/ops/metrics.js';
import { INSTALLATION_ID, OWNER, PULL_NUMBER, pullRequestJson, pullRequestOpened } from '../../fixtures/github/app-events.js';
import { mockConfig, mockInstallationToken, mockPullRequest, REPO_PATH, testDependencies, useAppFixtures, WEBHOOK_SECRET } from './harness.js';

const fixtures = useAppFixtures();
let server: Server;
let url: string;
let deps: ReturnType<typeof testDependencies>;

const settings = (port: number): ServerSettings => ({
  appId: 123,
  privateKey: fixtures.privateKey,
  webhookSecret: WEBHOOK_SECRET,
  port,
  webhookPath: DEFAULT_WEBHOOK_PATH,
  // The refused delivery is logged at error level; keep the test output clean.
  logLevel: 'fatal',
});

beforeAll(async () => {
  // The server is local; GitHub and the model stay mocked.
  nock.enableNetConnect('127.0.0.1');
  deps = testDependencies(fixtures.corpus);
  server = await startServer(settings(0), deps);
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${DEFAULT_WEBHOOK_PATH}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

function post(body: string, signature: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': signature,
    },
    body,
  });
}

const sign = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('webhook signature', () => {
  it('signed with another secret: refused with 400, and no handler runs (no GitHub call)', async () => {
    const body = JSON.stringify(pullRequestOpened({ draft: true }));
    const response = await post(body, sign(body, 'not-the-secret'));
    // @octokit/webhooks answers a signature mismatch with 400.
    expect(response.status).toBe(400);
    expect(fixtures.unmatched).toEqual([]);
  });

  it('signed with WEBHOOK_SECRET: accepted (202, queued) and handled (the draft reads the pull request and the config, then stops)', async () => {
    mockInstallationToken();
    mockPullRequest({ draft: true });
    mockConfig();
    const body = JSON.stringify(pullRequestOpened({ draft: true }));
    const response = await post(body, sign(body, WEBHOOK_SECRET));
    expect(response.status).toBe(202);
    await deps.queue.idle();
    expect(fixtures.unmatched).toEqual([]);
  });
});

describe('startServer', () => {
  it('a port already in use: rejects with EADDRINUSE (no unhandled error event)', async () => {
    const port = (server.address() as AddressInfo).port;
    await expect(startServer(settings(port), testDependencies(fixtures.corpus))).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('GitHub Enterprise Server', () => {
  it('with apiBaseUrl (GHE_HOST): the token exchange and every API call go to that server, none to github.com', async () => {
    const GHE = 'https://ghe.example.test';
    const gheDeps = testDependencies(fixtures.corpus);
    const ghe = await startServer({ ...settings(0), apiBaseUrl: `${GHE}/api/v3` }, gheDeps);
    try {
      const token = nock(GHE)
        .post(`/api/v3/app/installations/${INSTALLATION_ID}/access_tokens`)
        .reply(201, { token: 'ghs_test', expires_at: '2099-01-01T00:00:00Z', permissions: { checks: 'write', pull_requests: 'write', contents: 'read' } });
      const pull = nock(GHE)
        .get(`/api/v3${REPO_PATH}/pulls/${PULL_NUMBER}`)
        .reply(200, pullRequestJson({ draft: true }));
      const config = nock(GHE)
        .get(`/api/v3${REPO_PATH}/contents/.github%2Fseccoder.yml`)
        .reply(404, { message: 'Not Found' })
        .get(`/api/v3/repos/${OWNER}/.github/contents/.github%2Fseccoder.yml`)
        .reply(404, { message: 'Not Found' });
      const body = JSON.stringify(pullRequestOpened({ draft: true }));
      const gheUrl = `http://127.0.0.1:${(ghe.address() as AddressInfo).port}${DEFAULT_WEBHOOK_PATH}`;
      const response = await fetch(gheUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': sign(body, WEBHOOK_SECRET),
        },
        body,
      });
      expect(response.status).toBe(202);
      await gheDeps.queue.idle();
      expect(fixtures.unmatched).toEqual([]);
      expect(token.isDone()).toBe(true);
      expect(pull.isDone()).toBe(true);
      expect(config.isDone()).toBe(true);
      // A call to api.github.com would have no mock and show up here.
      expect(fixtures.unmatched).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => ghe.close(() => resolve()));
    }
  });
});

describe('webhook bodies are read only as far as they deserve', () => {
  const LIMIT = 64 * 1024;
  let small: Server;
  let smallUrl: URL;

  const smallDeps = testDependencies(fixtures.corpus);

  beforeAll(async () => {
    small = await startServer(settings(0), smallDeps, { maxWebhookBytes: LIMIT });
    smallUrl = new URL(`http://127.0.0.1:${(small.address() as AddressInfo).port}${DEFAULT_WEBHOOK_PATH}`);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => small.close(() => resolve()));
  });

  /** POSTs with node:http, so the test controls the headers and how the body is sent. */
  function rawPost(headers: Record<string, string>, write: (request: ClientRequest) => void): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(smallUrl, { method: 'POST', headers }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
      // The server may close the connection while the client still writes: that is the point.
      request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
      write(request);
    });
  }

  const deliveryHeaders = (body: string) => ({
    'content-type': 'application/json',
    'x-github-event': 'pull_request',
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': sign(body, WEBHOOK_SECRET),
  });

  it('no signature header: 400 before the body is read', async () => {
    const { status, text } = await rawPost({ 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID() }, (r) =>
      r.end('{}'),
    );
    expect(status).toBe(400);
    expect(text).toMatch(/x-hub-signature-256/);
  });

  it('a declared length over the cap: 413 without reading it', async () => {
    const { status } = await rawPost({ ...deliveryHeaders('{}'), 'content-length': String(LIMIT + 1) }, (r) => {
      r.write('{');
      // The rest never comes; the answer must not wait for it.
      setTimeout(() => r.destroy(), 2_000);
    });
    expect(status).toBe(413);
  });

  it('a chunked body that grows past the cap: 413, cut off as it streams', async () => {
    const chunk = 'x'.repeat(16 * 1024);
    const { status } = await rawPost(deliveryHeaders('{}'), (r) => {
      for (let i = 0; i < 8; i++) r.write(chunk);
      r.end();
    });
    expect(status).toBe(413);
  });

  it('a body under the cap with a good signature still reaches the App (a draft: pull request and config read, then it stops)', async () => {
    mockInstallationToken();
    mockPullRequest({ draft: true });
    mockConfig();
    const body = JSON.stringify(pullRequestOpened({ draft: true }));
    expect(body.length).toBeLessThan(LIMIT);
    const { status } = await rawPost(deliveryHeaders(body), (r) => r.end(body));
    expect(status).toBe(202);
    await smallDeps.queue.idle();
    expect(fixtures.unmatched).toEqual([]);
  });
});

describe('the operator routes and a queue that cannot take the job', () => {
  it('/healthz, /readyz and /metrics answer beside the webhook path; a delivery the queue refuses gets 503 (GitHub shows it failed, to redeliver)', async () => {
    const queueDeps = testDependencies(fixtures.corpus);
    const metrics = createMetrics();
    const ops = await startServer(
      settings(0),
      { ...queueDeps, metrics },
      { ops: { metrics, readiness: async () => ({ queue: { ok: false, detail: 'closed' } }) } },
    );
    try {
      const base = `http://127.0.0.1:${(ops.address() as AddressInfo).port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      await queueDeps.queue.close(0);
      const body = JSON.stringify(pullRequestOpened());
      const response = await fetch(`${base}${DEFAULT_WEBHOOK_PATH}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': sign(body, WEBHOOK_SECRET),
        },
        body,
      });
      expect(response.status).toBe(503);
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toContain('seccoder_webhooks_total{event="pull_request",outcome="failed"} 1');
      expect(fixtures.unmatched).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => ops.close(() => resolve()));
    }
  });
});
