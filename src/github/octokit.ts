// The one Octokit policy SecCoder talks to GitHub with: REST methods and pagination, retry of
// server errors, and throttling that waits out primary and secondary (abuse) rate limits as long
// as GitHub's retry-after asks, within bounds. The Action and the CLI get `createOctokit`; the App
// gets `appOctokitClass` (app-octokit.ts), probot's Octokit with the same rate-limit handlers (probot's own default
// gives up on a secondary rate limit, throwing the model's work away). Probot keys the throttle by
// installation, so one busy installation does not slow the others. Tests turn retry and
// throttling off, or shrink the waits.
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';

type OctokitOptions = NonNullable<ConstructorParameters<typeof Octokit>[0]>;

/** Where Octokit reports (pino's methods fit). */
export interface OctokitLog {
  debug(message: string, ...rest: unknown[]): unknown;
  info(message: string, ...rest: unknown[]): unknown;
  warn(message: string, ...rest: unknown[]): unknown;
  error(message: string, ...rest: unknown[]): unknown;
}

export interface CreateOctokitOptions {
  /** A token (installation, `GITHUB_TOKEN`, personal). Default: none (unauthenticated). */
  auth?: string;
  /** API root, for GitHub Enterprise Server (`https://ghe.example.com/api/v3`). Default `https://api.github.com`. */
  baseUrl?: string;
  /** Retry 5xx answers and network errors, with growing waits. Default true; tests turn it off. */
  retry?: boolean;
  /** Extra attempts after a server error. Default 3. */
  retries?: number;
  /** Queue requests within GitHub's limits and wait out rate limits. Default true; tests turn it off. */
  throttle?: boolean;
  /** Times one request is retried after hitting a rate limit (primary or secondary). Default 2. */
  rateLimitRetries?: number;
  /** A rate limit that resets later than this many seconds from now fails at once. Default 600. */
  maxRateLimitWaitSeconds?: number;
  /**
   * Milliseconds waited per second GitHub asks for (and per retry-delay unit). Default 1000;
   * tests shrink it to keep waits short.
   */
  retryAfterBaseValue?: number;
  /** Request options passed to Octokit as they are, e.g. `{ fetch }` for a custom fetch. */
  request?: OctokitOptions['request'];
  /** Default: Octokit's (warnings and errors to the console). */
  log?: OctokitLog;
  /** Default `seccoder`. */
  userAgent?: string;
}

const SecCoderOctokit = Octokit.plugin(throttling, retry);

/** What a rate-limit handler is told about the request. */
interface LimitedRequest {
  method: string;
  url: string;
}

export type RateLimitOptions = Pick<CreateOctokitOptions, 'rateLimitRetries' | 'maxRateLimitWaitSeconds' | 'retryAfterBaseValue'>;

/**
 * The throttle plugin's handlers: retry a rate-limited request (primary or secondary) after the
 * wait GitHub asks for, up to `rateLimitRetries` times, unless the wait is longer than
 * `maxRateLimitWaitSeconds`.
 */
export function rateLimitHandlers(options: RateLimitOptions = {}) {
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  const maxWait = options.maxRateLimitWaitSeconds ?? 600;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: LimitedRequest, octokit: { log: OctokitLog }, retryCount: number): boolean => {
      const where = `${request.method} ${request.url}`;
      if (retryCount >= rateLimitRetries || retryAfter > maxWait) {
        octokit.log.warn(`${kind} hit on ${where}; giving up after ${retryCount} retries (reset in ${retryAfter}s)`);
        return false;
      }
      octokit.log.warn(`${kind} hit on ${where}; retrying in ${retryAfter}s (retry ${retryCount + 1} of ${rateLimitRetries})`);
      return true;
    };
  return {
    retryAfterBaseValue: options.retryAfterBaseValue ?? 1000,
    onRateLimit: onLimit('rate limit'),
    onSecondaryRateLimit: onLimit('secondary rate limit'),
  };
}

/** An Octokit with REST methods, pagination, retry and throttling (each switchable). */
export function createOctokit(options: CreateOctokitOptions = {}): Octokit {
  const { retryAfterBaseValue: base, onRateLimit, onSecondaryRateLimit } = rateLimitHandlers(options);

  return new SecCoderOctokit({
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.request ? { request: options.request } : {}),
    ...(options.log ? { log: options.log } : {}),
    userAgent: options.userAgent ?? 'seccoder',
    retry: { enabled: options.retry ?? true, retries: options.retries ?? 3, retryAfterBaseValue: base },
    throttle: {
      enabled: options.throttle ?? true,
      retryAfterBaseValue: base,
      onRateLimit,
      onSecondaryRateLimit,
    },
  });
}
