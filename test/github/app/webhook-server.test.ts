// The real webhook server (startServer on a free port): a delivery whose signature is not the
// HMAC of its body with the webhook secret is refused before any handler runs; a correctly
// signed one is accepted and handled.
import { createHmac, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_PATH, type ServerSettings } from '../../../src/github/server/server-settings.js';
import { startServer } from '../../../src/github/server/start-server.js';
import { pullRequestOpened } from '../../fixtures/github/app-events.js';
import { mockConfig, mockInstallationToken, testDependencies, useAppFixtures, WEBHOOK_SECRET } from './harness.js';

const fixtures = useAppFixtures();
let server: Server;
let url: string;

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
  server = await startServer(settings(0), testDependencies(fixtures.corpus));
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

  it('signed with WEBHOOK_SECRET: accepted (200) and handled (the draft reads the config, then stops)', async () => {
    mockInstallationToken();
    mockConfig();
    const body = JSON.stringify(pullRequestOpened({ draft: true }));
    const response = await post(body, sign(body, WEBHOOK_SECRET));
    expect(response.status).toBe(200);
    expect(fixtures.unmatched).toEqual([]);
  });
});

describe('startServer', () => {
  it('a port already in use: rejects with EADDRINUSE (no unhandled error event)', async () => {
    const port = (server.address() as AddressInfo).port;
    await expect(startServer(settings(port), testDependencies(fixtures.corpus))).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
