// The options several commands share, declared once so each has one name, default and help text
// everywhere: the corpus and its index (`--corpus`, `--embedder`) and the code model
// (`--model-url`, `--model`, `--api-key-env`), and how the model options become settings.
import type { Command } from 'commander';
import type { ModelConfigInput } from '../model/config.js';
import { createModelClient, MODEL_SETTINGS_ENV, readOperatorModelSettings, type OperatorModelEndpoint } from '../model/operator-settings.js';
import { MODEL_PRESET_NAMES } from '../model/presets.js';
import type { CodeModel } from '../model/types.js';
import { UsageError } from './usage-error.js';

/** What `withCorpusOption` declares. */
export interface CorpusOptions {
  corpus?: string;
}

/** What `withIndexOptions` declares: what `openIndexForCli` reads. */
export interface IndexOptions extends CorpusOptions {
  embedder: string;
}

/** What `withModelOptions` declares. */
export interface ModelOptions {
  modelUrl?: string;
  model?: string;
  apiKeyEnv?: string;
}

/** `--corpus <dir>`: the corpus folder. Default: `./corpus`, else `$SECCODER_CORPUS`, else the bundled seed corpus. */
export function withCorpusOption<C extends Command>(command: C): C {
  command.option('--corpus <dir>', 'corpus folder (default: ./corpus, $SECCODER_CORPUS, or the bundled seed)');
  return command;
}

/** `--corpus` and `--embedder <name>`: the embedder of the corpus's index, `default` (the bundled one, the default) or `onnx:<folder>`. */
export function withIndexOptions<C extends Command>(command: C): C {
  withCorpusOption(command).option('--embedder <name>', 'default | onnx:<folder with model.onnx and tokenizer.json>', 'default');
  return command;
}

/**
 * `--model-url <url>` (a URL or preset; default `$SECCODER_MODEL_URL`, else none), `--model <name>`
 * (default `$SECCODER_MODEL`) and `--api-key-env <var>` (default `$SECCODER_MODEL_API_KEY_ENV`, else
 * the preset's usual variable). `withoutModel` says what the command does when no model is given.
 */
export function withModelOptions<C extends Command>(command: C, withoutModel = 'precedent mode'): C {
  const presets = MODEL_PRESET_NAMES.join(', ');
  command
    .option('--model-url <url>', `OpenAI-compatible endpoint or preset (${presets}); or $${MODEL_SETTINGS_ENV.url} (default: ${withoutModel})`)
    .option('--model <name>', `model name at that endpoint; or $${MODEL_SETTINGS_ENV.name}`)
    .option('--api-key-env <var>', `environment variable holding the model API key; or $${MODEL_SETTINGS_ENV.apiKeyEnv} (default: the preset's usual one)`);
  return command;
}

/**
 * The model settings the options name, with the environment's as fallback; undefined without a
 * model URL. The name may be left to the repository's config (`seccoder review`).
 */
export function modelSettingsOf(options: ModelOptions): OperatorModelEndpoint | undefined {
  return readOperatorModelSettings({ url: options.modelUrl, name: options.model, apiKeyEnv: options.apiKeyEnv }, { environment: 'repository' });
}

/**
 * The client the options name, for commands without a repository's config (`harden`, `eval`), so
 * a model URL needs a model name; undefined without a URL (precedent mode). `sampling` sets the
 * generation defaults.
 */
export function modelClientOf(options: ModelOptions, sampling: Partial<ModelConfigInput> = {}): CodeModel | undefined {
  const settings = modelSettingsOf(options);
  if (!settings) return undefined;
  if (!settings.name) throw new UsageError(`--model <name> is required with --model-url (or set ${MODEL_SETTINGS_ENV.name})`);
  return createModelClient({ ...settings, name: settings.name }, sampling);
}
