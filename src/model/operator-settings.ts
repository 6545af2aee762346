// The model settings of whoever runs SecCoder: the App's operator (environment variables), the
// CLI's user (flags, else the same variables) or the Action's workflow (inputs). Read in one place
// so a preset name means the same endpoint and key variable everywhere; a repository's config may
// then fill in or override parts of them (`modelEndpoint` in src/config/options.ts).
import type { ModelConfigInput } from './config.js';
import { OpenAiCompatibleModel } from './openai-client.js';
import { modelTargetConfig } from './presets.js';
import type { CodeModel } from './types.js';

/** Whose environment a key variable is read from; see `OperatorModelSettings.environment`. */
export type ModelEnvironment = 'app' | 'repository';

/** The model settings of whoever runs SecCoder (app operator's environment, or the Action's inputs). */
export interface OperatorModelSettings {
  /** Base URL of the OpenAI-compatible API (a preset already resolved). */
  url?: string;
  /** Model name at that endpoint; absent: a repository's config must name it. */
  name?: string;
  /** Name of the environment variable holding the API key; absent: no key is sent. */
  apiKeyEnv?: string;
  /**
   * Whose environment variables `apiKeyEnv` reads. `repository` (the Action, the CLI): the
   * repository's own, so its config's keys are used as written. `app` (default): the app
   * server's, shared by every installation, so a repository's config must not name a variable
   * (it could be any secret of the server) nor send the operator's key to a URL it chose.
   */
  environment?: ModelEnvironment;
  /** In the app: let a repository's config choose `model.url`, called without any key. Default false. */
  allowRepositoryUrl?: boolean;
}

/** Settings that name an endpoint: a model can be called, given a name. */
export type OperatorModelEndpoint = OperatorModelSettings & { url: string };

/** Settings a client can be made from without a repository's config: endpoint and model name. */
export type ModelClientSettings = OperatorModelEndpoint & { name: string };

/** Values given explicitly (CLI flags, Action inputs); each one left out is read from the environment. */
export interface ModelSettingsValues {
  /** An http(s) base URL or a preset name (`github-models`, `openai`, `ollama`, …). */
  url?: string;
  name?: string;
  apiKeyEnv?: string;
}

/** The environment variables each value falls back to. */
export const MODEL_SETTINGS_ENV = {
  url: 'SECCODER_MODEL_URL',
  name: 'SECCODER_MODEL',
  apiKeyEnv: 'SECCODER_MODEL_API_KEY_ENV',
} as const satisfies Record<keyof ModelSettingsValues, string>;

export interface ReadModelSettingsOptions {
  /** Whose environment the key variable belongs to. */
  environment: ModelEnvironment;
  /** Where values not given explicitly are read from. Default `process.env`; `{}` reads none. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The operator's settings: each value as given, else from its environment variable (an empty
 * string counts as not set); a preset URL becomes its base URL, and its usual key variable
 * applies unless one is named. Undefined without a URL: precedent mode, unless a repository's
 * config names a model. Throws `UnknownModelPresetError` for a URL that is neither.
 */
export function readOperatorModelSettings(values: ModelSettingsValues, options: ReadModelSettingsOptions): OperatorModelEndpoint | undefined {
  const env = options.env ?? process.env;
  // An explicit value, even an empty one, wins over the variable: `--model-url ''` means no model.
  const read = (key: keyof ModelSettingsValues) => (values[key] ?? env[MODEL_SETTINGS_ENV[key]]) || undefined;
  const url = read('url');
  if (url === undefined) return undefined;
  const target = modelTargetConfig(url);
  const name = read('name');
  // An empty variable name turns the preset's key off, for a server that needs none.
  const apiKeyEnv = (values.apiKeyEnv ?? env[MODEL_SETTINGS_ENV.apiKeyEnv] ?? target.apiKeyEnv) || undefined;
  return { url: target.baseUrl, ...(name ? { name } : {}), ...(apiKeyEnv ? { apiKeyEnv } : {}), environment: options.environment };
}

/**
 * The client for settings used without a repository's config (the CLI's `harden` and `eval`);
 * `sampling` sets the generation defaults (temperature, samples, …), the settings the endpoint.
 */
export function createModelClient(settings: ModelClientSettings, sampling: Partial<ModelConfigInput> = {}): CodeModel {
  return new OpenAiCompatibleModel({
    ...sampling,
    baseUrl: settings.url,
    model: settings.name,
    ...(settings.apiKeyEnv ? { apiKeyEnv: settings.apiKeyEnv } : {}),
  });
}
