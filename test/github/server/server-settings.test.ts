// The App server's settings from its environment: each missing or unusable variable stops the
// server with one line naming what to set.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadServerSettings, ServerSettingsError } from '../../../src/github/server/server-settings.js';

const PEM = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const COMPLETE = { APP_ID: '123', PRIVATE_KEY: PEM, WEBHOOK_SECRET: 's3cret' };

/** The error `loadServerSettings` throws for `env`, with the file system never touched unless given. */
function failure(env: NodeJS.ProcessEnv, readFile: (path: string) => string = () => PEM): ServerSettingsError {
  try {
    loadServerSettings(env, readFile);
  } catch (error) {
    if (error instanceof ServerSettingsError) return error;
    throw error;
  }
  throw new Error('expected a ServerSettingsError');
}

describe('loadServerSettings', () => {
  it('a complete environment: the settings with their defaults', () => {
    expect(loadServerSettings(COMPLETE)).toEqual({
      appId: 123,
      privateKey: PEM,
      webhookSecret: 's3cret',
      port: 3000,
      webhookPath: '/api/github/webhooks',
      logLevel: 'info',
      logFormat: 'pretty',
      workers: 2,
      reviewDeadlineSeconds: 600,
      jobLockMs: 30000,
    });
  });

  it('the job queue: REDIS_URL, SECCODER_WORKERS, SECCODER_REVIEW_DEADLINE_SECONDS, SECCODER_JOB_LOCK_MS', () => {
    expect(
      loadServerSettings({
        ...COMPLETE,
        REDIS_URL: 'redis://:pw@redis:6379/2',
        SECCODER_WORKERS: '0',
        SECCODER_REVIEW_DEADLINE_SECONDS: '120',
        SECCODER_JOB_LOCK_MS: '5000',
      }),
    ).toMatchObject({ redisUrl: 'redis://:pw@redis:6379/2', workers: 0, reviewDeadlineSeconds: 120, jobLockMs: 5000 });
    expect(failure({ ...COMPLETE, REDIS_URL: 'http://redis:6379' }).message).toBe(
      'REDIS_URL is invalid (must be a redis:// or rediss:// URL): set REDIS_URL to your Redis server, e.g. redis://redis:6379, or leave it unset for the in-process queue',
    );
    // Queueing with nobody to run the jobs is refused at start, not discovered when reviews never come.
    expect(failure({ ...COMPLETE, SECCODER_WORKERS: '0' }).message).toBe(
      'SECCODER_WORKERS is 0 but REDIS_URL is not set: nothing would run the queued jobs; set REDIS_URL, or SECCODER_WORKERS to 1 or more',
    );
    expect(failure({ ...COMPLETE, SECCODER_WORKERS: '-1' }).variable).toBe('SECCODER_WORKERS');
    expect(failure({ ...COMPLETE, SECCODER_REVIEW_DEADLINE_SECONDS: '1' }).variable).toBe('SECCODER_REVIEW_DEADLINE_SECONDS');
  });

  it('a worker (npm run worker): no webhook secret or port needed, but REDIS_URL is, and at least one job at a time', () => {
    const worker = { APP_ID: '123', PRIVATE_KEY: PEM, REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(loadServerSettings(worker, undefined, 'worker')).toMatchObject({ appId: 123, redisUrl: 'redis://127.0.0.1:6379', workers: 2 });
    const noRedis = (() => {
      try {
        loadServerSettings({ APP_ID: '123', PRIVATE_KEY: PEM }, undefined, 'worker');
      } catch (error) {
        return error as ServerSettingsError;
      }
      throw new Error('expected a ServerSettingsError');
    })();
    expect(noRedis.message).toBe('REDIS_URL is not set: a worker takes jobs from the queue the App instances share; set REDIS_URL to that Redis server');
    expect(() => loadServerSettings({ ...worker, SECCODER_WORKERS: '0' }, undefined, 'worker')).toThrow(/SECCODER_WORKERS/);
  });

  it('GitHub Enterprise Server: GHE_HOST (https unless GHE_PROTOCOL says http), or GITHUB_API_URL', () => {
    expect(loadServerSettings({ ...COMPLETE, GHE_HOST: 'github.example.com' }).apiBaseUrl).toBe('https://github.example.com/api/v3');
    expect(loadServerSettings({ ...COMPLETE, GHE_HOST: 'ghe.local:8443', GHE_PROTOCOL: 'http' }).apiBaseUrl).toBe('http://ghe.local:8443/api/v3');
    expect(loadServerSettings({ ...COMPLETE, GITHUB_API_URL: 'https://github.example.com/api/v3/' }).apiBaseUrl).toBe('https://github.example.com/api/v3');
    // Both spellings for the same server are fine; different servers are refused (the token would go to one of them).
    expect(loadServerSettings({ ...COMPLETE, GHE_HOST: 'github.example.com', GITHUB_API_URL: 'https://github.example.com/api/v3' }).apiBaseUrl).toBe(
      'https://github.example.com/api/v3',
    );
    expect(failure({ ...COMPLETE, GHE_HOST: 'github.example.com', GITHUB_API_URL: 'https://other.example.com/api/v3' }).variable).toBe('GITHUB_API_URL');
    expect(loadServerSettings(COMPLETE).apiBaseUrl).toBeUndefined();
  });

  it('GHE_HOST with a scheme or path, GHE_PROTOCOL without a host or not http(s), GITHUB_API_URL not a URL', () => {
    expect(failure({ ...COMPLETE, GHE_HOST: 'https://github.example.com' }).message).toBe(
      'GHE_HOST is invalid (must be a host name (and port), without https:// or a path): set GHE_HOST to your GitHub Enterprise Server host, e.g. github.example.com, or leave it unset for github.com',
    );
    expect(failure({ ...COMPLETE, GHE_HOST: 'github.example.com/api/v3' }).variable).toBe('GHE_HOST');
    expect(failure({ ...COMPLETE, GHE_PROTOCOL: 'http' }).message).toMatch(/^GHE_PROTOCOL is set but GHE_HOST is not/);
    expect(failure({ ...COMPLETE, GHE_HOST: 'github.example.com', GHE_PROTOCOL: 'ftp' }).variable).toBe('GHE_PROTOCOL');
    expect(failure({ ...COMPLETE, GITHUB_API_URL: 'github.example.com' }).variable).toBe('GITHUB_API_URL');
  });

  it('LOG_FORMAT json or pretty', () => {
    expect(loadServerSettings({ ...COMPLETE, LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(failure({ ...COMPLETE, LOG_FORMAT: 'xml' as 'json' }).message).toBe(
      'LOG_FORMAT is invalid (must be one of json, pretty): set LOG_FORMAT to json or pretty, or leave it unset for pretty',
    );
  });

  it('WEBHOOK_SECRET missing (or blank)', () => {
    for (const env of [
      { APP_ID: '123', PRIVATE_KEY: PEM },
      { ...COMPLETE, WEBHOOK_SECRET: '  ' },
    ]) {
      const error = failure(env);
      expect(error.variable).toBe('WEBHOOK_SECRET');
      expect(error.message).toBe('WEBHOOK_SECRET is not set: set WEBHOOK_SECRET to the webhook secret entered in the GitHub App settings');
    }
  });

  it('APP_ID missing, or not a number', () => {
    expect(failure({ PRIVATE_KEY: PEM, WEBHOOK_SECRET: 's3cret' }).message).toBe(
      'APP_ID is not set: set APP_ID to the GitHub App\'s id (its settings page, "App ID")',
    );
    expect(failure({ ...COMPLETE, APP_ID: 'seccoder' }).message).toBe(
      'APP_ID is invalid (must be the numeric id of the GitHub App): set APP_ID to the GitHub App\'s id (its settings page, "App ID")',
    );
  });

  it('no private key at all', () => {
    const error = failure({ APP_ID: '123', WEBHOOK_SECRET: 's3cret' });
    expect(error.variable).toBe('PRIVATE_KEY');
    expect(error.message).toBe("no private key: set PRIVATE_KEY to the GitHub App's PEM key, or PRIVATE_KEY_PATH to its .pem file");
  });

  it('PRIVATE_KEY_PATH that cannot be read: the path and the error code', () => {
    const error = failure({ APP_ID: '123', WEBHOOK_SECRET: 's3cret', PRIVATE_KEY_PATH: '/nonexistent/seccoder.pem' }, (path) => {
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
    });
    expect(error.variable).toBe('PRIVATE_KEY_PATH');
    expect(error.message).toBe(
      'PRIVATE_KEY_PATH /nonexistent/seccoder.pem cannot be read (ENOENT): set it to the .pem file downloaded from the GitHub App settings',
    );
  });

  it('PRIVATE_KEY_PATH read from the real file system when no reader is given', () => {
    expect(() => loadServerSettings({ APP_ID: '123', WEBHOOK_SECRET: 's3cret', PRIVATE_KEY_PATH: '/nonexistent/seccoder.pem' })).toThrow(
      'PRIVATE_KEY_PATH /nonexistent/seccoder.pem cannot be read (ENOENT): set it to the .pem file downloaded from the GitHub App settings',
    );
  });

  it('a key that is not PEM (in PRIVATE_KEY, or in the file at PRIVATE_KEY_PATH)', () => {
    expect(failure({ ...COMPLETE, PRIVATE_KEY: 'ghp_notAKeyAtAll' }).message).toBe(
      'PRIVATE_KEY does not hold a PEM private key (-----BEGIN RSA PRIVATE KEY-----): use the .pem file downloaded from the GitHub App settings',
    );
    const fromFile = failure({ APP_ID: '123', WEBHOOK_SECRET: 's3cret', PRIVATE_KEY_PATH: '/keys/app.pem' }, () => 'ssh-rsa AAAAB3NzaC1yc2E');
    expect(fromFile.variable).toBe('PRIVATE_KEY_PATH');
    expect(fromFile.message).toBe(
      'PRIVATE_KEY_PATH does not hold a PEM private key (-----BEGIN RSA PRIVATE KEY-----): use the .pem file downloaded from the GitHub App settings',
    );
  });

  it('a PRIVATE_KEY written on one line with literal \\n: the real key', () => {
    const oneLine = PEM.trimEnd().split('\n').join('\\n');
    expect(oneLine).not.toContain('\n');
    expect(loadServerSettings({ ...COMPLETE, PRIVATE_KEY: oneLine }).privateKey).toBe(PEM.trimEnd());
  });

  it('a PRIVATE_KEY holding the whole PEM file base64-encoded: the decoded key; base64 of anything else is refused', () => {
    expect(loadServerSettings({ ...COMPLETE, PRIVATE_KEY: Buffer.from(PEM).toString('base64') }).privateKey).toBe(PEM);
    expect(failure({ ...COMPLETE, PRIVATE_KEY: Buffer.from('not a key').toString('base64') }).variable).toBe('PRIVATE_KEY');
  });

  it('PORT and LOG_LEVEL out of range', () => {
    expect(failure({ ...COMPLETE, PORT: '70000' }).message).toBe(
      'PORT is invalid (Too big: expected number to be <=65535): set PORT to a port number between 1 and 65535, or leave it unset for 3000',
    );
    // probot's types narrow process.env.LOG_LEVEL to its levels; an operator can still write anything.
    expect(failure({ ...COMPLETE, LOG_LEVEL: 'verbose' as 'info' }).message).toBe(
      'LOG_LEVEL is invalid (must be one of trace, debug, info, warn, error, fatal): set LOG_LEVEL to one of trace, debug, info, warn, error, fatal, or leave it unset for info',
    );
  });
});
