// The pure parts of sign-in: signed values accept only what was signed, for that purpose, with
// that secret; the page a user returns to after sign-in is always one of the org's corpus pages
// (no open redirect); cookie lines carry the attributes the page relies on.
import { describe, expect, it } from 'vitest';
import { cookieLine } from '../../../src/github/corpus-web/cookies.js';
import { pageOfOrg } from '../../../src/github/corpus-web/sign-in-state.js';
import { sameSecret, signValue, verifyValue } from '../../../src/github/corpus-web/signed-value.js';
import { TtlCache } from '../../../src/github/corpus-web/ttl-cache.js';

const SECRET = 'k'.repeat(40);

describe('signed values', () => {
  it('round-trips, and refuses another secret, another purpose, a changed payload or MAC, and junk', () => {
    const token = signValue(SECRET, 'session', { login: 'alice', iat: 1 });
    expect(verifyValue(SECRET, 'session', token)).toEqual({ login: 'alice', iat: 1 });
    expect(verifyValue('x'.repeat(40), 'session', token)).toBeUndefined();
    expect(verifyValue(SECRET, 'sign-in', token)).toBeUndefined();
    const [payload = '', mac = ''] = token.split('.');
    expect(verifyValue(SECRET, 'session', `${payload}A.${mac}`)).toBeUndefined();
    expect(verifyValue(SECRET, 'session', `${payload}.${mac.slice(0, -2)}`)).toBeUndefined();
    for (const junk of ['', '.', 'abc', `${token}.x`, `.${mac}`]) expect(verifyValue(SECRET, 'session', junk)).toBeUndefined();
  });

  it('sameSecret: equal strings only, whatever the lengths', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret('', '')).toBe(true);
  });
});

describe('pageOfOrg: where a user goes after signing in', () => {
  it.each([
    [undefined, '/corpus/acme'],
    ['/corpus/acme', '/corpus/acme'],
    ['/corpus/acme/entries?cwe=CWE-89&status=retired', '/corpus/acme/entries?cwe=CWE-89&status=retired'],
    ['/corpus/acme/../globex/entries', '/corpus/acme'],
    ['/corpus/acme/%2e%2e/globex', '/corpus/acme'],
    ['/corpus/acmecorp', '/corpus/acme'],
    ['/corpus/globex', '/corpus/acme'],
    ['//evil.example/corpus/acme', '/corpus/acme'],
    ['/\\evil.example/corpus/acme', '/corpus/acme'],
    ['https://evil.example/corpus/acme', '/corpus/acme'],
    ['javascript:alert(1)', '/corpus/acme'],
    ['/corpus/acme/\n/x', '/corpus/acme//x'],
  ])('%j → %s', (next, expected) => {
    expect(pageOfOrg('acme', next)).toBe(expected);
  });
});

describe('cookie lines', () => {
  it('HttpOnly, SameSite=Lax, Path=/corpus; Secure only over https', () => {
    expect(cookieLine('seccoder_session', 'v', 28800, true)).toBe('seccoder_session=v; Path=/corpus; Max-Age=28800; HttpOnly; SameSite=Lax; Secure');
    expect(cookieLine('seccoder_session', '', 0, false)).toBe('seccoder_session=; Path=/corpus; Max-Age=0; HttpOnly; SameSite=Lax');
  });
});

describe('TtlCache', () => {
  it('keeps an answer for its time, then asks again; keeps a negative answer; drops the oldest past its bound', async () => {
    let now = 0;
    const cache = new TtlCache<string | null>(60_000, () => now, 2);
    let loads = 0;
    const load = async () => `v${++loads}`;
    expect(await cache.through('a', load)).toBe('v1');
    now = 59_999;
    expect(await cache.through('a', load)).toBe('v1');
    now = 60_000;
    expect(await cache.through('a', load)).toBe('v2');
    cache.set('none', null);
    expect(cache.get('none')).toBeNull();
    cache.set('c', 'c');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toBe('c');
  });
});
