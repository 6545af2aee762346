// The metered model: same answers and same errors as the model it wraps, each call timed and each
// failure counted in the real metrics.
import { describe, expect, it } from 'vitest';
import { meteredModel } from '../../../src/github/ops/metered-model.js';
import { createMetrics } from '../../../src/github/ops/metrics.js';
import type { CodeModel } from '../../../src/model/types.js';

class EndpointDown extends Error {}

const failure = new EndpointDown('502 from the model endpoint');

const model: CodeModel = {
  name: 'qwen2.5-coder-7b',
  chat: async (messages) => [`answer to ${messages.length} messages`],
  complete: async () => {
    throw failure;
  },
};

async function metricLine(metrics: ReturnType<typeof createMetrics>, name: string): Promise<string | undefined> {
  return (await metrics.registry.metrics()).split('\n').find((line) => line.startsWith(`${name} `));
}

describe('meteredModel', () => {
  it('a failing call: the same error rethrown, the call timed and counted as a failure', async () => {
    const metrics = createMetrics();
    const metered = meteredModel(model, metrics);
    await expect(metered.complete('def f():', { samples: 2 })).rejects.toBe(failure);
    expect(await metricLine(metrics, 'seccoder_model_failures_total')).toBe('seccoder_model_failures_total 1');
    expect(await metricLine(metrics, 'seccoder_model_request_duration_seconds_count')).toBe('seccoder_model_request_duration_seconds_count 1');
  });

  it('a successful call: the model answer unchanged, its name kept, timed and not a failure', async () => {
    const calls: { seconds: number; ok: boolean }[] = [];
    const slow: CodeModel = { ...model, chat: () => new Promise((resolve) => setTimeout(() => resolve(['slow answer']), 50)) };
    const metered = meteredModel(slow, { modelRequest: (seconds, ok) => calls.push({ seconds, ok }) });
    expect(metered.name).toBe('qwen2.5-coder-7b');
    expect(await metered.chat([{ role: 'user', content: 'fix it' }])).toEqual(['slow answer']);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.ok).toBe(true);
    expect(calls[0]?.seconds).toBeGreaterThanOrEqual(0.04);
    expect(calls[0]?.seconds).toBeLessThan(5);
  });

  it('keeps the model concurrency, and leaves it absent when the model has none', () => {
    expect(meteredModel({ ...model, concurrency: 4 }, createMetrics()).concurrency).toBe(4);
    expect('concurrency' in meteredModel(model, createMetrics())).toBe(false);
  });

  it('passes messages and options through', async () => {
    const seen: unknown[] = [];
    const recording: CodeModel = {
      name: 'm',
      chat: async (messages, options) => (seen.push(messages, options), ['c']),
      complete: async (prompt, options) => (seen.push(prompt, options), ['p']),
    };
    const metered = meteredModel(recording, createMetrics());
    await metered.chat([{ role: 'system', content: 's' }], { temperature: 0.2 });
    await metered.complete('prompt', { maxTokens: 9 });
    expect(seen).toEqual([[{ role: 'system', content: 's' }], { temperature: 0.2 }, 'prompt', { maxTokens: 9 }]);
  });
});
