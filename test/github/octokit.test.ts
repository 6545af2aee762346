// The one Octokit: rate limits are waited out and retried, server errors retried, both
// switchable off; HTTP mocked with nock (no real network, no unused mock).
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { Probot } from 'probot';
import { appOctokitClass } from '../../src/github/app-octokit.js';
import { createOctokit, type OctokitLog } from '../../src/github/octokit.js';
import { useHttpMocks } from '../helpers/http-mocks.js';

const API = 'https://api.github.com';
const APP_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const REPO = { id: 1, full_name: 'acme/api' };

function recordingLog(): { log: OctokitLog; warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => undefined;
  return { warnings, log: { debug: ignore, info: ignore, error: ignore, warn: (message: string) => void warnings.push(message) } };
}

/** A reset one second from now, as GitHub sends it (epoch seconds). */
const resetSoon = () => String(Math.floor(Date.now() / 1000) + 1);

useHttpMocks();

describe('throttling', () => {
  it('waits out a primary rate limit and retries after the reset', async () => {
    nock(API)
      .get('/repos/acme/api')
      .reply(403, { message: 'API rate limit exceeded for installation ID 1.' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetSoon() })
      .get('/repos/acme/api')
      .reply(200, REPO);
    const { log, warnings } = recordingLog();
    const octokit = createOctokit({ auth: 'ghs_test', retry: false, retryAfterBaseValue: 10, log });
    const started = Date.now();
    const { data } = await octokit.rest.repos.get({ owner: 'acme', repo: 'api' });
    expect(data).toEqual(REPO);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^rate limit hit on GET \/repos\/\{owner\}\/\{repo\}; retrying in [12]s \(retry 1 of 2\)$/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('retries a secondary rate limit after retry-after', async () => {
    nock(API)
      .get('/repos/acme/api')
      .reply(403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': '1' })
      .get('/repos/acme/api')
      .reply(200, REPO);
    const { log, warnings } = recordingLog();
    const octokit = createOctokit({ retry: false, retryAfterBaseValue: 10, log });
    expect((await octokit.rest.repos.get({ owner: 'acme', repo: 'api' })).data).toEqual(REPO);
    expect(warnings).toEqual(['secondary rate limit hit on GET /repos/{owner}/{repo}; retrying in 1s (retry 1 of 2)']);
  });

  it('gives up after the configured retries and surfaces the 403', async () => {
    const limited = () => [403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetSoon() }] as const;
    nock(API)
      .get('/repos/acme/api')
      .times(2)
      .reply(...limited());
    const { log, warnings } = recordingLog();
    const octokit = createOctokit({ retry: false, rateLimitRetries: 1, retryAfterBaseValue: 10, log });
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'api' })).rejects.toMatchObject({ status: 403 });
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/^rate limit hit on GET \/repos\/\{owner\}\/\{repo\}; giving up after 1 retries/);
  });

  it('does not wait for a reset further away than the limit', async () => {
    const inAnHour = String(Math.floor(Date.now() / 1000) + 3600);
    nock(API).get('/repos/acme/api').reply(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': inAnHour });
    const { log } = recordingLog();
    const octokit = createOctokit({ retry: false, retryAfterBaseValue: 10, log });
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'api' })).rejects.toMatchObject({ status: 403 });
  });
});

describe('retry', () => {
  it('retries a server error', async () => {
    nock(API).get('/repos/acme/api').reply(500, { message: 'Server Error' }).get('/repos/acme/api').reply(200, REPO);
    const octokit = createOctokit({ throttle: false, retryAfterBaseValue: 1, log: recordingLog().log });
    expect((await octokit.rest.repos.get({ owner: 'acme', repo: 'api' })).data).toEqual(REPO);
  });

  it('with retry and throttling both on, still retries a server error', async () => {
    nock(API).get('/repos/acme/api').reply(502, 'Bad Gateway').get('/repos/acme/api').reply(200, REPO);
    const octokit = createOctokit({ retryAfterBaseValue: 1, log: recordingLog().log });
    expect((await octokit.rest.repos.get({ owner: 'acme', repo: 'api' })).data).toEqual(REPO);
  });

  it('with both off, the first 500 surfaces', async () => {
    nock(API).get('/repos/acme/api').reply(500, { message: 'Server Error' });
    const octokit = createOctokit({ retry: false, throttle: false, log: recordingLog().log });
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'api' })).rejects.toMatchObject({ status: 500 });
  });

  it('with both off, a rate limit surfaces at once', async () => {
    nock(API).get('/repos/acme/api').reply(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetSoon() });
    const octokit = createOctokit({ retry: false, throttle: false, log: recordingLog().log });
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'api' })).rejects.toMatchObject({ status: 403 });
  });
});

describe('options', () => {
  it('passes request.fetch through and sends the token and user agent', async () => {
    const calls: { url: string; headers: Headers }[] = [];
    const fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
      calls.push({ url: String(url), headers: new Headers(init?.headers) });
      return new Response(JSON.stringify(REPO), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const octokit = createOctokit({ auth: 'ghs_test', retry: false, throttle: false, request: { fetch } });
    expect((await octokit.rest.repos.get({ owner: 'acme', repo: 'api' })).data).toEqual(REPO);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('https://api.github.com/repos/acme/api');
    expect(calls[0]?.headers.get('authorization')).toBe('token ghs_test');
    expect(calls[0]?.headers.get('user-agent')).toMatch(/^seccoder /);
  });

  it('talks to a GitHub Enterprise Server API root', async () => {
    nock('https://ghe.example.com').get('/api/v3/repos/acme/api').reply(200, REPO);
    const octokit = createOctokit({ baseUrl: 'https://ghe.example.com/api/v3', retry: false, throttle: false });
    expect((await octokit.rest.repos.get({ owner: 'acme', repo: 'api' })).data).toEqual(REPO);
  });
});

describe("the App's Octokit (probot's client with the same policy)", () => {
  /** An installation client as probot makes it: through `app.auth(installationId)`. */
  async function installationClient(options: Parameters<typeof appOctokitClass>[0]) {
    const probot = new Probot({ appId: 1, privateKey: APP_KEY, secret: 'x', Octokit: appOctokitClass(options), log: pino({ level: 'silent' }) });
    nock(API).post('/app/installations/7/access_tokens').reply(201, { token: 'ghs_test', expires_at: '2099-01-01T00:00:00Z' });
    return probot.auth(7);
  }

  it('retries a secondary rate limit after retry-after (probot by default gives up, losing the review)', async () => {
    nock(API)
      .post('/repos/acme/api/check-runs')
      .reply(403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': '1' })
      .post('/repos/acme/api/check-runs')
      .reply(201, { id: 1 });
    const octokit = await installationClient({ retry: false, retryAfterBaseValue: 10 });
    const { data } = await octokit.rest.checks.create({ owner: 'acme', repo: 'api', name: 'SecCoder', head_sha: 'a'.repeat(40) });
    expect(data).toEqual({ id: 1 });
  });

  it('gives up when GitHub asks for a wait longer than the bound, and surfaces the 403', async () => {
    nock(API).post('/repos/acme/api/check-runs').reply(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '3600' });
    const octokit = await installationClient({ retry: false, retryAfterBaseValue: 10 });
    await expect(octokit.rest.checks.create({ owner: 'acme', repo: 'api', name: 'SecCoder', head_sha: 'a'.repeat(40) })).rejects.toMatchObject({ status: 403 });
  });
});
