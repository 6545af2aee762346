// Strict validation: each problem names its key as a dotted path and says what the value must be,
// and the problems render as a Markdown table that hostile keys cannot break.
import { describe, expect, it } from 'vitest';
import { configProblemsMarkdown } from '../../src/config/problems.js';
import { problems, valid } from './configs.js';

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
    expect(problems({ growth: { colour: 'red' } })).toEqual([{ key: 'growth.colour', message: 'unknown key; known keys here: enabled, label, mode' }]);
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

  it('admits growth.mode: pull-request only with the repository store, saying why and what to use instead', () => {
    const message = 'pull-request needs corpus.store: repository, since proposals are pull requests on the corpus repository; with a local corpus use direct';
    expect(problems({ growth: { mode: 'pull-request' } })).toEqual([{ key: 'growth.mode', message }]);
    expect(problems({ corpus: { store: 'local', location: 'acme' }, growth: { mode: 'pull-request' } })).toEqual([{ key: 'growth.mode', message }]);
    expect(configProblemsMarkdown(problems({ growth: { mode: 'pull-request' } }))).toBe(
      ['| key | problem |', '| --- | --- |', `| \`growth.mode\` | ${message} |`].join('\n'),
    );
    expect(valid({ corpus: { store: 'repository' }, growth: { mode: 'pull-request' } }).growth).toEqual({
      enabled: true,
      label: 'security-fix',
      mode: 'pull-request',
    });
    expect(problems({ growth: { mode: 'review' } })).toEqual([{ key: 'growth.mode', message: 'must be one of "direct", "pull-request"' }]);
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
