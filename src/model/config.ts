// The model endpoint's settings, validated with zod; the API key is read from the environment, never stored here.

import { z } from 'zod';
import { ApiKeyError, ModelConfigError } from './errors.js';

export const modelConfigSchema = z.strictObject({
  /**
   * Base URL of the OpenAI-compatible API, up to and including the version segment
   * (e.g. `https://api.openai.com/v1`); `/chat/completions` and `/completions` are appended.
   * Required. A trailing slash is ignored.
   */
  baseUrl: z.url({ protocol: /^https?$/, error: 'baseUrl must be an http(s) URL, e.g. https://api.openai.com/v1' }),
  /** Model name as the endpoint knows it (e.g. `gpt-4o-mini`, `openai/gpt-4.1`, `qwen2.5-coder:7b`). Required. */
  model: z.string().min(1, 'model must name the model to call'),
  /**
   * Name of the environment variable that holds the API key (e.g. `OPENAI_API_KEY`).
   * The key itself never appears in config or logs. Default: none, i.e. send no Authorization header.
   */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'apiKeyEnv must be the name of an environment variable, not the key')
    .optional(),
  /** Sampling temperature. Default 0.4, the paper's setting. */
  temperature: z.number().min(0).max(2).default(0.4),
  /** Nucleus-sampling probability mass (`top_p`). Default 0.95. */
  topP: z.number().gt(0).max(1).default(0.95),
  /** Samples per request (`n`); collected over several requests if the server returns fewer. Default 1. */
  samples: z.int().positive().default(1),
  /** Upper bound on generated tokens per sample (`max_tokens`). Default 1024. */
  maxTokens: z.int().positive().default(1024),
  /** Time limit for one HTTP attempt, response body included, in milliseconds. Default 60 000. */
  timeoutMs: z.int().positive().default(60_000),
  /** Extra attempts after a 429, a 5xx, a network error or a timeout; 0 disables retrying. Default 3. */
  retries: z.int().min(0).default(3),
  /** Most requests in flight at once on one client, across all calls. Default 2. */
  concurrency: z.int().positive().default(2),
  /**
   * Extra HTTP headers sent with every request (e.g. an org or project header). Default: none.
   * A configured API key's `Authorization` header takes precedence over one given here.
   */
  headers: z.record(z.string(), z.string()).optional(),
});

/** A validated config with every default filled in. */
export type ModelConfig = z.output<typeof modelConfigSchema>;
/** A config as written by a user: only `baseUrl` and `model` are required. */
export type ModelConfigInput = z.input<typeof modelConfigSchema>;

/** Validates a user-supplied config, turning zod's issues into one readable `ModelConfigError`. */
export function parseModelConfig(input: unknown): ModelConfig {
  const result = modelConfigSchema.safeParse(input);
  if (!result.success) throw new ModelConfigError(z.prettifyError(result.error));
  return result.data;
}

/**
 * The API key named by `config.apiKeyEnv`, read from `env`; `undefined` when no variable is configured.
 * Throws `ApiKeyError` (naming the variable, never its value) when it is configured but unset, empty,
 * or holds something that cannot be sent as a header (spaces inside, line breaks, non-ASCII).
 */
export function resolveApiKey(config: Pick<ModelConfig, 'apiKeyEnv'>, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const variable = config.apiKeyEnv;
  if (variable === undefined) return undefined;
  const raw = env[variable];
  if (raw === undefined) throw new ApiKeyError(variable, 'unset');
  const key = raw.trim();
  if (key === '') throw new ApiKeyError(variable, 'empty');
  if (!/^[\x21-\x7e]+$/.test(key)) throw new ApiKeyError(variable, 'malformed');
  return key;
}
