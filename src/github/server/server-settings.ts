// The App server's settings from its environment, validated before anything starts: the GitHub
// App's id and private key, the webhook secret, the port, the webhook path, the log level and
// format, and which GitHub to talk to (probot's conventions: GHE_HOST and GHE_PROTOCOL for GitHub
// Enterprise Server, or GITHUB_API_URL), and the job queue (REDIS_URL, SECCODER_WORKERS, the
// review deadline), and the corpus page behind GitHub sign-in (GITHUB_CLIENT_ID and
// GITHUB_CLIENT_SECRET turn it on; corpus-web/settings.ts says what each of its settings does). A
// missing or unusable setting stops the server with one line naming the variable to set.
// `npm run worker` reads the same settings, without the webhook and page ones.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SecCoderError } from '../../errors/seccoder-error.js';
import { githubWebUrl, type CorpusWebSettings } from '../corpus-web/settings.js';

export interface ServerSettings {
  /** `APP_ID`: the GitHub App's id. Required. */
  appId: number;
  /** The App's private key (PEM), from `PRIVATE_KEY` or the file at `PRIVATE_KEY_PATH`. Required. */
  privateKey: string;
  /** `WEBHOOK_SECRET`: the webhook secret set on the App; deliveries with another signature are refused. Required. */
  webhookSecret: string;
  /** `PORT`: where the server listens. Default 3000. */
  port: number;
  /** `WEBHOOK_PATH`: the path GitHub posts webhooks to. Default `/api/github/webhooks`. */
  webhookPath: string;
  /** `LOG_LEVEL`: the least severe level logged. Default `info` (probot's own default, `warn`, hides the startup line). */
  logLevel?: LogLevel;
  /** `LOG_FORMAT`: `json` (one JSON object a line, for log collectors) or `pretty` (for a terminal). Default `pretty`, as probot's. */
  logFormat?: LogFormat;
  /**
   * The REST API root, for GitHub Enterprise Server: `GHE_PROTOCOL://GHE_HOST/api/v3` (probot's
   * variables; protocol default `https`), or `GITHUB_API_URL` as given. Default: api.github.com.
   */
  apiBaseUrl?: string;
  /** `REDIS_URL`: the BullMQ queue shared by every instance and worker, and probot's shared throttling. Default: an in-process queue. */
  redisUrl?: string;
  /** `SECCODER_WORKERS`: jobs this process runs at once; 0 only queues them (needs REDIS_URL). Default 2. */
  workers?: number;
  /** `SECCODER_REVIEW_DEADLINE_SECONDS`: time a review's hardening may take before what is done is posted. Default 600. */
  reviewDeadlineSeconds?: number;
  /** `SECCODER_JOB_LOCK_MS`: how long a job's lock lasts unrenewed; a killed worker's job moves on after about this long. Default 30000. */
  jobLockMs?: number;
  /** The corpus page under /corpus (GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET, SECCODER_PUBLIC_URL, …). Absent: off, /corpus answers 404. */
  corpusWeb?: CorpusWebSettings;
}

/** Which process reads the settings: the webhook server (`npm start`) or a worker (`npm run worker`). */
export type ProcessRole = 'app' | 'worker';

export const DEFAULT_REVIEW_DEADLINE_SECONDS = 600;
export const DEFAULT_JOB_LOCK_MS = 30_000;

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export const DEFAULT_LOG_FORMAT: LogFormat = 'pretty';

export const DEFAULT_PORT = 3000;
export const DEFAULT_WEBHOOK_PATH = '/api/github/webhooks';

/** A setting is missing or unusable; `message` is one line saying what to set. */
export class ServerSettingsError extends SecCoderError {
  override name = 'ServerSettingsError';
  constructor(
    /** The environment variable to fix. */
    readonly variable: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A host name or address with an optional port, nothing else (no scheme, path or credentials). */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

const blankIsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** A GitHub login or org name. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
/** A team's slug, as GitHub makes it from the team's name. */
const TEAM_SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const MIN_SESSION_SECRET_LENGTH = 32;

const envSchema = z.object({
  APP_ID: z.preprocess(blankIsUnset, z.string().regex(/^\d+$/, 'must be the numeric id of the GitHub App').transform(Number)),
  PRIVATE_KEY: z.preprocess(blankIsUnset, z.string().optional()),
  PRIVATE_KEY_PATH: z.preprocess(blankIsUnset, z.string().optional()),
  WEBHOOK_SECRET: z.preprocess(blankIsUnset, z.string()),
  PORT: z.preprocess(blankIsUnset, z.coerce.number().int().min(1).max(65_535).default(DEFAULT_PORT)),
  WEBHOOK_PATH: z.preprocess(blankIsUnset, z.string().startsWith('/', 'must start with /').default(DEFAULT_WEBHOOK_PATH)),
  LOG_LEVEL: z.preprocess(blankIsUnset, z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default(DEFAULT_LOG_LEVEL)),
  LOG_FORMAT: z.preprocess(blankIsUnset, z.enum(LOG_FORMATS, { error: `must be one of ${LOG_FORMATS.join(', ')}` }).default(DEFAULT_LOG_FORMAT)),
  GHE_HOST: z.preprocess(blankIsUnset, z.string().regex(HOST, 'must be a host name (and port), without https:// or a path').optional()),
  GHE_PROTOCOL: z.preprocess(blankIsUnset, z.enum(['https', 'http'], { error: 'must be https or http' }).optional()),
  GITHUB_API_URL: z.preprocess(
    blankIsUnset,
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://github.example.com/api/v3' })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
  ),
  REDIS_URL: z.preprocess(blankIsUnset, z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional()),
  SECCODER_WORKERS: z.preprocess(blankIsUnset, z.coerce.number().int().min(0).max(64).default(2)),
  SECCODER_REVIEW_DEADLINE_SECONDS: z.preprocess(blankIsUnset, z.coerce.number().int().min(10).max(86_400).default(DEFAULT_REVIEW_DEADLINE_SECONDS)),
  SECCODER_JOB_LOCK_MS: z.preprocess(blankIsUnset, z.coerce.number().int().min(1_000).max(600_000).default(DEFAULT_JOB_LOCK_MS)),
  GITHUB_CLIENT_ID: z.preprocess(blankIsUnset, z.string().regex(/^\S+$/, 'must be one word, as the App settings show it').optional()),
  GITHUB_CLIENT_SECRET: z.preprocess(blankIsUnset, z.string().regex(/^\S+$/, 'must be one word, as GitHub generated it').optional()),
  SECCODER_PUBLIC_URL: z.preprocess(
    blankIsUnset,
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://seccoder.example.com' })
      .refine((url) => /^[a-z]+:\/\/[^/?#]+\/?$/i.test(url) && !new URL(url).username, 'must be an origin only, without a path, query or credentials')
      .transform((url) => new URL(url).origin)
      .optional(),
  ),
  SECCODER_SESSION_SECRET: z.preprocess(
    blankIsUnset,
    z.string().min(MIN_SESSION_SECRET_LENGTH, `must be at least ${MIN_SESSION_SECRET_LENGTH} characters`).optional(),
  ),
  SECCODER_CORPUS_ADMIN_TEAM: z.preprocess(blankIsUnset, z.string().regex(TEAM_SLUG, "must be a team's slug, e.g. security-team").optional()),
  SECCODER_CORPUS_OWNER: z.preprocess(blankIsUnset, z.string().regex(LOGIN, 'must be a GitHub organization name, e.g. acme').optional()),
});

/** The worker takes jobs, it answers no webhook: no secret, and no port unless one is set (for health and metrics). */
const workerEnvSchema = envSchema.extend({
  WEBHOOK_SECRET: z.preprocess(blankIsUnset, z.string().optional()),
  PORT: z.preprocess(blankIsUnset, z.coerce.number().int().min(0).max(65_535).optional()),
  SECCODER_WORKERS: z.preprocess(blankIsUnset, z.coerce.number().int().min(1).max(64).default(2)),
});

const HOW: Record<string, string> = {
  APP_ID: 'set APP_ID to the GitHub App\'s id (its settings page, "App ID")',
  WEBHOOK_SECRET: 'set WEBHOOK_SECRET to the webhook secret entered in the GitHub App settings',
  PORT: 'set PORT to a port number between 1 and 65535, or leave it unset for 3000',
  WEBHOOK_PATH: 'set WEBHOOK_PATH to a path starting with /, or leave it unset for /api/github/webhooks',
  LOG_LEVEL: `set LOG_LEVEL to one of ${LOG_LEVELS.join(', ')}, or leave it unset for ${DEFAULT_LOG_LEVEL}`,
  LOG_FORMAT: `set LOG_FORMAT to json or pretty, or leave it unset for ${DEFAULT_LOG_FORMAT}`,
  GHE_HOST: 'set GHE_HOST to your GitHub Enterprise Server host, e.g. github.example.com, or leave it unset for github.com',
  GHE_PROTOCOL: 'set GHE_PROTOCOL to https (the default) or http',
  GITHUB_API_URL: 'set GITHUB_API_URL to the REST API root, e.g. https://github.example.com/api/v3, or leave it unset',
  REDIS_URL: 'set REDIS_URL to your Redis server, e.g. redis://redis:6379, or leave it unset for the in-process queue',
  SECCODER_WORKERS: 'set SECCODER_WORKERS to the number of jobs this process runs at once (0 to 64; a worker needs at least 1), or leave it unset for 2',
  SECCODER_REVIEW_DEADLINE_SECONDS: 'set SECCODER_REVIEW_DEADLINE_SECONDS to a number of seconds between 10 and 86400, or leave it unset for 600',
  SECCODER_JOB_LOCK_MS: 'set SECCODER_JOB_LOCK_MS to milliseconds between 1000 and 600000, or leave it unset for 30000',
  GITHUB_CLIENT_ID:
    'set GITHUB_CLIENT_ID to the GitHub App\'s client id (its settings page, "Client ID"), or leave it and GITHUB_CLIENT_SECRET unset to turn the corpus page off',
  GITHUB_CLIENT_SECRET: "set GITHUB_CLIENT_SECRET to a client secret generated on the GitHub App's settings page, or leave it and GITHUB_CLIENT_ID unset",
  SECCODER_PUBLIC_URL: "set SECCODER_PUBLIC_URL to the App's address as browsers reach it, e.g. https://seccoder.example.com (no path)",
  SECCODER_SESSION_SECRET: `set SECCODER_SESSION_SECRET to a random string of at least ${MIN_SESSION_SECRET_LENGTH} characters, e.g. from \`openssl rand -hex 32\``,
  SECCODER_CORPUS_ADMIN_TEAM:
    'set SECCODER_CORPUS_ADMIN_TEAM to the slug of the team that may retire and restore corpus entries, or leave it unset for org owners only',
  SECCODER_CORPUS_OWNER: "set SECCODER_CORPUS_OWNER to the organization shown the App's own corpus, or leave it unset",
};

/** The REST API root the settings name, or undefined for github.com. */
function apiBaseUrlFrom(env: { GHE_HOST?: string | undefined; GHE_PROTOCOL?: string | undefined; GITHUB_API_URL?: string | undefined }): string | undefined {
  if (env.GHE_HOST === undefined) {
    if (env.GHE_PROTOCOL !== undefined)
      throw new ServerSettingsError('GHE_HOST', 'GHE_PROTOCOL is set but GHE_HOST is not: set GHE_HOST to your GitHub Enterprise Server host');
    return env.GITHUB_API_URL;
  }
  const fromHost = `${env.GHE_PROTOCOL ?? 'https'}://${env.GHE_HOST}/api/v3`;
  // Both spellings at once must agree: silently preferring one would send the App's token to the other.
  if (env.GITHUB_API_URL !== undefined && env.GITHUB_API_URL !== fromHost) {
    throw new ServerSettingsError(
      'GITHUB_API_URL',
      `GHE_HOST names ${fromHost} but GITHUB_API_URL is ${env.GITHUB_API_URL}: set only one of them, or make them agree`,
    );
  }
  return fromHost;
}

type CorpusWebEnv = Pick<
  z.infer<typeof envSchema>,
  'GITHUB_CLIENT_ID' | 'GITHUB_CLIENT_SECRET' | 'SECCODER_PUBLIC_URL' | 'SECCODER_SESSION_SECRET' | 'SECCODER_CORPUS_ADMIN_TEAM' | 'SECCODER_CORPUS_OWNER'
>;

/** The corpus page's settings: none without the App's OAuth client (the page is off), else all it needs or the one to set. */
function corpusWebFrom(env: CorpusWebEnv, apiBaseUrl: string | undefined): CorpusWebSettings | undefined {
  const { GITHUB_CLIENT_ID: clientId, GITHUB_CLIENT_SECRET: clientSecret } = env;
  if (clientId === undefined && clientSecret === undefined) return undefined;
  const page = 'the corpus page needs it (GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are what turn the page on)';
  if (clientId === undefined)
    throw new ServerSettingsError('GITHUB_CLIENT_ID', `GITHUB_CLIENT_SECRET is set but GITHUB_CLIENT_ID is not: ${HOW.GITHUB_CLIENT_ID}`);
  if (clientSecret === undefined)
    throw new ServerSettingsError('GITHUB_CLIENT_SECRET', `GITHUB_CLIENT_ID is set but GITHUB_CLIENT_SECRET is not: ${HOW.GITHUB_CLIENT_SECRET}`);
  if (env.SECCODER_PUBLIC_URL === undefined)
    throw new ServerSettingsError('SECCODER_PUBLIC_URL', `SECCODER_PUBLIC_URL is not set and ${page}: ${HOW.SECCODER_PUBLIC_URL}`);
  if (env.SECCODER_SESSION_SECRET === undefined) {
    throw new ServerSettingsError('SECCODER_SESSION_SECRET', `SECCODER_SESSION_SECRET is not set and ${page}: ${HOW.SECCODER_SESSION_SECRET}`);
  }
  const webUrl = githubWebUrl(apiBaseUrl);
  if (webUrl === undefined) {
    throw new ServerSettingsError(
      'GITHUB_API_URL',
      `GitHub's sign-in pages cannot be told from GITHUB_API_URL ${apiBaseUrl}: for GitHub Enterprise Server set GHE_HOST (or GITHUB_API_URL to https://<host>/api/v3)`,
    );
  }
  return {
    clientId,
    clientSecret,
    publicUrl: env.SECCODER_PUBLIC_URL,
    sessionSecret: env.SECCODER_SESSION_SECRET,
    ...(env.SECCODER_CORPUS_ADMIN_TEAM ? { adminTeam: env.SECCODER_CORPUS_ADMIN_TEAM } : {}),
    ...(env.SECCODER_CORPUS_OWNER ? { localCorpusOwner: env.SECCODER_CORPUS_OWNER } : {}),
    webUrl,
    apiUrl: apiBaseUrl ?? 'https://api.github.com',
  };
}

const PEM = /-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]+-----END (?:RSA )?PRIVATE KEY-----/;

function privateKeyFrom(env: { PRIVATE_KEY?: string | undefined; PRIVATE_KEY_PATH?: string | undefined }, readFile: (path: string) => string): string {
  let key: string;
  let variable: string;
  if (env.PRIVATE_KEY !== undefined) {
    variable = 'PRIVATE_KEY';
    // One-line environments often hold the key with literal \n.
    key = env.PRIVATE_KEY.replace(/\\n/g, '\n');
  } else if (env.PRIVATE_KEY_PATH !== undefined) {
    variable = 'PRIVATE_KEY_PATH';
    try {
      key = readFile(env.PRIVATE_KEY_PATH);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ServerSettingsError(
        variable,
        `PRIVATE_KEY_PATH ${env.PRIVATE_KEY_PATH} cannot be read (${code}): set it to the .pem file downloaded from the GitHub App settings`,
      );
    }
  } else {
    throw new ServerSettingsError('PRIVATE_KEY', "no private key: set PRIVATE_KEY to the GitHub App's PEM key, or PRIVATE_KEY_PATH to its .pem file");
  }
  // Some hosts only take one-line secrets: the whole PEM file base64-encoded (as probot accepts).
  if (!PEM.test(key) && /^[A-Za-z0-9+/=\s]+$/.test(key)) {
    const decoded = Buffer.from(key, 'base64').toString('utf8');
    if (PEM.test(decoded)) key = decoded;
  }
  if (!PEM.test(key)) {
    throw new ServerSettingsError(
      variable,
      `${variable} does not hold a PEM private key (-----BEGIN RSA PRIVATE KEY-----): use the .pem file downloaded from the GitHub App settings`,
    );
  }
  return key;
}

/**
 * The settings from `env`, or a `ServerSettingsError` naming what to set. `readFile` reads
 * `PRIVATE_KEY_PATH` (default: the file system, as UTF-8).
 */
export function loadServerSettings(
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
  role: ProcessRole = 'app',
): ServerSettings {
  const parsed = (role === 'worker' ? workerEnvSchema : envSchema).safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    const unset = issue?.code === 'invalid_type' && issue.input === undefined;
    const how = HOW[variable] ?? `set ${variable}`;
    throw new ServerSettingsError(variable, unset ? `${variable} is not set: ${how}` : `${variable} is invalid (${issue?.message ?? 'unusable'}): ${how}`);
  }
  const { APP_ID, WEBHOOK_SECRET, PORT, WEBHOOK_PATH, LOG_LEVEL, LOG_FORMAT, REDIS_URL, SECCODER_WORKERS } = parsed.data;
  const apiBaseUrl = apiBaseUrlFrom(parsed.data);
  // A worker serves no page.
  const corpusWeb = role === 'app' ? corpusWebFrom(parsed.data, apiBaseUrl) : undefined;
  if (REDIS_URL === undefined && (role === 'worker' || SECCODER_WORKERS === 0)) {
    throw new ServerSettingsError(
      'REDIS_URL',
      role === 'worker'
        ? 'REDIS_URL is not set: a worker takes jobs from the queue the App instances share; set REDIS_URL to that Redis server'
        : 'SECCODER_WORKERS is 0 but REDIS_URL is not set: nothing would run the queued jobs; set REDIS_URL, or SECCODER_WORKERS to 1 or more',
    );
  }
  return {
    appId: APP_ID,
    privateKey: privateKeyFrom(parsed.data, readFile),
    webhookSecret: WEBHOOK_SECRET ?? '',
    port: PORT ?? 0,
    webhookPath: WEBHOOK_PATH,
    logLevel: LOG_LEVEL,
    logFormat: LOG_FORMAT,
    ...(apiBaseUrl ? { apiBaseUrl } : {}),
    ...(REDIS_URL ? { redisUrl: REDIS_URL } : {}),
    workers: SECCODER_WORKERS,
    reviewDeadlineSeconds: parsed.data.SECCODER_REVIEW_DEADLINE_SECONDS,
    jobLockMs: parsed.data.SECCODER_JOB_LOCK_MS,
    ...(corpusWeb ? { corpusWeb } : {}),
  };
}
