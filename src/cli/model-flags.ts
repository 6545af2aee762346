// The code model the command-line flags name: `--model-url` (a URL or preset, or
// $SECCODER_MODEL_URL), `--model` (or $SECCODER_MODEL) and `--api-key-env` (default: the preset's).
import type { ModelConfigInput } from '../model/config.js';
import { OpenAiCompatibleModel } from '../model/openai-client.js';
import { modelTargetConfig } from '../model/presets.js';
import type { CodeModel } from '../model/types.js';

export interface ModelFlags {
  modelUrl?: string;
  model?: string;
  apiKeyEnv?: string;
}

/** The client, or undefined when no model URL is given (precedent mode); `extra` sets sampling options. */
export function modelFromFlags(flags: ModelFlags, extra: Partial<ModelConfigInput> = {}): CodeModel | undefined {
  const url = flags.modelUrl ?? process.env.SECCODER_MODEL_URL;
  if (!url) return undefined;
  const name = flags.model ?? process.env.SECCODER_MODEL;
  if (!name) throw new Error('--model <name> is required with --model-url (or set SECCODER_MODEL)');
  const target = modelTargetConfig(url);
  return new OpenAiCompatibleModel({ ...target, ...extra, model: name, apiKeyEnv: flags.apiKeyEnv ?? target.apiKeyEnv });
}
