import { describe, expect, it } from 'vitest';
import { cweFromTag, cweFromTags } from '../../src/cwe/from-tags.js';

describe('cweFromTag', () => {
  it('reads the three spellings of one CWE the same', () => {
    for (const tag of ['CWE-089', 'cwe-89', 'external/cwe/cwe-089']) expect(cweFromTag(tag)).toBe('CWE-89');
    expect(cweFromTag('external/cwe/cwe-078')).toBe('CWE-78');
    expect(cweFromTag('CWE-79: Improper Neutralization of Input During Web Page Generation')).toBe('CWE-79');
  });

  it('is undefined for tags that are not a CWE', () => {
    for (const tag of ['security', '89', 'cwe-0', 'external/cwe/cwe-abc', 'cwe-89x', 'OWASP-A03:2021 - Injection']) expect(cweFromTag(tag)).toBeUndefined();
  });
});

describe('cweFromTags', () => {
  it('reads CodeQL and Semgrep spellings, drops other tags and duplicates', () => {
    expect(
      cweFromTags([
        'security',
        'external/cwe/cwe-089',
        'external/cwe/cwe-89',
        "CWE-78: Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
        'cwe-022',
        'OWASP-A03:2021 - Injection',
        'external/cwe/cwe-abc',
        'cwe-0',
      ]),
    ).toEqual(['CWE-89', 'CWE-78', 'CWE-22']);
    expect(cweFromTags([])).toEqual([]);
  });
});
