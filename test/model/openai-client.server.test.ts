// The client against a real HTTP server on 127.0.0.1: real sockets, real timers, real concurrency.

import nock from 'nock';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ModelNetworkError, ModelTimeoutError } from '../../src/model/errors.js';
import { OpenAiCompatibleModel } from '../../src/model/openai-client.js';
import { sendJson, startLocalServer, type LocalServer } from './local-server.js';
import { caught, expectNoSecret } from './secrets.js';

const KEY = 'sk-local-0a1b2c3d4e5f-SECRET';
const env = { LOCAL_MODEL_KEY: KEY };
const noWait = async (): Promise<void> => {};

let server: LocalServer | undefined;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('against a local server', () => {
  it('round-trips a chat request', async () => {
    const seen: Array<{ method?: string; url?: string; auth?: string; type?: string; body: unknown }> = [];
    server = await startLocalServer((req, body, res) => {
      seen.push({
        method: req.method,
        url: req.url,
        auth: req.headers.authorization,
        type: req.headers['content-type'],
        body: JSON.parse(body),
      });
      sendJson(res, 200, { choices: [{ index: 0, message: { role: 'assistant', content: 'const safe = true;' } }] });
    });

    const client = new OpenAiCompatibleModel({ baseUrl: server.baseUrl, model: 'local-coder', apiKeyEnv: 'LOCAL_MODEL_KEY', temperature: 0 }, { env });
    const samples = await client.chat([{ role: 'user', content: 'write it safely' }], { maxTokens: 32 });

    expect(samples).toEqual(['const safe = true;']);
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/v1/chat/completions',
        auth: `Bearer ${KEY}`,
        type: 'application/json',
        body: {
          model: 'local-coder',
          messages: [{ role: 'user', content: 'write it safely' }],
          temperature: 0,
          top_p: 0.95,
          n: 1,
          max_tokens: 32,
        },
      },
    ]);
  });

  it('gives up with ModelTimeoutError when the server is slower than timeoutMs, on every attempt', async () => {
    let requests = 0;
    server = await startLocalServer(async (_req, _body, res) => {
      requests += 1;
      await delay(2_000);
      if (!res.destroyed) sendJson(res, 200, { choices: [{ text: 'too late' }] });
    });

    const client = new OpenAiCompatibleModel(
      { baseUrl: server.baseUrl, model: 'slow', apiKeyEnv: 'LOCAL_MODEL_KEY', timeoutMs: 150, retries: 1 },
      { env, sleep: noWait },
    );
    const started = performance.now();
    const error = await caught(() => client.complete('p'));
    const elapsed = performance.now() - started;

    expect(error).toBeInstanceOf(ModelTimeoutError);
    const timeout = error as ModelTimeoutError;
    expect(timeout.timeoutMs).toBe(150);
    expect(timeout.attempts).toBe(2);
    expect(timeout.endpoint).toBe(`${server.baseUrl}/completions`);
    expect(timeout.message).toContain('raise timeoutMs');
    expect(requests).toBe(2);
    expect(elapsed).toBeLessThan(1_900);
    expectNoSecret(error, KEY);
  });

  it('times out a reply whose body stalls after the headers', async () => {
    server = await startLocalServer((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"choices": [');
    });
    const client = new OpenAiCompatibleModel({ baseUrl: server.baseUrl, model: 'm', timeoutMs: 150, retries: 0 });
    await expect(client.complete('p')).rejects.toBeInstanceOf(ModelTimeoutError);
  });

  it('keeps at most `concurrency` requests in flight across parallel calls', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let total = 0;
    server = await startLocalServer(async (_req, _body, res) => {
      inFlight += 1;
      total += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await delay(60);
      inFlight -= 1;
      sendJson(res, 200, { choices: [{ text: `#${total}` }] });
    });

    const client = new OpenAiCompatibleModel({ baseUrl: server.baseUrl, model: 'm', concurrency: 2 });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => client.complete(`prompt ${i}`)));

    expect(results.flat()).toHaveLength(6);
    expect(total).toBe(6);
    expect(maxInFlight).toBe(2);
  });

  it('runs more requests side by side when concurrency allows it', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    server = await startLocalServer(async (_req, _body, res) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await delay(150);
      inFlight -= 1;
      sendJson(res, 200, { choices: [{ text: 'x' }] });
    });

    const client = new OpenAiCompatibleModel({ baseUrl: server.baseUrl, model: 'm', concurrency: 4 });
    await Promise.all(Array.from({ length: 6 }, () => client.complete('p')));

    expect(maxInFlight).toBeGreaterThan(2);
    expect(maxInFlight).toBeLessThanOrEqual(4);
  });

  it('reports a refused connection as ModelNetworkError after the retries', async () => {
    const closed = await startLocalServer((_req, _body, res) => void res.end());
    const baseUrl = closed.baseUrl;
    await closed.close();

    const client = new OpenAiCompatibleModel({ baseUrl, model: 'm', apiKeyEnv: 'LOCAL_MODEL_KEY', retries: 2 }, { env, sleep: noWait });
    const error = await caught(() => client.chat([{ role: 'user', content: 'x' }]));

    expect(error).toBeInstanceOf(ModelNetworkError);
    expect((error as ModelNetworkError).attempts).toBe(3);
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect((error as Error).message).toContain('check the model URL (--model-url, or model.url) and that the server is running');
    expectNoSecret(error, KEY);
  });
});
