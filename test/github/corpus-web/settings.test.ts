// The corpus page's settings from the environment: off without the App's OAuth client; with it, the
// public URL and a session secret of at least 32 characters are required; GitHub's sign-in host is
// derived from the same settings as the API (github.com, GHES, GHE.com); each unusable value
// stops the server with one line naming its variable. A worker serves no page and ignores them.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { githubWebUrl } from '../../../src/github/corpus-web/settings.js';
import { loadServerSettings, ServerSettingsError } from '../../../src/github/server/server-settings.js';

const PEM = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const BASE = { APP_ID: '123', PRIVATE_KEY: PEM, WEBHOOK_SECRET: 's3cret' };
const SECRET = 'a'.repeat(32);
const PAGE = {
  ...BASE,
  GITHUB_CLIENT_ID: 'Iv23liAbCdEf012345',
  GITHUB_CLIENT_SECRET: '0123456789abcdef0123456789abcdef01234567',
  SECCODER_PUBLIC_URL: 'https://seccoder.example.com/',
  SECCODER_SESSION_SECRET: SECRET,
};

function failure(env: NodeJS.ProcessEnv): ServerSettingsError {
  try {
    loadServerSettings(env);
  } catch (error) {
    if (error instanceof ServerSettingsError) return error;
    throw error;
  }
  throw new Error('expected a ServerSettingsError');
}

describe('the corpus page settings', () => {
  it('without GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET the page is off (the other page settings are not needed)', () => {
    expect(loadServerSettings(BASE).corpusWeb).toBeUndefined();
    expect(loadServerSettings({ ...BASE, SECCODER_CORPUS_OWNER: 'acme', GITHUB_CLIENT_ID: '  ' }).corpusWeb).toBeUndefined();
  });

  it('on: the client, the public origin, the session secret; github.com for sign-in and the API; owners only, no local corpus owner by default', () => {
    expect(loadServerSettings(PAGE).corpusWeb).toEqual({
      clientId: 'Iv23liAbCdEf012345',
      clientSecret: '0123456789abcdef0123456789abcdef01234567',
      publicUrl: 'https://seccoder.example.com',
      sessionSecret: SECRET,
      webUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
    });
    expect(loadServerSettings({ ...PAGE, SECCODER_CORPUS_ADMIN_TEAM: 'appsec', SECCODER_CORPUS_OWNER: 'acme' }).corpusWeb).toMatchObject({
      adminTeam: 'appsec',
      localCorpusOwner: 'acme',
    });
  });

  it('both client settings or neither', () => {
    const { GITHUB_CLIENT_SECRET: _secret, ...idOnly } = PAGE;
    const { GITHUB_CLIENT_ID: _id, ...secretOnly } = PAGE;
    expect(failure(idOnly)).toMatchObject({
      variable: 'GITHUB_CLIENT_SECRET',
      message: expect.stringMatching(/^GITHUB_CLIENT_ID is set but GITHUB_CLIENT_SECRET is not: /),
    });
    expect(failure(secretOnly)).toMatchObject({
      variable: 'GITHUB_CLIENT_ID',
      message: expect.stringMatching(/^GITHUB_CLIENT_SECRET is set but GITHUB_CLIENT_ID is not: /),
    });
  });

  it('on, SECCODER_PUBLIC_URL and SECCODER_SESSION_SECRET are required; one line names each', () => {
    const { SECCODER_PUBLIC_URL: _url, ...noUrl } = PAGE;
    const { SECCODER_SESSION_SECRET: _key, ...noSecret } = PAGE;
    expect(failure(noUrl).message).toBe(
      "SECCODER_PUBLIC_URL is not set and the corpus page needs it (GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are what turn the page on): set SECCODER_PUBLIC_URL to the App's address as browsers reach it, e.g. https://seccoder.example.com (no path)",
    );
    expect(failure(noSecret).variable).toBe('SECCODER_SESSION_SECRET');
    expect(failure({ ...PAGE, SECCODER_SESSION_SECRET: 'a'.repeat(31) }).message).toBe(
      'SECCODER_SESSION_SECRET is invalid (must be at least 32 characters): set SECCODER_SESSION_SECRET to a random string of at least 32 characters, e.g. from `openssl rand -hex 32`',
    );
  });

  it('unusable values: a public URL with a path or another scheme, a team or org that is not a GitHub name', () => {
    expect(failure({ ...PAGE, SECCODER_PUBLIC_URL: 'https://example.com/seccoder' }).message).toMatch(
      /^SECCODER_PUBLIC_URL is invalid \(must be an origin only/,
    );
    expect(failure({ ...PAGE, SECCODER_PUBLIC_URL: 'ftp://example.com' }).variable).toBe('SECCODER_PUBLIC_URL');
    expect(failure({ ...PAGE, SECCODER_CORPUS_ADMIN_TEAM: 'app sec' }).variable).toBe('SECCODER_CORPUS_ADMIN_TEAM');
    expect(failure({ ...PAGE, SECCODER_CORPUS_OWNER: 'acme/.seccoder' }).variable).toBe('SECCODER_CORPUS_OWNER');
  });

  it('a public URL over http: accepted (cookies are then not Secure)', () => {
    expect(loadServerSettings({ ...PAGE, SECCODER_PUBLIC_URL: 'http://localhost:3000' }).corpusWeb?.publicUrl).toBe('http://localhost:3000');
  });

  it('GitHub Enterprise Server: sign-in on the server host, the API at /api/v3 (GHE_HOST or GITHUB_API_URL)', () => {
    expect(loadServerSettings({ ...PAGE, GHE_HOST: 'github.example.com' }).corpusWeb).toMatchObject({
      webUrl: 'https://github.example.com',
      apiUrl: 'https://github.example.com/api/v3',
    });
    expect(loadServerSettings({ ...PAGE, GHE_HOST: 'ghe.local:8443', GHE_PROTOCOL: 'http' }).corpusWeb).toMatchObject({
      webUrl: 'http://ghe.local:8443',
      apiUrl: 'http://ghe.local:8443/api/v3',
    });
    expect(loadServerSettings({ ...PAGE, GITHUB_API_URL: 'https://github.example.com/api/v3' }).corpusWeb?.webUrl).toBe('https://github.example.com');
    expect(failure({ ...PAGE, GITHUB_API_URL: 'https://proxy.example.com/github' })).toMatchObject({
      variable: 'GITHUB_API_URL',
      message: expect.stringContaining("GitHub's sign-in pages cannot be told from GITHUB_API_URL https://proxy.example.com/github"),
    });
  });

  it('githubWebUrl: github.com, GHES, GHE.com', () => {
    expect(githubWebUrl(undefined)).toBe('https://github.com');
    expect(githubWebUrl('https://api.github.com')).toBe('https://github.com');
    expect(githubWebUrl('https://ghe.example.com/api/v3/')).toBe('https://ghe.example.com');
    expect(githubWebUrl('https://api.acme.ghe.com')).toBe('https://acme.ghe.com');
    expect(githubWebUrl('https://proxy.example.com/github')).toBeUndefined();
  });

  it('a worker serves no page: the page settings are not required there', () => {
    const { SECCODER_SESSION_SECRET: _key, ...incomplete } = PAGE;
    expect(loadServerSettings({ ...incomplete, REDIS_URL: 'redis://127.0.0.1:6379' }, undefined, 'worker').corpusWeb).toBeUndefined();
  });
});
