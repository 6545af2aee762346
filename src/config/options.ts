// A validated `.github/seccoder.yml` as the options of the modules it steers: target selection,
// the pipeline, the model endpoint (combined with the operator's settings) and the corpus.
import { DEFAULT_IGNORE, DEFAULT_TARGET_OPTIONS, type TargetOptions } from '../detect/targets.js';
import type { OperatorModelSettings } from '../model/operator-settings.js';
import type { GenerationOptions } from '../model/types.js';
import type { PromptBudget } from '../prompt/types.js';
import type { SecCoderConfig } from './schema.js';

/** The ignore globs in effect: the built-in list (unless `ignore-defaults: false`) plus the repository's. */
export function ignoreGlobs(config: SecCoderConfig): string[] {
  const base = config.paths['ignore-defaults'] ? DEFAULT_IGNORE : [];
  return [...new Set([...base, ...config.paths.ignore])];
}

/** The config as the detect module's target options. */
export function toTargetOptions(config: SecCoderConfig): TargetOptions {
  return {
    maxTargets: config.maxTargets,
    maxFunctionLines: DEFAULT_TARGET_OPTIONS.maxFunctionLines,
    ignore: ignoreGlobs(config),
    ...(config.languages ? { languages: [...new Set(config.languages)] } : {}),
    targets: { alerts: config.targets.alerts, newFunctions: config.targets['new-functions'] },
    skipRiskless: !config.targets['riskless-functions'],
  };
}

/**
 * The pipeline options a repository's config decides. Typed with the domain types they are made
 * of, so config need not know the pipeline: the result is assignable to its `HardenOptions`.
 */
export interface ConfigHardenOptions {
  /** Demonstrations retrieved per target: at least 3, so the similarity floor and the prompt budget have some to choose from. */
  retrieve: number;
  /** `maxDemonstrations` is the config's `demonstrations`. */
  budget: PromptBudget;
  /** The config's `minSimilarity`. */
  minSimilarity: number;
  /** The config's `model.temperature` and `model.samples`. */
  generation: GenerationOptions;
}

/** The config as the pipeline's options: demonstrations shown, similarity floor, sampling. */
export function toHardenOptions(config: SecCoderConfig): ConfigHardenOptions {
  return {
    retrieve: Math.max(3, config.demonstrations),
    budget: { maxDemonstrations: config.demonstrations },
    minSimilarity: config.minSimilarity,
    generation: { temperature: config.model.temperature, samples: config.model.samples },
  };
}

/** Base URL, model name and key variable to build the model client from. */
export interface ModelEndpoint {
  baseUrl: string;
  model: string;
  apiKeyEnv?: string;
  temperature: number;
  samples: number;
}

export type ModelEndpointResult = { ok: true; endpoint: ModelEndpoint } | { ok: false; reason: string };

/**
 * Combines the repository's `model` keys with the operator's settings. Not ok when no URL or name
 * is known (precedent mode) or when, in the app, the config asks for a URL or key variable of
 * its own that the operator does not allow.
 */
export function modelEndpoint(config: SecCoderConfig, operator: OperatorModelSettings): ModelEndpointResult {
  const { model } = config;
  let apiKeyEnv = model.apiKeyEnv ?? operator.apiKeyEnv;
  if ((operator.environment ?? 'app') === 'app') {
    const ownUrl = model.url !== undefined && model.url !== operator.url;
    if (model.apiKeyEnv !== undefined && model.apiKeyEnv !== operator.apiKeyEnv) {
      return { ok: false, reason: "model.apiKeyEnv names a variable of the app's server; only the GitHub Action reads it" };
    }
    if (ownUrl && !operator.allowRepositoryUrl) {
      return { ok: false, reason: 'model.url is set, but this SecCoder app only calls the model endpoint its operator configured' };
    }
    apiKeyEnv = ownUrl ? undefined : operator.apiKeyEnv;
  }
  const baseUrl = model.url ?? operator.url;
  const name = model.name ?? operator.name;
  if (!baseUrl || !name) return { ok: false, reason: 'no model configured: set model.url and model.name, or the app settings' };
  return {
    ok: true,
    endpoint: { baseUrl, model: name, ...(apiKeyEnv ? { apiKeyEnv } : {}), temperature: model.temperature, samples: model.samples },
  };
}

/** Where the corpus is, with the default repository filled in. */
export type CorpusLocation = { store: 'local'; folder?: string } | { store: 'repository'; owner: string; repo: string };

/** The corpus location for a repository of `org`: a folder below the app's corpus root, or `<org>/.seccoder`. */
export function corpusLocation(config: SecCoderConfig, org: string): CorpusLocation {
  const { store, location } = config.corpus;
  if (store === 'local') return location ? { store, folder: location } : { store };
  const [owner = org, repo = '.seccoder'] = location ? location.split('/') : [org, '.seccoder'];
  return { store, owner, repo };
}
