// The App's Prometheus metrics, on a registry of their own (not prom-client's global one, so tests
// and several Apps in one process do not collide), with Node's default process and runtime metrics.
// Callers use the small named methods below and never touch prom-client; a method never throws, so
// counting cannot fail a webhook or a job.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { allowListLabel, machineWordLabel } from './bounded-label.js';
import { within } from './deadline.js';

/** What became of one webhook delivery. */
export type WebhookOutcome = 'queued' | 'duplicate' | 'ignored' | 'refused' | 'failed';

/** The kinds of queued job. */
export type JobKind = 'review' | 'growth' | 'feedback';

/** Jobs in the queue by state, as the queue reports them. */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
}

export interface AppMetrics {
  /** The registry `/metrics` renders. */
  readonly registry: Registry;
  /** A webhook delivery answered: `seccoder_webhooks_total{event,outcome}`. */
  webhookReceived(event: string, outcome: WebhookOutcome): void;
  /** Reports the queue's jobs by state on each scrape (`seccoder_queue_jobs{state}`) from `read`; a later call replaces the reader. */
  queueDepth(read: () => Promise<QueueCounts>): void;
  /** A job ended: `seccoder_job_duration_seconds{kind,outcome}`. `outcome` is a machine word (`completed`, `failed`, `deadline`). */
  jobFinished(kind: JobKind, outcome: string, seconds: number): void;
  /**
   * One call to the code model ended: `seccoder_model_request_duration_seconds` (the client's retries and its wait for a free
   * connection included), and `seccoder_model_failures_total` when it failed.
   */
  modelRequest(seconds: number, ok: boolean): void;
  /** Suggestions posted on pull requests: `seccoder_suggestions_posted_total`. */
  suggestionsPosted(count: number): void;
  /** A target, file or event skipped: `seccoder_skips_total{reason}`. `reason` is a machine word (`too-large`); anything else counts as `other`. */
  skipped(reason: string): void;
}

/**
 * The webhook events counted by name: the App's subscriptions (app.yml) and GitHub's `ping`. A refused
 * delivery's event header is unverified, so any other name counts as `other` rather than making a
 * series per name a sender invents. Add an event here when the App subscribes to it.
 */
export const COUNTED_WEBHOOK_EVENTS = ['pull_request', 'check_run', 'installation', 'ping'] as const;

/** Distinct skip reasons and job outcomes kept before the rest count as `other`; the code has about a dozen reasons. */
const MAX_WORD_VALUES = 40;

/** Job durations: a skipped job takes a fraction of a second, a large review up to the 10-minute deadline and a little more. */
const JOB_SECONDS_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900];

/** Model calls: a short completion takes under a second, a slow endpoint with retries minutes. */
const MODEL_SECONDS_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];

/** How long a scrape waits for the queue's counts before it reports the last ones it had. */
const QUEUE_READ_TIMEOUT_MS = 1000;

/** A count or duration prom-client accepts; anything else is a caller's bug that must not throw into a job. */
const usable = (value: number) => Number.isFinite(value) && value >= 0;

export function createMetrics(): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const webhooks = new Counter({
    name: 'seccoder_webhooks_total',
    help: 'Webhook deliveries answered, by event and what became of them',
    labelNames: ['event', 'outcome'] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'seccoder_job_duration_seconds',
    help: 'Time from a job starting to its end, by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    buckets: JOB_SECONDS_BUCKETS,
    registers: [registry],
  });
  const modelDuration = new Histogram({
    name: 'seccoder_model_request_duration_seconds',
    help: 'Time of each call to the code model, its retries and any wait for a free connection included',
    buckets: MODEL_SECONDS_BUCKETS,
    registers: [registry],
  });
  const modelFailures = new Counter({
    name: 'seccoder_model_failures_total',
    help: 'Calls to the code model that failed after their retries',
    registers: [registry],
  });
  const suggestions = new Counter({
    name: 'seccoder_suggestions_posted_total',
    help: 'Suggestions posted on pull requests',
    registers: [registry],
  });
  const skips = new Counter({
    name: 'seccoder_skips_total',
    help: 'Targets, files and events skipped, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });

  let readQueue: (() => Promise<QueueCounts>) | undefined;
  new Gauge({
    name: 'seccoder_queue_jobs',
    help: 'Jobs in the queue by state, read at each scrape',
    labelNames: ['state'] as const,
    registers: [registry],
    // A failing or slow read keeps the last values: one missed count must not fail the whole scrape.
    async collect() {
      if (!readQueue) return;
      const read = readQueue;
      const counts = await within(read, QUEUE_READ_TIMEOUT_MS, 'the queue count').catch(() => undefined);
      if (!counts) return;
      for (const state of ['waiting', 'active', 'delayed'] as const) if (usable(counts[state])) this.set({ state }, counts[state]);
    },
  });

  const eventLabel = allowListLabel(COUNTED_WEBHOOK_EVENTS);
  const reasonLabel = machineWordLabel(MAX_WORD_VALUES);
  const outcomeLabel = machineWordLabel(MAX_WORD_VALUES);

  return {
    registry,
    webhookReceived: (event, outcome) => webhooks.inc({ event: eventLabel(event), outcome }),
    queueDepth: (read) => {
      readQueue = read;
    },
    jobFinished: (kind, outcome, seconds) => {
      if (usable(seconds)) jobDuration.observe({ kind, outcome: outcomeLabel(outcome) }, seconds);
    },
    modelRequest: (seconds, ok) => {
      if (usable(seconds)) modelDuration.observe(seconds);
      if (!ok) modelFailures.inc();
    },
    suggestionsPosted: (count) => {
      if (usable(count) && count > 0) suggestions.inc(count);
    },
    skipped: (reason) => skips.inc({ reason: reasonLabel(reason) }),
  };
}
