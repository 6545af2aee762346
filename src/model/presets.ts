// Named endpoints for `--model-url`: a preset name or a URL becomes the base of a model config.

import type { ModelConfigInput } from './config.js';
import { UnknownModelPresetError } from './errors.js';

export interface ModelPreset {
  /** Base URL of the OpenAI-compatible API. */
  readonly baseUrl: string;
  /** Environment variable holding the key by default; absent when the server needs none. */
  readonly apiKeyEnv?: string;
  /** What to know before using it: where the key comes from, which endpoints exist. */
  readonly notes: string;
}

export const MODEL_PRESETS = {
  'github-models': {
    baseUrl: 'https://models.github.ai/inference',
    apiKeyEnv: 'GITHUB_TOKEN',
    notes:
      'GitHub Models. In Actions the workflow GITHUB_TOKEN works when the job has `permissions: models: read`; ' +
      'elsewhere use a fine-grained token with the Models permission. Model names carry a publisher, e.g. ' +
      '`openai/gpt-4.1-mini`. Chat only: there is no /completions endpoint.',
  },
  openai: {
    baseUrl: 'https://api.openai.com/v1',
    apiKeyEnv: 'OPENAI_API_KEY',
    notes: 'OpenAI. /completions serves only legacy completion models such as gpt-3.5-turbo-instruct; use chat otherwise.',
  },
  ollama: {
    baseUrl: 'http://localhost:11434/v1',
    notes: 'Ollama on this machine; no key. Pull the model first, e.g. `ollama pull qwen2.5-coder:7b`.',
  },
  vllm: {
    baseUrl: 'http://localhost:8000/v1',
    notes: '`vllm serve <model>` on this machine; no key unless started with --api-key (then set apiKeyEnv).',
  },
  llamacpp: {
    baseUrl: 'http://localhost:8080/v1',
    notes: '`llama-server -m <model.gguf>` on this machine; no key unless started with --api-key (then set apiKeyEnv).',
  },
} as const satisfies Record<string, ModelPreset>;

export type ModelPresetName = keyof typeof MODEL_PRESETS;

export const MODEL_PRESET_NAMES = Object.keys(MODEL_PRESETS) as ModelPresetName[];

export function isModelPresetName(value: string): value is ModelPresetName {
  return Object.hasOwn(MODEL_PRESETS, value);
}

/**
 * Turns a preset name (`openai`, `ollama`, ...) or an http(s) base URL into the endpoint part of a
 * model config: `baseUrl`, plus the preset's default `apiKeyEnv`. A URL carries no key variable;
 * spread the result under the user's own settings so theirs win.
 */
export function modelTargetConfig(target: string): Pick<ModelConfigInput, 'baseUrl' | 'apiKeyEnv'> {
  const trimmed = target.trim();
  if (isModelPresetName(trimmed)) {
    const preset: ModelPreset = MODEL_PRESETS[trimmed];
    return preset.apiKeyEnv === undefined ? { baseUrl: preset.baseUrl } : { baseUrl: preset.baseUrl, apiKeyEnv: preset.apiKeyEnv };
  }
  if (isHttpUrl(trimmed)) return { baseUrl: trimmed };
  throw new UnknownModelPresetError(target, MODEL_PRESET_NAMES);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
