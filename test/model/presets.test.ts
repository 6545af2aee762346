import { describe, expect, it } from 'vitest';
import { modelConfigSchema } from '../../src/model/config.js';
import { UnknownModelPresetError } from '../../src/model/errors.js';
import { MODEL_PRESETS, MODEL_PRESET_NAMES, modelTargetConfig } from '../../src/model/presets.js';

describe('modelTargetConfig', () => {
  it('expands presets with their default key variable', () => {
    expect(modelTargetConfig('github-models')).toEqual({
      baseUrl: 'https://models.github.ai/inference',
      apiKeyEnv: 'GITHUB_TOKEN',
    });
    expect(modelTargetConfig('openai')).toEqual({ baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' });
    expect(modelTargetConfig('ollama')).toEqual({ baseUrl: 'http://localhost:11434/v1' });
    expect(modelTargetConfig('vllm')).toEqual({ baseUrl: 'http://localhost:8000/v1' });
    expect(modelTargetConfig('llamacpp')).toEqual({ baseUrl: 'http://localhost:8080/v1' });
  });

  it('passes an http(s) URL through without a key variable', () => {
    expect(modelTargetConfig('https://gateway.example/v1')).toEqual({ baseUrl: 'https://gateway.example/v1' });
  });

  it('rejects anything else, listing the presets', () => {
    for (const target of ['gpt4', 'toString', 'file:///etc/passwd']) {
      expect(() => modelTargetConfig(target)).toThrow(UnknownModelPresetError);
    }
    expect(() => modelTargetConfig('olama')).toThrow(/check --model-url; use one of github-models, openai, ollama/);
  });

  it('yields valid configs for every preset', () => {
    for (const name of MODEL_PRESET_NAMES) {
      expect(modelConfigSchema.safeParse({ ...modelTargetConfig(name), model: 'm' }).success).toBe(true);
      expect(MODEL_PRESETS[name].notes.length).toBeGreaterThan(0);
    }
  });
});
