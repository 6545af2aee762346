// A validated config as the options of the modules it steers: targets, the pipeline, the corpus,
// and the model endpoint combined with the operator's settings.
import { describe, expect, it } from 'vitest';
import { DEFAULT_IGNORE } from '../../src/detect/targets.js';
import { corpusLocation, modelEndpoint, toHardenOptions, toTargetOptions } from '../../src/config/options.js';
import { DEFAULTS, valid } from './configs.js';

describe('mapping onto the other modules', () => {
  it('gives the detect module its default target options', () => {
    expect(toTargetOptions(DEFAULTS)).toEqual({
      maxTargets: 10,
      maxFunctionLines: 200,
      ignore: [...DEFAULT_IGNORE],
      targets: { alerts: true, newFunctions: true },
      skipRiskless: true,
    });
    expect(toTargetOptions(valid({ targets: { 'riskless-functions': true } })).skipRiskless).toBe(false);
  });

  it('extends the built-in ignore list, or replaces it with ignore-defaults: false', () => {
    const extended = valid({
      paths: { ignore: ['legacy/**', '**/vendor/**'] },
      languages: ['py', 'python'],
      maxTargets: 3,
      targets: { 'new-functions': false },
    });
    expect(toTargetOptions(extended)).toEqual({
      maxTargets: 3,
      maxFunctionLines: 200,
      ignore: [...DEFAULT_IGNORE, 'legacy/**'],
      languages: ['python'],
      targets: { alerts: true, newFunctions: false },
      skipRiskless: true,
    });
    const replaced = valid({ paths: { ignore: ['legacy/**'], 'ignore-defaults': false } });
    expect(toTargetOptions(replaced).ignore).toEqual(['legacy/**']);
  });

  it('gives the pipeline its options', () => {
    expect(toHardenOptions(valid({ demonstrations: 4, minSimilarity: 0.3, model: { temperature: 0.2 } }))).toEqual({
      retrieve: 4,
      budget: { maxDemonstrations: 4 },
      minSimilarity: 0.3,
      generation: { temperature: 0.2, samples: 3 },
    });
  });

  it('defaults the repository corpus to <org>/.seccoder', () => {
    expect(corpusLocation(valid({ corpus: { store: 'repository' } }), 'acme')).toEqual({ store: 'repository', owner: 'acme', repo: '.seccoder' });
    expect(corpusLocation(valid({ corpus: { store: 'repository', location: 'acme/secure-corpus' } }), 'acme')).toEqual({
      store: 'repository',
      owner: 'acme',
      repo: 'secure-corpus',
    });
    expect(corpusLocation(DEFAULTS, 'acme')).toEqual({ store: 'local' });
  });
});

describe('model endpoint', () => {
  const operator = { url: 'https://models.example/v1', name: 'coder-7b', apiKeyEnv: 'SECCODER_MODEL_KEY' };

  it("uses the operator's endpoint and key, with the repository's name and sampling", () => {
    expect(modelEndpoint(valid({ model: { name: 'coder-32b', samples: 2 } }), operator)).toEqual({
      ok: true,
      endpoint: { baseUrl: 'https://models.example/v1', model: 'coder-32b', apiKeyEnv: 'SECCODER_MODEL_KEY', temperature: 0.4, samples: 2 },
    });
  });

  it("never lets a repository's config in the app name a server variable or send the key elsewhere", () => {
    expect(modelEndpoint(valid({ model: { apiKeyEnv: 'GITHUB_PRIVATE_KEY' } }), operator)).toEqual({
      ok: false,
      reason: "model.apiKeyEnv names a variable of the app's server; only the GitHub Action reads it",
    });
    expect(modelEndpoint(valid({ model: { url: 'https://attacker.example/v1' } }), operator)).toEqual({
      ok: false,
      reason: 'model.url is set, but this SecCoder app only calls the model endpoint its operator configured',
    });
    expect(modelEndpoint(valid({ model: { url: 'https://own.example/v1' } }), { ...operator, allowRepositoryUrl: true })).toEqual({
      ok: true,
      endpoint: { baseUrl: 'https://own.example/v1', model: 'coder-7b', temperature: 0.4, samples: 3 },
    });
  });

  it("uses the config as written in the repository's own environment (the Action)", () => {
    const config = valid({ model: { url: 'https://api.openai.com/v1', name: 'gpt-4o-mini', apiKeyEnv: 'OPENAI_API_KEY' } });
    expect(modelEndpoint(config, { environment: 'repository' })).toEqual({
      ok: true,
      endpoint: { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', apiKeyEnv: 'OPENAI_API_KEY', temperature: 0.4, samples: 3 },
    });
  });

  it('is precedent mode without a URL or a name', () => {
    expect(modelEndpoint(DEFAULTS, {})).toEqual({ ok: false, reason: 'no model configured: set model.url and model.name, or the app settings' });
  });
});
