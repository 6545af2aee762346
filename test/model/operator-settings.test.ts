// The operator's model settings, read alike for the App (environment), the CLI (flags, then the
// environment) and the Action (inputs only): presets resolved, their key variable the default.
import { describe, expect, it } from 'vitest';
import { UnknownModelPresetError } from '../../src/model/errors.js';
import { createModelClient, readOperatorModelSettings } from '../../src/model/operator-settings.js';

const ENV = { SECCODER_MODEL_URL: 'openai', SECCODER_MODEL: 'gpt-4o-mini', SECCODER_MODEL_API_KEY_ENV: 'OPERATOR_KEY' };

describe('readOperatorModelSettings', () => {
  it('reads the environment when nothing is given (the App)', () => {
    expect(readOperatorModelSettings({}, { environment: 'app', env: ENV })).toEqual({
      url: 'https://api.openai.com/v1',
      name: 'gpt-4o-mini',
      apiKeyEnv: 'OPERATOR_KEY',
      environment: 'app',
    });
  });

  it("prefers given values, and takes the preset's key variable when none is named", () => {
    const settings = readOperatorModelSettings({ url: 'github-models', name: 'openai/gpt-4.1-mini' }, { environment: 'repository', env: {} });
    expect(settings).toEqual({ url: 'https://models.github.ai/inference', name: 'openai/gpt-4.1-mini', apiKeyEnv: 'GITHUB_TOKEN', environment: 'repository' });
    expect(readOperatorModelSettings({ url: 'http://localhost:8000/v1', apiKeyEnv: 'VLLM_KEY' }, { environment: 'repository', env: ENV })).toEqual({
      url: 'http://localhost:8000/v1',
      name: 'gpt-4o-mini',
      apiKeyEnv: 'VLLM_KEY',
      environment: 'repository',
    });
  });

  it('is precedent mode without a URL; an empty value counts as not set, and an explicit one blocks the variable', () => {
    expect(readOperatorModelSettings({}, { environment: 'app', env: {} })).toBeUndefined();
    expect(readOperatorModelSettings({}, { environment: 'app', env: { SECCODER_MODEL_URL: '' } })).toBeUndefined();
    expect(readOperatorModelSettings({ url: '' }, { environment: 'repository', env: ENV })).toBeUndefined();
    expect(readOperatorModelSettings({ url: 'openai', apiKeyEnv: '' }, { environment: 'repository', env: {} })).toEqual({
      url: 'https://api.openai.com/v1',
      environment: 'repository',
    });
  });

  it('rejects a URL that is neither a preset nor http(s)', () => {
    expect(() => readOperatorModelSettings({ url: 'chatgpt' }, { environment: 'repository', env: {} })).toThrow(UnknownModelPresetError);
  });
});

describe('createModelClient', () => {
  it('makes a client named after the model', () => {
    const model = createModelClient({ url: 'http://localhost:8000/v1', name: 'coder-7b' }, { samples: 2 });
    expect(model.name).toBe('coder-7b');
  });
});
