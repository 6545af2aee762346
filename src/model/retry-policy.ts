// When to retry a model request and how long to wait: pure functions, so the timing is testable.

/** First backoff step in milliseconds; doubled on each further attempt. */
export const BACKOFF_BASE_MS = 500;
/** Longest computed backoff in milliseconds. */
export const BACKOFF_CAP_MS = 20_000;
/** Longest wait a server's `Retry-After` may impose, in milliseconds; longer asks are cut to this. */
export const RETRY_AFTER_CAP_MS = 60_000;

/** 429 (rate limited) and every 5xx are worth another try; other statuses will not change. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Exponential backoff with "equal jitter": for retry number `retry` (0 for the first retry) the wait is
 * between half and all of min(cap, base * 2^retry), so clients that failed together spread out.
 * `random` returns a number in [0, 1).
 */
export function backoffDelayMs(retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Milliseconds asked for by a `Retry-After` header, either delta-seconds (`"2"`, `"1.5"`) or an HTTP
 * date; capped at `RETRY_AFTER_CAP_MS`. `undefined` when the header is absent or unreadable.
 */
export function parseRetryAfterMs(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (header == null) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) {
    ms = Number(value) * 1000;
  } else if (/^[A-Za-z]{3}/.test(value)) {
    // Every HTTP-date form starts with a day name; this keeps Date.parse from reading "-3" as a year.
    const date = Date.parse(value);
    if (Number.isNaN(date)) return undefined;
    ms = date - now;
  } else {
    return undefined;
  }
  return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, Math.round(ms)));
}
