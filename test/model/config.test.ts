import { describe, expect, it } from 'vitest';
import { modelConfigSchema, parseModelConfig, resolveApiKey } from '../../src/model/config.js';
import { ApiKeyError, ModelConfigError } from '../../src/model/errors.js';

describe('modelConfigSchema', () => {
  it('fills in the defaults', () => {
    expect(modelConfigSchema.parse({ baseUrl: 'http://localhost:11434/v1', model: 'qwen2.5-coder:7b' })).toEqual({
      baseUrl: 'http://localhost:11434/v1',
      model: 'qwen2.5-coder:7b',
      temperature: 0.4,
      topP: 0.95,
      samples: 1,
      maxTokens: 1024,
      timeoutMs: 60_000,
      retries: 3,
      concurrency: 2,
    });
  });

  it('rejects bad values and unknown keys, such as a key pasted into config', () => {
    const secret = 'sk-pasted-into-config-123';
    const error = (() => {
      try {
        parseModelConfig({ baseUrl: 'ftp://x', model: '', apiKey: secret, samples: 0 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ModelConfigError);
    const message = (error as Error).message;
    expect(message).toContain('baseUrl must be an http(s) URL');
    expect(message).toContain('model must name the model');
    expect(message).toContain('apiKey');
    expect(message).toContain('samples');
    expect(message).not.toContain(secret);
  });

  it('wants a variable name in apiKeyEnv, not a key', () => {
    const result = modelConfigSchema.safeParse({ baseUrl: 'https://api.openai.com/v1', model: 'm', apiKeyEnv: 'sk-abc-123' });
    expect(result.success).toBe(false);
  });
});

describe('resolveApiKey', () => {
  it('returns undefined when no variable is configured', () => {
    expect(resolveApiKey({ apiKeyEnv: undefined }, { OPENAI_API_KEY: 'sk-x' })).toBeUndefined();
  });

  it('reads and trims the named variable', () => {
    expect(resolveApiKey({ apiKeyEnv: 'OPENAI_API_KEY' }, { OPENAI_API_KEY: ' sk-abc\n' })).toBe('sk-abc');
  });

  it('names the variable, and nothing else from the environment, when it is missing', () => {
    const env = { GITHUB_TOKEN: 'ghp_secret_value_42' };
    let error: unknown;
    try {
      resolveApiKey({ apiKeyEnv: 'OPENAI_API_KEY' }, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiKeyError);
    expect((error as ApiKeyError).problem).toBe('unset');
    expect((error as Error).message).toContain('set the environment variable OPENAI_API_KEY');
    expect((error as Error).message).not.toContain('ghp_secret_value_42');
  });

  it('treats an empty value like a missing one', () => {
    expect(() => resolveApiKey({ apiKeyEnv: 'K' }, { K: '' })).toThrow(/K is empty/);
  });
});
