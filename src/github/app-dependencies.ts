// What the App's handlers and workers are given: the outside services behind small interfaces, so
// tests pass real local ones (corpus, index, analyzers, Redis) and mock only GitHub and the model.
import type { Analyzer } from '../analyze/types.js';
import type { Logger } from '../log/logger.js';
import type { CorpusProvider } from './corpus-provider.js';
import type { JobQueue } from './queue/job-queue.js';
import type { ModelDependency, ReviewMetrics } from './review/review-pull-request.js';

/** The counters the App reports (src/github/ops/metrics.ts implements them on prom-client). */
export interface AppMetricsSink extends ReviewMetrics {
  webhookReceived(event: string, outcome: 'queued' | 'duplicate' | 'ignored' | 'refused' | 'failed'): void;
  jobFinished(kind: 'review' | 'growth' | 'feedback', outcome: string, seconds: number): void;
}

export interface AppDependencies {
  /**
   * The corpora: reviews retrieve demonstrations from, and merged fixes are added to, the one a
   * repository's config names (default: the operator's corpus folder).
   */
  corpus: CorpusProvider;
  /** The operator's code model. Absent: precedent mode (demonstrations, no rewrites). */
  model?: ModelDependency;
  /** Analyzers judging the samples, and the functions of merged fixes before they join the corpus; `[]` runs none. */
  analyzers: readonly Analyzer[];
  /** The app's bot login (`<slug>[bot]`). Default: asked of GitHub (`GET /app`) once. */
  botLogin?: string;
  /** Default: probot's logger. */
  log?: Logger;
  /** Where webhook handlers put jobs. Default: an in-process queue. */
  queue?: JobQueue;
  /** Jobs this process runs at once; 0 only queues them (workers elsewhere take them; needs a shared queue). Default 2. */
  workers?: number;
  /** Time a review's hardening may take, in milliseconds. Default 10 minutes. */
  deadlineMs?: number;
  metrics?: AppMetricsSink;
}

/** Default number of jobs a process runs at once. */
export const DEFAULT_WORKERS = 2;
