// `.github/seccoder.yml` as probot hands it over (parsed YAML, or null without a file): defaults,
// strict validation with dotted keys, the problems table, and the mapping onto other modules.
import { describe, expect, it } from 'vitest';
import { DEFAULT_IGNORE } from '../../src/detect/targets.js';
import {
  configProblemsMarkdown,
  corpusLocation,
  DEFAULT_SECCODER_CONFIG,
  modelEndpoint,
  parseSecCoderConfig,
  toHardenOptions,
  toTargetOptions,
  type ConfigProblem,
  type SecCoderConfig,
} from '../../src/config/seccoder-config.js';

const DEFAULTS: SecCoderConfig = {
  enabled: true,
  targets: { alerts: true, 'new-functions': true, 'riskless-functions': false },
  paths: { ignore: [], 'ignore-defaults': true },
  maxTargets: 10,
  demonstrations: 1,
  minSimilarity: 0,
  model: { temperature: 0.4, samples: 3 },
  corpus: { store: 'local' },
  growth: { enabled: true, label: 'security-fix' },
  drafts: false,
  dryRun: false,
};

function valid(raw: unknown): SecCoderConfig {
  const result = parseSecCoderConfig(raw);
  if (!result.ok) throw new Error(`expected a valid config, got ${JSON.stringify(result.problems)}`);
  return result.config;
}

function problems(raw: unknown): ConfigProblem[] {
  const result = parseSecCoderConfig(raw);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('defaults', () => {
  it('fills every key when there is no file (null) or an empty one', () => {
    expect(valid(null)).toEqual(DEFAULTS);
    expect(valid(undefined)).toEqual(DEFAULTS);
    expect(valid({})).toEqual(DEFAULTS);
    expect(DEFAULT_SECCODER_CONFIG).toEqual(DEFAULTS);
  });

  it('fills the keys left out of partly written sections', () => {
    expect(valid({ targets: { alerts: false }, model: { samples: 5, name: 'gpt-4o-mini' }, growth: { label: 'sec' }, dryRun: true })).toEqual({
      ...DEFAULTS,
      targets: { alerts: false, 'new-functions': true, 'riskless-functions': false },
      model: { temperature: 0.4, samples: 5, name: 'gpt-4o-mini' },
      growth: { enabled: true, label: 'sec' },
      dryRun: true,
    });
  });

  it('reads language aliases and ignores probot\'s _extends', () => {
    expect(valid({ _extends: '.github', languages: ['py', 'C++', 'typescript'] }).languages).toEqual(['python', 'cpp', 'typescript']);
  });
});

describe('problems', () => {
  it('names every wrong type, unknown key and out-of-range value by its dotted key', () => {
    expect(
      problems({
        enabled: 'yes',
        maxTargets: 0,
        demonstrations: 9,
        minSimilarity: 1.5,
        languages: ['python', 'cobol'],
        targets: { alerts: 1, new_functions: false },
        paths: { ignore: 'vendor/**' },
        model: { temperature: 3, samples: 2.5, tempreature: 1, url: 'ftp://models.example' },
        corpus: { store: 'github' },
        growth: { label: '' },
        dryrun: true,
      }),
    ).toEqual([
      { key: 'enabled', message: 'must be true or false, not text' },
      { key: 'targets.alerts', message: 'must be true or false, not a whole number' },
      { key: 'targets.new_functions', message: 'unknown key; did you mean "new-functions"?' },
      { key: 'languages[1]', message: 'unknown language "cobol"; known: python, c, cpp, javascript, typescript, go, java, ruby' },
      { key: 'paths.ignore', message: 'must be a list, not text' },
      { key: 'maxTargets', message: 'must be at least 1' },
      { key: 'demonstrations', message: 'must be at most 5' },
      { key: 'minSimilarity', message: 'must be at most 1' },
      { key: 'model.url', message: 'must be an http(s) URL, e.g. https://api.openai.com/v1' },
      { key: 'model.temperature', message: 'must be at most 2' },
      { key: 'model.samples', message: 'must be a whole number, not a decimal number' },
      { key: 'model.tempreature', message: 'unknown key; did you mean "temperature"?' },
      { key: 'corpus.store', message: 'must be one of "local", "repository"' },
      { key: 'growth.label', message: 'must be at least 1 character' },
      { key: 'dryrun', message: 'unknown key; did you mean "dryRun"?' },
    ]);
  });

  it('lists the known keys when an unknown one resembles none', () => {
    expect(problems({ growth: { colour: 'red' } })).toEqual([{ key: 'growth.colour', message: 'unknown key; known keys here: enabled, label' }]);
  });

  it('reports a file that is not a mapping at the top level', () => {
    expect(problems('enabled')).toEqual([{ key: '(top level)', message: 'must be a mapping of keys, not text' }]);
    expect(problems([1])).toEqual([{ key: '(top level)', message: 'must be a mapping of keys, not a list' }]);
  });

  it('treats __proto__ and constructor as the unknown keys they are', () => {
    expect(problems(JSON.parse('{"__proto__": {"enabled": false}, "targets": {"constructor": 1}}'))).toEqual([
      { key: 'targets.constructor', message: 'unknown key; known keys here: alerts, new-functions, riskless-functions' },
      { key: '__proto__', message: expect.stringMatching(/^unknown key; known keys here: enabled, /) },
    ]);
  });

  it('reports an empty YAML value (null) as empty', () => {
    expect(problems({ model: null })).toEqual([{ key: 'model', message: 'must be a mapping of keys, not empty' }]);
  });

  it('keeps a corpus location inside the corpus root, and a repository store on owner/repo', () => {
    for (const location of ['../other-org', '/etc', 'a/../b', '.hidden', 'a\\b']) {
      expect(problems({ corpus: { location } })).toEqual([
        { key: 'corpus.location', message: 'must be a relative folder below the corpus root, without .. or hidden segments' },
      ]);
    }
    expect(problems({ corpus: { store: 'repository', location: 'not a repo' } })).toEqual([
      { key: 'corpus.location', message: 'must be a repository as owner/repo, e.g. acme/.seccoder' },
    ]);
    expect(valid({ corpus: { location: 'acme/python' } }).corpus).toEqual({ store: 'local', location: 'acme/python' });
  });

  it('renders problems as a Markdown table, escaping hostile keys and messages', () => {
    const raw = { maxTargets: 'ten', 'x|y<img src=x onerror=alert(1)>': 1, 'tick`s': true };
    expect(configProblemsMarkdown(problems(raw))).toBe(
      [
        '| key | problem |',
        '| --- | --- |',
        '| `maxTargets` | must be a whole number, not text |',
        '| `x\\|y<img src=x onerror=alert(1)>` | unknown key; known keys here: enabled, targets, languages, paths, maxTargets, demonstrations, minSimilarity, model, corpus, growth, drafts, dryRun |',
        '| ``tick`s`` | unknown key; known keys here: enabled, targets, languages, paths, maxTargets, demonstrations, minSimilarity, model, corpus, growth, drafts, dryRun |',
      ].join('\n'),
    );
  });

  it('escapes Markdown in messages', () => {
    expect(configProblemsMarkdown([{ key: 'a', message: 'use *one* | two <b>' }])).toBe(
      ['| key | problem |', '| --- | --- |', '| `a` | use \\*one\\* \\| two \\<b\\> |'].join('\n'),
    );
  });
});

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
    const extended = valid({ paths: { ignore: ['legacy/**', '**/vendor/**'] }, languages: ['py', 'python'], maxTargets: 3, targets: { 'new-functions': false } });
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
