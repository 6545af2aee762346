// hardenChange's parallelism and its stop signal: targets are hardened side by side up to the
// model client's own limit (never more, so the deadline does not cut requests that only wait in
// the client's queue), outcomes keep target order, and an aborted signal keeps what finished and
// returns the rest as cut. The real index and the real OpenAI-compatible client, against a mocked endpoint.
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hardenChange } from '../../src/harden/harden-change.js';
import { OpenAiCompatibleModel } from '../../src/model/openai-client.js';
import { openRetrievalIndex, retrieverFor } from '../../src/retrieve/open-index.js';
import type { DemonstrationSource } from '../../src/harden/harden-target.js';
import { appendEntries, snippetEntries, tempDirs } from '../fixtures/retrieval-corpus.js';
import { chatCompletion } from '../fixtures/review/flask-app.js';
import { SNIPPETS } from '../fixtures/secure-snippets.js';
import { useHttpMocks } from '../helpers/http-mocks.js';

const ORIGIN = 'https://models.example.test';
useHttpMocks();
const temp = tempDirs('harden-change-test-');
let demonstrations: DemonstrationSource;

beforeAll(async () => {
  const dir = temp.make();
  await appendEntries(dir, await snippetEntries(SNIPPETS));
  demonstrations = retrieverFor(await openRetrievalIndex({ corpusDir: dir, persist: false }), 'cwe-aware');
});
afterAll(() => temp.cleanup());

/** Four views, each building its SQL from a request value. */
const NAMES = ['by_email', 'by_name', 'by_city', 'by_team'];
const FILE = NAMES.map(
  (name) => `def ${name}(cur, value):\n    cur.execute("SELECT id FROM users WHERE ${name} = '" + value + "'")\n    return cur.fetchone()\n`,
).join('\n\n');

function model(concurrency: number): OpenAiCompatibleModel {
  return new OpenAiCompatibleModel(
    { baseUrl: `${ORIGIN}/v1`, model: 'coder', samples: 1, retries: 0, concurrency },
    { sleep: async () => undefined, random: () => 0 },
  );
}

/** Answers every request after `ms`, recording the most requests in flight at once. */
function slowModel(ms: number, requests: number): { maxInFlight: () => number } {
  let inFlight = 0;
  let max = 0;
  nock(ORIGIN)
    .post('/v1/chat/completions')
    .times(requests)
    .reply((_uri, _body, callback) => {
      inFlight += 1;
      max = Math.max(max, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        callback(null, [200, chatCompletion('no change needed')]);
      }, ms);
    });
  return { maxInFlight: () => max };
}

const change = { files: [{ path: 'app/views.py', content: FILE, language: 'python' as const }] };

describe('hardenChange', () => {
  it("hardens targets side by side up to the model client's limit, outcomes in target order", async () => {
    const seen = slowModel(150, NAMES.length);
    const result = await hardenChange(change, { demonstrations, model: model(2), analyzers: [] });
    expect(result.outcomes.map((outcome) => outcome.target.function.name)).toEqual(NAMES);
    expect(seen.maxInFlight()).toBe(2);
    expect(result.cut).toEqual([]);
  });

  it('an aborted signal keeps what finished and returns the rest, unfinished, as cut', async () => {
    // One lane: the second request comes only after the first target finished; the signal aborts as it arrives.
    const stop = new AbortController();
    let requests = 0;
    nock(ORIGIN)
      .post('/v1/chat/completions')
      .times(2)
      .reply((_uri, _body, callback) => {
        requests += 1;
        if (requests === 2) stop.abort();
        setTimeout(() => callback(null, [200, chatCompletion('no change needed')]), requests === 2 ? 300 : 0);
      });
    const result = await hardenChange(change, { demonstrations, model: model(1), analyzers: [] }, { signal: stop.signal });
    expect(result.outcomes.map((outcome) => outcome.target.function.name)).toEqual(['by_email']);
    expect(result.cut.map((target) => target.function.name)).toEqual(['by_name', 'by_city', 'by_team']);
    expect(requests).toBe(2);
  });
});
