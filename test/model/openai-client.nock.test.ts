import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { OpenAiCompatibleModel, type OpenAiClientOptions } from '../../src/model/openai-client.js';
import type { ModelConfigInput } from '../../src/model/config.js';
import { ApiKeyError, ModelHttpError, ModelNetworkError, ModelResponseError } from '../../src/model/errors.js';
import { caught, expectNoSecret } from './secrets.js';
import { useHttpMocks } from '../helpers/http-mocks.js';

const ORIGIN = 'https://models.example.test';
const BASE_URL = `${ORIGIN}/v1`;
const KEY = 'sk-test-9f8e7d6c5b4a-SECRET';
const env = { SECCODER_TEST_KEY: KEY };

function model(config: Partial<ModelConfigInput> = {}, options: OpenAiClientOptions = {}) {
  return new OpenAiCompatibleModel({ baseUrl: BASE_URL, model: 'coder-7b', apiKeyEnv: 'SECCODER_TEST_KEY', ...config }, { env, random: () => 0.5, ...options });
}

/** A sleep that records the requested delays and returns at once. */
function recordingSleep(): { delays: number[]; sleep: (ms: number) => Promise<void> } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

const chatReply = (...contents: string[]) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  choices: contents.map((content, index) => ({ index, message: { role: 'assistant', content }, finish_reason: 'stop' })),
});

useHttpMocks();

describe('happy paths', () => {
  it('chat posts the exact body with the bearer key and returns one string per choice', async () => {
    let sent: unknown;
    nock(ORIGIN)
      .matchHeader('authorization', `Bearer ${KEY}`)
      .matchHeader('content-type', 'application/json')
      .post('/v1/chat/completions', (body) => {
        sent = body;
        return true;
      })
      .reply(200, chatReply('return escape(html);'));

    const messages = [
      { role: 'system' as const, content: 'You write secure code.' },
      { role: 'user' as const, content: 'def render(html):' },
    ];
    const samples = await model().chat(messages, { stop: ['\ndef '] });

    expect(samples).toEqual(['return escape(html);']);
    expect(sent).toEqual({
      model: 'coder-7b',
      messages,
      temperature: 0.4,
      top_p: 0.95,
      n: 1,
      max_tokens: 1024,
      stop: ['\ndef '],
    });
    expect(nock.isDone()).toBe(true);
  });

  it('complete posts the prompt, applies per-call options, and sends no Authorization without a key', async () => {
    let sent: unknown;
    nock(ORIGIN, { badheaders: ['authorization'] })
      .post('/v1/completions', (body) => {
        sent = body;
        return true;
      })
      .reply(200, {
        choices: [
          { index: 0, text: ' a' },
          { index: 1, text: ' b' },
        ],
      });

    const client = model({ apiKeyEnv: undefined, baseUrl: `${BASE_URL}/` });
    const samples = await client.complete('int main(', { samples: 2, temperature: 0.2, topP: 0.9, maxTokens: 64 });

    expect(samples).toEqual([' a', ' b']);
    expect(sent).toEqual({ model: 'coder-7b', prompt: 'int main(', temperature: 0.2, top_p: 0.9, n: 2, max_tokens: 64 });
    expect(nock.isDone()).toBe(true);
  });

  it('sends configured extra headers and keeps a query string after the path', async () => {
    nock(ORIGIN).matchHeader('x-project', 'seccoder').post('/openai/v1/chat/completions').query({ 'api-version': '2024-10-21' }).reply(200, chatReply('ok'));

    const client = model({ baseUrl: `${ORIGIN}/openai/v1?api-version=2024-10-21`, headers: { 'X-Project': 'seccoder' } });
    await expect(client.chat([{ role: 'user', content: 'hi' }])).resolves.toEqual(['ok']);
  });

  it('reads a null chat content (e.g. a refusal) as an empty sample', async () => {
    nock(ORIGIN)
      .post('/v1/chat/completions')
      .reply(200, { choices: [{ message: { content: null, refusal: 'no' } }] });
    await expect(model().chat([{ role: 'user', content: 'x' }])).resolves.toEqual(['']);
  });
});

describe('collecting samples from servers that ignore n', () => {
  it('asks again until all samples are in when the server returns one choice per request', async () => {
    const asked: number[] = [];
    let served = 0;
    nock(ORIGIN)
      .post('/v1/chat/completions', (body: { n: number }) => {
        asked.push(body.n);
        return true;
      })
      .times(3)
      .reply(200, () => chatReply(`sample ${++served}`));

    const samples = await model({ samples: 3 }).chat([{ role: 'user', content: 'x' }]);

    expect(samples).toHaveLength(3);
    expect([...samples].sort()).toEqual(['sample 1', 'sample 2', 'sample 3']);
    expect(samples[0]).toBe('sample 1');
    expect(asked).toEqual([3, 1, 1]);
  });

  it('splits the rest into requests no larger than the server returned, never over-asking', async () => {
    const asked: number[] = [];
    nock(ORIGIN)
      .post('/v1/completions', (body: { n: number }) => {
        asked.push(body.n);
        return true;
      })
      .times(3)
      .reply(200, (_uri, body) => {
        const n = (body as { n: number }).n;
        return { choices: Array.from({ length: Math.min(n, 2) }, (_, i) => ({ text: `t${i}` })) };
      });

    const samples = await model().complete('p', { samples: 5 });

    expect(samples).toHaveLength(5);
    expect(asked[0]).toBe(5);
    expect(asked.slice(1).sort()).toEqual([1, 2]);
  });
});

describe('retries', () => {
  it('waits as long as Retry-After says after a 429, then succeeds', async () => {
    const { delays, sleep } = recordingSleep();
    nock(ORIGIN)
      .post('/v1/chat/completions')
      .reply(429, { error: { message: 'rate limited' } }, { 'Retry-After': '2' })
      .post('/v1/chat/completions')
      .reply(200, chatReply('done'));

    await expect(model({}, { sleep }).chat([{ role: 'user', content: 'x' }])).resolves.toEqual(['done']);
    expect(delays).toEqual([2000]);
  });

  it('understands Retry-After as an HTTP date and caps long waits at 60 s', async () => {
    const { delays, sleep } = recordingSleep();
    const now = Date.parse('2025-01-01T00:00:00Z');
    nock(ORIGIN)
      .post('/v1/completions')
      .reply(503, 'busy', { 'Retry-After': new Date(now + 3000).toUTCString() })
      .post('/v1/completions')
      .reply(429, 'slow down', { 'Retry-After': '3600' })
      .post('/v1/completions')
      .reply(200, { choices: [{ text: 'ok' }] });

    await expect(model({}, { sleep, now: () => now }).complete('p')).resolves.toEqual(['ok']);
    expect(delays).toEqual([3000, 60_000]);
  });

  it('retries a 500 with exponential backoff and gives up after `retries` with a clear error', async () => {
    const { delays, sleep } = recordingSleep();
    nock(ORIGIN).post('/v1/chat/completions').times(3).reply(500, 'upstream exploded');

    const error = await caught(() => model({ retries: 2 }, { sleep }).chat([{ role: 'user', content: 'x' }]));

    expect(error).toBeInstanceOf(ModelHttpError);
    const http = error as ModelHttpError;
    expect(http.status).toBe(500);
    expect(http.attempts).toBe(3);
    expect(http.endpoint).toBe(`${BASE_URL}/chat/completions`);
    expect(http.excerpt).toBe('upstream exploded');
    expect(http.message).toContain('HTTP 500 after 3 attempts');
    expect(http.message).toContain('try again later');
    // random() = 0.5 puts each wait at 3/4 of min(20 s, 500 ms * 2^retry).
    expect(delays).toEqual([375, 750]);
    expectNoSecret(error, KEY);
  });

  it('does not retry a 400, and redacts the key if the server echoes it', async () => {
    const { delays, sleep } = recordingSleep();
    nock(ORIGIN)
      .post('/v1/chat/completions')
      .reply(400, { error: { message: `unknown model coder-7b (auth: Bearer ${KEY})` } });

    const error = await caught(() => model({}, { sleep }).chat([{ role: 'user', content: 'x' }]));

    expect(error).toBeInstanceOf(ModelHttpError);
    const http = error as ModelHttpError;
    expect(http.status).toBe(400);
    expect(http.attempts).toBe(1);
    expect(http.excerpt).toContain('[redacted]');
    expect(http.message).toContain('check the model name "coder-7b"');
    expect(delays).toEqual([]);
    expectNoSecret(error, KEY);
  });

  it('tells the user which variable to check on a 401', async () => {
    nock(ORIGIN).post('/v1/chat/completions').reply(401, { error: 'bad key' });
    const error = await caught(() => model().chat([{ role: 'user', content: 'x' }]));
    expect(error).toBeInstanceOf(ModelHttpError);
    expect((error as Error).message).toContain('check that SECCODER_TEST_KEY holds a valid key');
    expectNoSecret(error, KEY);
  });

  it('retries network errors and then reports them as ModelNetworkError', async () => {
    const { delays, sleep } = recordingSleep();
    nock(ORIGIN)
      .post('/v1/completions')
      .times(2)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));

    const error = await caught(() => model({ retries: 1 }, { sleep }).complete('p'));

    expect(error).toBeInstanceOf(ModelNetworkError);
    expect((error as ModelNetworkError).attempts).toBe(2);
    expect((error as Error).message).toContain('check the model URL');
    expect(delays).toHaveLength(1);
    expectNoSecret(error, KEY);
  });

  it('honours a real Retry-After of one second with the default sleep', async () => {
    nock(ORIGIN)
      .post('/v1/completions')
      .reply(429, 'wait', { 'Retry-After': '1' })
      .post('/v1/completions')
      .reply(200, { choices: [{ text: 'ok' }] });

    const started = performance.now();
    await expect(model({}, { random: Math.random }).complete('p')).resolves.toEqual(['ok']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });
});

describe('unusable replies', () => {
  it('rejects an HTML page with ModelResponseError carrying the status and a short excerpt', async () => {
    const html = `<!doctype html><html><head><title>Login</title></head><body>${'<p>Please sign in.</p>'.repeat(40)}</body></html>`;
    nock(ORIGIN).post('/v1/chat/completions').reply(200, html, { 'content-type': 'text/html' });

    const error = await caught(() => model().chat([{ role: 'user', content: 'x' }]));

    expect(error).toBeInstanceOf(ModelResponseError);
    const response = error as ModelResponseError;
    expect(response.status).toBe(200);
    expect(response.reason).toContain('not JSON');
    expect(response.excerpt.length).toBeLessThanOrEqual(200);
    expect(response.excerpt.startsWith('<!doctype html>')).toBe(true);
    expect(response.message).toContain('check the model URL');
    expectNoSecret(error, KEY);
  });

  it('rejects JSON without choices', async () => {
    nock(ORIGIN)
      .post('/v1/chat/completions')
      .reply(200, { error: { message: 'model is loading' } });
    const error = await caught(() => model().chat([{ role: 'user', content: 'x' }]));
    expect(error).toBeInstanceOf(ModelResponseError);
    expect((error as ModelResponseError).reason).toMatch(/^choices: /);
    expect((error as ModelResponseError).excerpt).toContain('model is loading');
  });

  it('rejects an empty choices array and completion choices without text', async () => {
    nock(ORIGIN)
      .post('/v1/chat/completions')
      .reply(200, { choices: [] })
      .post('/v1/completions')
      .reply(200, { choices: [{ message: { content: 'chat-shaped' } }] });

    const empty = await caught(() => model().chat([{ role: 'user', content: 'x' }]));
    expect(empty).toBeInstanceOf(ModelResponseError);
    expect((empty as ModelResponseError).reason).toContain('no choices returned');

    const wrongShape = await caught(() => model().complete('p'));
    expect(wrongShape).toBeInstanceOf(ModelResponseError);
    expect((wrongShape as ModelResponseError).reason).toContain('choices.0.text');
  });
});

describe('API key', () => {
  const otherSecret = 'ghp_do-not-print-me-123456';

  it('fails at construction naming the missing variable, with no secret in the message', async () => {
    const error = await caught(
      async () =>
        new OpenAiCompatibleModel(
          { baseUrl: BASE_URL, model: 'm', apiKeyEnv: 'OPENAI_API_KEY' },
          { env: { GITHUB_TOKEN: otherSecret, SECCODER_TEST_KEY: KEY } },
        ),
    );
    expect(error).toBeInstanceOf(ApiKeyError);
    expect((error as ApiKeyError).variable).toBe('OPENAI_API_KEY');
    expect((error as Error).message).toContain('set the environment variable OPENAI_API_KEY');
    expectNoSecret(error, otherSecret);
    expectNoSecret(error, KEY);
  });

  it('reports an empty or malformed key without printing it', async () => {
    const empty = await caught(async () => model({}, { env: { SECCODER_TEST_KEY: '  ' } }));
    expect((empty as ApiKeyError).problem).toBe('empty');

    const malformed = `${KEY}\nX-Injected: 1`;
    const bad = await caught(async () => model({}, { env: { SECCODER_TEST_KEY: malformed } }));
    expect(bad).toBeInstanceOf(ApiKeyError);
    expect((bad as ApiKeyError).problem).toBe('malformed');
    expectNoSecret(bad, KEY);
  });

  it('keeps the key out of the client when it is inspected', async () => {
    const { inspect } = await import('node:util');
    const client = model();
    expect(inspect(client, { depth: 5 })).not.toContain(KEY);
    expect(JSON.stringify(client)).not.toContain(KEY);
  });
});
