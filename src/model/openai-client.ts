// A CodeModel over any OpenAI-compatible HTTP API (OpenAI, GitHub Models, vLLM, Ollama, llama.cpp server).

import type { z } from 'zod';
import { parseModelConfig, resolveApiKey, type ModelConfig, type ModelConfigInput } from './config.js';
import { ModelConfigError, ModelHttpError, ModelNetworkError, ModelResponseError, ModelTimeoutError } from './errors.js';
import { bodyExcerpt } from './excerpt.js';
import { chatResponseSchema, chatSamples, completionResponseSchema, completionSamples } from './response-schemas.js';
import { backoffDelayMs, isRetryableStatus, parseRetryAfterMs } from './retry-policy.js';
import { Semaphore } from './semaphore.js';
import { statusHint } from './status-hints.js';
import type { ChatMessage, CodeModel, GenerationOptions } from './types.js';

export interface OpenAiClientOptions {
  /** Environment the API key is read from (the variable named by `apiKeyEnv`). Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Waits between attempts. Default: a real timer. Tests pass a recorder so backoff costs no time. */
  sleep?: (ms: number) => Promise<void>;
  /** Source of backoff jitter, returning a number in [0, 1). Default: `Math.random`. */
  random?: () => number;
  /** Current time in epoch milliseconds, for `Retry-After` dates. Default: `Date.now`. */
  now?: () => number;
}

/** What one HTTP attempt came to; only `reply` with a 2xx status ends the retry loop with a result. */
type Attempt =
  { kind: 'reply'; status: number; retryAfter: string | null; body: string } | { kind: 'timeout' } | { kind: 'network'; reason: string; error: unknown };

export class OpenAiCompatibleModel implements CodeModel {
  readonly name: string;
  readonly concurrency: number;
  /** The validated config, defaults filled in. Holds the key's variable name, never the key. */
  readonly config: ModelConfig;
  /** Kept private so that logging or inspecting the client never shows it. */
  readonly #apiKey: string | undefined;
  readonly #headers: Record<string, string>;
  readonly #slots: Semaphore;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;

  /** Throws `ModelConfigError` for an invalid config and `ApiKeyError` when `apiKeyEnv` is set but unusable. */
  constructor(config: ModelConfigInput, options: OpenAiClientOptions = {}) {
    this.config = parseModelConfig(config);
    this.name = this.config.model;
    this.concurrency = this.config.concurrency;
    this.#apiKey = resolveApiKey(this.config, options.env);
    this.#headers = requestHeaders(this.config.headers, this.#apiKey);
    this.#slots = new Semaphore(this.config.concurrency);
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  chat(messages: ChatMessage[], options: GenerationOptions = {}): Promise<string[]> {
    return this.#sample('/chat/completions', { messages }, options, chatResponseSchema, chatSamples);
  }

  complete(prompt: string, options: GenerationOptions = {}): Promise<string[]> {
    return this.#sample('/completions', { prompt }, options, completionResponseSchema, completionSamples);
  }

  /**
   * Collects `samples` generations. Some servers ignore `n` and return fewer choices than asked; then
   * the rest is requested again, split into requests no larger than what the server did return, run
   * side by side (within `concurrency`). Every request yields at least one sample (the schema rejects
   * empty `choices`) and never asks for more than are missing, so there are at most `samples` requests.
   */
  async #sample<S extends z.ZodType>(
    path: string,
    input: Record<string, unknown>,
    options: GenerationOptions,
    schema: S,
    extract: (reply: z.output<S>) => string[],
  ): Promise<string[]> {
    const wanted = options.samples ?? this.config.samples;
    if (!Number.isInteger(wanted) || wanted < 1) throw new RangeError(`samples must be a positive integer, got ${wanted}`);
    const params = {
      temperature: options.temperature ?? this.config.temperature,
      top_p: options.topP ?? this.config.topP,
    };
    const limits = {
      max_tokens: options.maxTokens ?? this.config.maxTokens,
      ...(options.stop && options.stop.length > 0 ? { stop: options.stop } : {}),
    };
    const samples: string[] = [];
    let perRequest = wanted;
    while (samples.length < wanted) {
      const batches = splitInto(wanted - samples.length, perRequest);
      const replies = await Promise.all(batches.map((n) => this.#post(path, { model: this.config.model, ...input, ...params, n, ...limits }, schema)));
      replies.forEach((reply, i) => {
        const asked = batches[i] ?? 1;
        const got = extract(reply).slice(0, asked);
        if (got.length < asked) perRequest = Math.min(perRequest, got.length);
        samples.push(...got);
      });
    }
    return samples;
  }

  /** POSTs `body` with retries (429, 5xx, network errors, timeouts) and returns the validated reply. */
  async #post<S extends z.ZodType>(path: string, body: Record<string, unknown>, schema: S): Promise<z.output<S>> {
    const endpoint = endpointUrl(this.config.baseUrl, path);
    const payload = JSON.stringify(body);
    for (let attempt = 1; ; attempt += 1) {
      const result = await this.#slots.use(() => this.#attempt(endpoint, payload));
      const retriesLeft = attempt <= this.config.retries;
      let retryAfterMs: number | undefined;
      if (result.kind === 'reply') {
        if (result.status >= 200 && result.status < 300) return this.#validate(endpoint, result.status, result.body, schema);
        if (!isRetryableStatus(result.status) || !retriesLeft) {
          const hint = statusHint(result.status, { model: this.config.model, apiKeyEnv: this.config.apiKeyEnv });
          throw new ModelHttpError(endpoint, result.status, attempt, hint, this.#excerpt(result.body));
        }
        retryAfterMs = parseRetryAfterMs(result.retryAfter, this.#now());
      } else if (!retriesLeft) {
        if (result.kind === 'timeout') throw new ModelTimeoutError(endpoint, this.config.timeoutMs, attempt);
        throw new ModelNetworkError(endpoint, result.reason, attempt, { cause: result.error });
      }
      await this.#sleep(retryAfterMs ?? backoffDelayMs(attempt - 1, this.#random));
    }
  }

  /** One request, the body read in full, within `timeoutMs`; failures are returned, not thrown. */
  async #attempt(endpoint: string, payload: string): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.config.timeoutMs);
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: this.#headers,
        body: payload,
        signal: controller.signal,
      });
      const body = await response.text();
      return { kind: 'reply', status: response.status, retryAfter: response.headers.get('retry-after'), body };
    } catch (error) {
      if (timedOut) return { kind: 'timeout' };
      return { kind: 'network', reason: this.#redact(fetchFailureReason(error)), error };
    } finally {
      clearTimeout(timer);
    }
  }

  #validate<S extends z.ZodType>(endpoint: string, status: number, body: string, schema: S): z.output<S> {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new ModelResponseError(endpoint, status, 'the body is not JSON', this.#excerpt(body));
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    const reason = issue ? `${where}${issue.message}` : 'unexpected shape';
    throw new ModelResponseError(endpoint, status, reason, this.#excerpt(body));
  }

  #excerpt(body: string): string {
    return bodyExcerpt(body, this.#apiKey ? [this.#apiKey] : []);
  }

  #redact(text: string): string {
    return this.#apiKey ? text.split(this.#apiKey).join('[redacted]') : text;
  }
}

/** `baseUrl` + `path`, keeping any query string (e.g. `?api-version=...`) after the path. */
function endpointUrl(baseUrl: string, path: string): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  return url.toString();
}

/** `total` split into parts of at most `size` (at least 1). */
function splitInto(total: number, size: number): number[] {
  const step = Math.max(1, size);
  const parts: number[] = [];
  for (let left = total; left > 0; left -= step) parts.push(Math.min(step, left));
  return parts;
}

/** Checked once, up front, so a bad header fails at construction rather than on every request. */
function requestHeaders(extra: Record<string, string> | undefined, apiKey: string | undefined): Record<string, string> {
  let headers: Headers;
  try {
    headers = new Headers(extra);
  } catch {
    throw new ModelConfigError('headers: a header name or value is not valid in HTTP (check for spaces or line breaks)');
  }
  headers.set('content-type', 'application/json');
  headers.set('accept', 'application/json');
  if (apiKey !== undefined) headers.set('authorization', `Bearer ${apiKey}`);
  return Object.fromEntries(headers);
}

/** undici reports "fetch failed" and puts the useful part (ECONNREFUSED, ENOTFOUND...) in `cause`. */
function fetchFailureReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code}: ${cause.message}` : cause.message;
  }
  return error.message;
}

function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
