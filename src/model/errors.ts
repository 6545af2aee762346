// Named errors for the model client: each carries what a user needs to act, and never the API key.
import { SecCoderError, type SecCoderErrorOptions } from '../errors/seccoder-error.js';

/** The model config failed validation; `details` lists each problem by field. */
export class ModelConfigError extends SecCoderError {
  override name = 'ModelConfigError';
  constructor(readonly details: string) {
    super(`invalid model config:\n${details}`);
  }
}

/** Why the variable named by `apiKeyEnv` holds no usable key. */
export type ApiKeyProblem = 'unset' | 'empty' | 'malformed';

/** `apiKeyEnv` names a variable that is unset, empty or not a key. Carries the variable's name, never a value. */
export class ApiKeyError extends SecCoderError {
  override name = 'ApiKeyError';
  constructor(
    readonly variable: string,
    readonly problem: ApiKeyProblem,
  ) {
    super(apiKeyMessage(variable, problem));
  }
}

function apiKeyMessage(variable: string, problem: ApiKeyProblem): string {
  const remedy = `(named by apiKeyEnv in the model config), or remove apiKeyEnv if the server needs no key`;
  switch (problem) {
    case 'unset':
      return `the model API key is missing: set the environment variable ${variable} ${remedy}`;
    case 'empty':
      return `the environment variable ${variable} is empty: set it to the model API key ${remedy}`;
    case 'malformed':
      return (
        `the environment variable ${variable} does not hold a usable API key ` +
        `(it contains spaces, line breaks or non-ASCII characters): set it to the key alone`
      );
  }
}

/** A `--model-url` value that is neither a known preset nor an http(s) URL. */
export class UnknownModelPresetError extends SecCoderError {
  override name = 'UnknownModelPresetError';
  constructor(
    readonly target: string,
    readonly presets: readonly string[],
  ) {
    super(`unknown model preset "${target}": check --model-url; use one of ${presets.join(', ')} ` + `or an http(s) base URL such as http://localhost:8000/v1`);
  }
}

/** Base of every failure talking to the endpoint; catch this to handle them all. */
export class ModelRequestError extends SecCoderError {
  override name = 'ModelRequestError';
  constructor(
    message: string,
    /** The full URL that was called, e.g. `https://api.openai.com/v1/chat/completions`. */
    readonly endpoint: string,
    /** HTTP status of the last reply, when there was one. */
    readonly status: number | undefined,
    /** Attempts made, retries included. */
    readonly attempts: number,
    options?: SecCoderErrorOptions,
  ) {
    super(message, options);
  }
}

/** The endpoint answered with an error status: at once for a 4xx, after the retries for a 429 or 5xx. */
export class ModelHttpError extends ModelRequestError {
  override name = 'ModelHttpError';
  constructor(
    endpoint: string,
    status: number,
    attempts: number,
    /** What to do about it, e.g. "check that OPENAI_API_KEY holds a valid key"; kept as `hint`. */
    hint: string,
    /** At most 200 characters of the response body, secrets removed. */
    readonly excerpt: string,
  ) {
    // The message says the hint too: check runs and PR comments show only the message.
    super(
      `model endpoint ${endpoint} answered HTTP ${status}${afterAttempts(attempts)}: ${hint}` + (excerpt ? `. Response: ${excerpt}` : ''),
      endpoint,
      status,
      attempts,
      { hint },
    );
  }
}

/** A success status whose body is not the expected JSON (HTML, no `choices`, wrong types...). */
export class ModelResponseError extends ModelRequestError {
  override name = 'ModelResponseError';
  constructor(
    endpoint: string,
    status: number,
    /** What was wrong with the body, e.g. "not JSON" or "choices: expected array". */
    readonly reason: string,
    /** At most 200 characters of the response body, secrets removed. */
    readonly excerpt: string,
  ) {
    super(
      `model endpoint ${endpoint} sent an unusable reply (HTTP ${status}): ${reason}; ` +
        `check the model URL (--model-url, or model.url in .github/seccoder.yml) points at an OpenAI-compatible API (usually ending in /v1). Response: ${excerpt || '(empty)'}`,
      endpoint,
      status,
      1,
    );
  }
}

/** No complete reply within `timeoutMs` on any attempt. */
export class ModelTimeoutError extends ModelRequestError {
  override name = 'ModelTimeoutError';
  constructor(
    endpoint: string,
    readonly timeoutMs: number,
    attempts: number,
  ) {
    super(
      `no reply from ${endpoint} within ${timeoutMs} ms${afterAttempts(attempts, 'on any of')}: ` +
        `raise timeoutMs, lower maxTokens or samples, or check the server is not overloaded`,
      endpoint,
      undefined,
      attempts,
    );
  }
}

/** The endpoint could not be reached at all (refused, DNS, reset) on any attempt. */
export class ModelNetworkError extends ModelRequestError {
  override name = 'ModelNetworkError';
  constructor(
    endpoint: string,
    readonly reason: string,
    attempts: number,
    options?: ErrorOptions,
  ) {
    super(
      `could not reach ${endpoint} (${reason})${afterAttempts(attempts)}: check the model URL (--model-url, or model.url) and that the server is running`,
      endpoint,
      undefined,
      attempts,
      options,
    );
  }
}

function afterAttempts(attempts: number, preposition = 'after'): string {
  return attempts > 1 ? ` ${preposition} ${attempts} attempts` : '';
}

/**
 * Failures no later request of the same run can escape: unreachable, unauthorized, no such
 * endpoint or model. The CLI stops asking after one; the eval stops the run.
 */
export function isFatalModelError(error: unknown): boolean {
  if (error instanceof ModelNetworkError) return true;
  return error instanceof ModelHttpError && [401, 403, 404].includes(error.status ?? 0);
}
