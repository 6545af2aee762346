import { describe, expect, it } from 'vitest';
import { mentionsWeakness, relatedCwes, sameWeakness } from '../../src/cwe/families.js';

describe('CWE families', () => {
  it('treats the CWEs tools use for one bug as the same weakness', () => {
    expect(sameWeakness('CWE-788', 'CWE-787')).toBe(true);
    expect(sameWeakness('CWE-120', 'cwe-121')).toBe(true);
    expect(sameWeakness('CWE-416', 'CWE-415')).toBe(false);
    expect(relatedCwes('CWE-89')).toEqual(['CWE-89']);
    expect(mentionsWeakness(['CWE-119'], 'CWE-787')).toBe(true);
    expect(mentionsWeakness([], 'CWE-787')).toBe(false);
  });

  it('normalizes spellings before comparing and knows nothing of what is no CWE', () => {
    expect(sameWeakness('cwe-089', 'CWE-89')).toBe(true);
    expect(relatedCwes('78')).toEqual(['CWE-77', 'CWE-78']);
    expect(relatedCwes('security')).toEqual([]);
    expect(sameWeakness('security', 'security')).toBe(false);
  });
});
