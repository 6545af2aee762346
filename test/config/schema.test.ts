// `.github/seccoder.yml` as probot hands it over (parsed YAML, or null without a file): every key
// gets its default, language aliases are read, probot's `_extends` is ignored.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SECCODER_CONFIG } from '../../src/config/schema.js';
import { DEFAULTS, valid } from './configs.js';

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
      growth: { enabled: true, label: 'sec', mode: 'direct' },
      dryRun: true,
    });
  });

  it('grows the corpus directly unless the config asks for proposals (which need the repository store)', () => {
    expect(valid({}).growth.mode).toBe('direct');
    expect(valid({ corpus: { store: 'local' }, growth: { mode: 'direct' } }).growth.mode).toBe('direct');
    expect(valid({ corpus: { store: 'repository', location: 'acme/.seccoder' }, growth: { mode: 'pull-request' } })).toMatchObject({
      corpus: { store: 'repository', location: 'acme/.seccoder' },
      growth: { enabled: true, label: 'security-fix', mode: 'pull-request' },
    });
  });

  it("reads language aliases and ignores probot's _extends", () => {
    expect(valid({ _extends: '.github', languages: ['py', 'C++', 'typescript'] }).languages).toEqual(['python', 'cpp', 'typescript']);
  });
});
