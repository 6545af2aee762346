// Official CWE names from OWASP's cwe-sdk dictionary, read once and looked up by any spelling of the id.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cweDictionaryPath, cweMappingUsage, cweName, namesFromDictionary, usagesFromDictionary } from '../../src/cwe/names.js';

describe('cweName', () => {
  it('names the weaknesses SecCoder meets, from any spelling of the id', () => {
    expect(cweName('CWE-89')).toBe("Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')");
    expect(cweName('cwe-089')).toBe(cweName('CWE-89'));
    expect(cweName(89)).toBe(cweName('CWE-89'));
    expect(cweName('CWE-79')).toBe("Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')");
    expect(cweName('CWE-78')).toBe("Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')");
    for (const id of ['CWE-22', 'CWE-119', 'CWE-125', 'CWE-190', 'CWE-327', 'CWE-502', 'CWE-787', 'CWE-798']) expect(cweName(id)).toMatch(/\w/);
  });

  it('is undefined for ids that are not CWE ids or not in the dictionary', () => {
    expect(cweName('OWASP-A03')).toBeUndefined();
    expect(cweName('CWE-0')).toBeUndefined();
    expect(cweName('CWE-99999999')).toBeUndefined();
  });

  it('reads the package dictionary found by module resolution, and a trimmed copy of it alike', () => {
    expect(cweDictionaryPath()).toMatch(/node_modules[/\\]cwe-sdk[/\\]raw[/\\]cwe-dictionary\.json$/);
    const full = namesFromDictionary(JSON.parse(readFileSync(cweDictionaryPath(), 'utf8')));
    expect(full.size).toBeGreaterThan(900);
    // What scripts/build-action.mjs ships: only ids and names.
    const trimmed = Object.fromEntries([...full].map(([id, name]) => [id, { attr: { '@_ID': id, '@_Name': name } }]));
    expect(namesFromDictionary(trimmed)).toEqual(full);
    expect(namesFromDictionary({ 1: { attr: {} }, x: { attr: { '@_Name': 'n' } }, 2: null })).toEqual(new Map());
  });
});

describe('cweMappingUsage', () => {
  it("is MITRE's mapping usage: broad classes and Pillars discouraged, specific weaknesses allowed", () => {
    expect(cweMappingUsage('CWE-20')).toBe('Discouraged');
    expect(cweMappingUsage('cwe-707')).toBe('Discouraged');
    expect(cweMappingUsage(89)).toBe('Allowed');
    expect(cweMappingUsage('CWE-327')).toBe('Allowed-with-Review');
    expect(cweMappingUsage('OWASP-A03')).toBeUndefined();
  });

  it('reads the same from the trimmed copy scripts/build-action.mjs ships (ids, names and usages)', () => {
    const dictionary = JSON.parse(readFileSync(cweDictionaryPath(), 'utf8')) as Record<string, { Mapping_Notes?: { Usage?: string } }>;
    const full = usagesFromDictionary(dictionary);
    expect(full.size).toBeGreaterThan(900);
    const trimmed = Object.fromEntries([...full].map(([id, usage]) => [id, { attr: { '@_ID': id }, Mapping_Notes: { Usage: usage } }]));
    expect(usagesFromDictionary(trimmed)).toEqual(full);
    expect(usagesFromDictionary({ 1: { Mapping_Notes: {} }, x: { Mapping_Notes: { Usage: 'Allowed' } }, 2: null })).toEqual(new Map());
  });
});
