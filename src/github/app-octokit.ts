// The App's Octokit: probot's client with the rate-limit policy of octokit.ts. Its own file so the
// Action's bundle, which uses `createOctokit` only, does not pull in probot.
import { ProbotOctokit } from 'probot';
import { rateLimitHandlers, type RateLimitOptions } from './octokit.js';

export interface AppOctokitOptions extends RateLimitOptions {
  /** Retry 5xx answers and network errors. Default true; tests turn it off. */
  retry?: boolean;
  /** Extra attempts after a server error. Default 3. */
  retries?: number;
  /** Throttling and rate-limit waits. Default true; tests turn it off. */
  throttle?: boolean;
}

/**
 * probot's Octokit class (pass it as `new Probot({ Octokit })`) with SecCoder's retry and
 * rate-limit policy. The function form keeps what probot sets per client: the throttle's id (the
 * installation) and, with REDIS_URL, its Redis connection shared by every instance.
 */
export function appOctokitClass(options: AppOctokitOptions = {}): typeof ProbotOctokit {
  const handlers = rateLimitHandlers(options);
  return ProbotOctokit.defaults((instance: Record<string, unknown>) => ({
    ...instance,
    retry: { enabled: options.retry ?? true, retries: options.retries ?? 3, retryAfterBaseValue: handlers.retryAfterBaseValue },
    throttle: { ...(instance.throttle as object | undefined), enabled: options.throttle ?? true, ...handlers },
  }));
}
