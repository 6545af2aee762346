// The App's metrics as Prometheus scrapes them: names, labels and values in the text of a real
// prom-client registry.
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/github/ops/metrics.js';

/** The sample lines of `name` in the registry's text (no HELP/TYPE lines). */
async function samples(metrics: ReturnType<typeof createMetrics>, name: string): Promise<string[]> {
  const text = await metrics.registry.metrics();
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('createMetrics', () => {
  it('counts webhooks by event and outcome; an event the App does not subscribe to counts as other', async () => {
    const metrics = createMetrics();
    metrics.webhookReceived('pull_request', 'queued');
    metrics.webhookReceived('pull_request', 'queued');
    metrics.webhookReceived('pull_request', 'duplicate');
    metrics.webhookReceived('made-up-by-a-sender-123', 'refused');
    expect(await samples(metrics, 'seccoder_webhooks_total')).toEqual([
      'seccoder_webhooks_total{event="pull_request",outcome="queued"} 2',
      'seccoder_webhooks_total{event="pull_request",outcome="duplicate"} 1',
      'seccoder_webhooks_total{event="other",outcome="refused"} 1',
    ]);
  });

  it('counts skips by reason: machine words kept, sentences and paths as other', async () => {
    const metrics = createMetrics();
    metrics.skipped('too-large');
    metrics.skipped('too-large');
    metrics.skipped('alert-outside-function');
    metrics.skipped('src/app.py is too large');
    metrics.skipped('x'.repeat(41));
    expect(await samples(metrics, 'seccoder_skips_total')).toEqual([
      'seccoder_skips_total{reason="too-large"} 2',
      'seccoder_skips_total{reason="alert-outside-function"} 1',
      'seccoder_skips_total{reason="other"} 2',
    ]);
  });

  it('keeps at most 40 distinct skip reasons; later new ones count as other, known ones still by name', async () => {
    const metrics = createMetrics();
    for (let i = 0; i < 45; i++) metrics.skipped(`reason-${i}`);
    metrics.skipped('reason-0');
    const lines = await samples(metrics, 'seccoder_skips_total');
    expect(lines).toHaveLength(41);
    expect(lines).toContain('seccoder_skips_total{reason="reason-0"} 2');
    expect(lines).toContain('seccoder_skips_total{reason="other"} 5');
    expect(lines.some((line) => line.includes('reason-40'))).toBe(false);
  });

  it('times jobs by kind and outcome in buckets from 0.1 s to 15 min', async () => {
    const metrics = createMetrics();
    metrics.jobFinished('review', 'completed', 42);
    metrics.jobFinished('growth', 'failed', 0.05);
    const lines = await samples(metrics, 'seccoder_job_duration_seconds_bucket');
    expect(lines).toContain('seccoder_job_duration_seconds_bucket{le="30",kind="review",outcome="completed"} 0');
    expect(lines).toContain('seccoder_job_duration_seconds_bucket{le="60",kind="review",outcome="completed"} 1');
    expect(lines).toContain('seccoder_job_duration_seconds_bucket{le="0.1",kind="growth",outcome="failed"} 1');
    expect(lines).toContain('seccoder_job_duration_seconds_bucket{le="900",kind="review",outcome="completed"} 1');
    expect(await samples(metrics, 'seccoder_job_duration_seconds_sum')).toContain('seccoder_job_duration_seconds_sum{kind="review",outcome="completed"} 42');
  });

  it('model requests: every call timed, failures counted', async () => {
    const metrics = createMetrics();
    metrics.modelRequest(1.5, true);
    metrics.modelRequest(3, false);
    expect(await samples(metrics, 'seccoder_model_request_duration_seconds_count')).toEqual(['seccoder_model_request_duration_seconds_count 2']);
    expect(await samples(metrics, 'seccoder_model_request_duration_seconds_sum')).toEqual(['seccoder_model_request_duration_seconds_sum 4.5']);
    expect(await samples(metrics, 'seccoder_model_failures_total')).toEqual(['seccoder_model_failures_total 1']);
  });

  it('suggestions posted add up; a negative or non-finite count or duration is dropped, not thrown', async () => {
    const metrics = createMetrics();
    metrics.suggestionsPosted(3);
    metrics.suggestionsPosted(2);
    expect(() => metrics.suggestionsPosted(-1)).not.toThrow();
    expect(() => metrics.suggestionsPosted(Number.NaN)).not.toThrow();
    expect(() => metrics.jobFinished('review', 'completed', Number.POSITIVE_INFINITY)).not.toThrow();
    expect(await samples(metrics, 'seccoder_suggestions_posted_total')).toEqual(['seccoder_suggestions_posted_total 5']);
    expect(await samples(metrics, 'seccoder_job_duration_seconds_count')).toEqual([]);
  });

  it('queue depth is read at each scrape; a failing read keeps the last values and the scrape still answers', async () => {
    const metrics = createMetrics();
    expect(await samples(metrics, 'seccoder_queue_jobs')).toEqual([]);
    let counts: { waiting: number; active: number; delayed: number } | Error = { waiting: 4, active: 2, delayed: 1 };
    metrics.queueDepth(async () => {
      if (counts instanceof Error) throw counts;
      return counts;
    });
    const expected = ['seccoder_queue_jobs{state="waiting"} 4', 'seccoder_queue_jobs{state="active"} 2', 'seccoder_queue_jobs{state="delayed"} 1'];
    expect(await samples(metrics, 'seccoder_queue_jobs')).toEqual(expected);
    counts = new Error('Redis is down');
    expect(await samples(metrics, 'seccoder_queue_jobs')).toEqual(expected);
    counts = { waiting: 0, active: 1, delayed: 0 };
    expect(await samples(metrics, 'seccoder_queue_jobs')).toEqual([
      'seccoder_queue_jobs{state="waiting"} 0',
      'seccoder_queue_jobs{state="active"} 1',
      'seccoder_queue_jobs{state="delayed"} 0',
    ]);
  });

  it('a queue read that never answers does not hang the scrape', async () => {
    const metrics = createMetrics();
    metrics.queueDepth(() => new Promise(() => undefined));
    const started = Date.now();
    expect(await samples(metrics, 'seccoder_queue_jobs')).toEqual([]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('has its own registry with Node default metrics, so two instances do not collide', async () => {
    const one = createMetrics();
    const two = createMetrics();
    one.suggestionsPosted(1);
    expect(await samples(two, 'seccoder_suggestions_posted_total')).toEqual(['seccoder_suggestions_posted_total 0']);
    expect(await one.registry.metrics()).toMatch(/^process_cpu_user_seconds_total /m);
  });
});
