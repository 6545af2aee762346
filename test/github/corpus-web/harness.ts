// The App's real server (startServer on a free port) with the corpus page on, over a temp local
// corpus: GitHub (sign-in, the API) is mocked with nock per route and real-shaped payloads; the
// browser is `fetch` with redirects off and cookies carried by hand. Logs are kept, to prove no
// secret reaches them.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import nock from 'nock';
import { pino } from 'pino';
import { expect } from 'vitest';
import { makeEntry } from '../../helpers/entries.js';
import { bundledCorpusDir } from '../../../src/corpus/location.js';
import { LocalCorpusStore } from '../../../src/corpus/local-store.js';
import type { AppDependencies } from '../../../src/github/app.js';
import { createCorpusProvider } from '../../../src/github/corpus-provider.js';
import type { CorpusWebSettings } from '../../../src/github/corpus-web/settings.js';
import { InProcessQueue } from '../../../src/github/queue/in-process-queue.js';
import { DEFAULT_WEBHOOK_PATH, type ServerSettings } from '../../../src/github/server/server-settings.js';
import { startServer } from '../../../src/github/server/start-server.js';
import { testProbot } from '../app/harness.js';

export const GITHUB_WEB = 'https://github.com';
export const GITHUB_API = 'https://api.github.com';
export const PUBLIC_URL = 'https://seccoder.example.test';
export const CLIENT_ID = 'Iv23liTestClient01';
export const CLIENT_SECRET = 'test-client-secret-0123456789abcdef';
export const SESSION_SECRET = 'test-session-secret-0123456789abcdef-0123';
export const ADMIN_TEAM = 'corpus-admins';
/** The org shown the App's local corpus. */
export const ORG = 'acme';
export const OTHER_ORG = 'globex';
export const INSTALLATIONS: Record<string, number> = { acme: 4201, globex: 4202 };

/** The temp corpus's entries: their code must never reach a user who may not read it. */
export const ENTRIES = [
  makeEntry('def find_user(db, name):\n    return db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()\n', 'python', ['CWE-89']),
  makeEntry('def render_name(escape, name):\n    return "<b>" + escape(name) + "</b>"\n', 'python', ['CWE-79']),
];
export const [ENTRY] = ENTRIES as [(typeof ENTRIES)[number], ...(typeof ENTRIES)[number][]];

export const corpusWebSettings = (overrides: Partial<CorpusWebSettings> = {}): CorpusWebSettings => ({
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  publicUrl: PUBLIC_URL,
  sessionSecret: SESSION_SECRET,
  adminTeam: ADMIN_TEAM,
  localCorpusOwner: ORG,
  webUrl: GITHUB_WEB,
  apiUrl: GITHUB_API,
  ...overrides,
});

export interface CorpusServer {
  url: string;
  corpusDir: string;
  /** Every log line, as JSON. */
  logs: string[];
  close(): Promise<void>;
  /** The audit trail's text ('' before the first record). */
  audit(): string;
}

/**
 * startServer with the page on (unless `corpusWeb` is null; the real page of src/governance, as in
 * production), a fresh probot (so no token is cached from another test) and the corpus in `corpusDir`.
 */
/**
 * The App's server over `corpusDir` holding ENTRIES, or (`corpusDir: 'seed'`) over the corpus
 * bundled with SecCoder, as the App runs with no corpus of the operator's (nothing is added to it).
 */
export async function startCorpusServer(
  privateKey: string,
  corpusFolder: string | 'seed',
  options: { corpusWeb?: CorpusWebSettings | null } = {},
): Promise<CorpusServer> {
  const logs: string[] = [];
  const log = pino({ level: 'trace' }, { write: (line: string) => logs.push(line) });
  const corpusDir = corpusFolder === 'seed' ? bundledCorpusDir() : corpusFolder;
  if (corpusFolder !== 'seed') await new LocalCorpusStore(corpusDir).append(ENTRIES);
  const corpusWeb = options.corpusWeb === undefined ? corpusWebSettings() : options.corpusWeb;
  const settings: ServerSettings = {
    appId: 123,
    privateKey,
    webhookSecret: 'test-webhook-secret',
    port: 0,
    webhookPath: DEFAULT_WEBHOOK_PATH,
    logLevel: 'fatal',
    ...(corpusWeb ? { corpusWeb } : {}),
  };
  const deps: AppDependencies = {
    corpus: createCorpusProvider({ root: corpusDir }),
    analyzers: [],
    queue: new InProcessQueue({ attempts: 1 }),
    workers: 0,
    botLogin: 'seccoder[bot]',
    log,
  };
  const server: Server = await startServer(settings, deps, { probot: testProbot(privateKey) });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    corpusDir,
    logs,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
    audit: () => {
      try {
        return readFileSync(join(corpusDir, 'audit.jsonl'), 'utf8');
      } catch {
        return '';
      }
    },
  };
}

/** GET /orgs/{org}/installation (the App's JWT) and the installation's token. */
export function mockInstallation(org: string): void {
  const id = INSTALLATIONS[org];
  nock(GITHUB_API)
    .get(`/orgs/${org}/installation`)
    .reply(200, {
      id,
      account: { login: org, id: 9000 + (id ?? 0), type: 'Organization' },
      app_id: 123,
      target_type: 'Organization',
      permissions: { members: 'read', contents: 'write', metadata: 'read' },
      repository_selection: 'all',
    });
  nock(GITHUB_API)
    .post(`/app/installations/${id}/access_tokens`)
    .reply(201, { token: `ghs_installation_${org}`, expires_at: '2099-01-01T00:00:00Z', permissions: { members: 'read', contents: 'write' } });
}

export function mockNoInstallation(org: string): void {
  nock(GITHUB_API).get(`/orgs/${org}/installation`).reply(404, {
    message: 'Not Found',
    documentation_url: 'https://docs.github.com/rest/apps/apps#get-an-organization-installation-for-the-authenticated-app',
  });
}

/** GET /orgs/{org}/memberships/{username}: a membership with this state and role, or 404 (not a member). */
export function mockMembership(org: string, login: string, membership: { state: 'active' | 'pending'; role: 'admin' | 'member' } | 'none'): nock.Scope {
  const scope = nock(GITHUB_API, { reqheaders: { authorization: `token ghs_installation_${org}` } }).get(`/orgs/${org}/memberships/${login}`);
  if (membership === 'none') return scope.reply(404, { message: 'Not Found' });
  return scope.reply(200, {
    url: `${GITHUB_API}/orgs/${org}/memberships/${login}`,
    state: membership.state,
    role: membership.role,
    organization_url: `${GITHUB_API}/orgs/${org}`,
    organization: { login: org, id: 9001 },
    user: { login, id: 100, type: 'User' },
  });
}

/** GET /orgs/{org}/teams/{team}/memberships/{username}: active, or 404. */
export function mockTeamMembership(org: string, login: string, active: boolean): void {
  const scope = nock(GITHUB_API).get(`/orgs/${org}/teams/${ADMIN_TEAM}/memberships/${login}`);
  if (active) scope.reply(200, { url: `${GITHUB_API}/teams/77/memberships/${login}`, role: 'member', state: 'active' });
  else scope.reply(404, { message: 'Not Found' });
}

/** GET /repos/{org}/.seccoder: the installation cannot see it (404). */
export function mockNoCorpusRepo(org: string): void {
  nock(GITHUB_API).get(`/repos/${org}/.seccoder`).reply(404, { message: 'Not Found' });
}

/** GitHub's token exchange for `code`, and GET /user with that token. */
export function mockOAuth(code: string, login: string): void {
  const userToken = `ghu_${login}_usertoken0123456789`;
  nock(GITHUB_WEB, { reqheaders: { accept: 'application/json' } })
    .post('/login/oauth/access_token', (body: Record<string, unknown>) => {
      return (
        body.client_id === CLIENT_ID && body.client_secret === CLIENT_SECRET && body.code === code && body.redirect_uri === `${PUBLIC_URL}/corpus/callback`
      );
    })
    .reply(200, { access_token: userToken, token_type: 'bearer', scope: '' });
  nock(GITHUB_API, { reqheaders: { authorization: `Bearer ${userToken}` } })
    .get('/user')
    .reply(200, { login, id: 100 + login.length, node_id: 'U_test', type: 'User', site_admin: false, name: login });
}

/** `name=value` of a Set-Cookie line of the response. */
export function setCookie(response: Response, name: string): string | undefined {
  const line = response.headers.getSetCookie().find((candidate) => candidate.startsWith(`${name}=`));
  return line?.split(';', 1)[0];
}

/** The real sign-in: /corpus/login, GitHub's authorize page (not visited: the state is read off the redirect), the callback. Returns the session cookie (`name=value`). */
export async function signIn(server: CorpusServer, login: string, org = ORG): Promise<string> {
  const code = `code-${login}-${Math.random().toString(36).slice(2)}`;
  mockOAuth(code, login);
  const started = await fetch(`${server.url}/corpus/login?org=${org}`, { redirect: 'manual' });
  expect(started.status).toBe(302);
  const authorize = new URL(started.headers.get('location') ?? '');
  const state = authorize.searchParams.get('state') ?? '';
  const back = await fetch(`${server.url}/corpus/callback?code=${code}&state=${encodeURIComponent(state)}`, {
    redirect: 'manual',
    headers: { cookie: setCookie(started, 'seccoder_sign_in') ?? '' },
  });
  expect(back.status).toBe(302);
  const session = setCookie(back, 'seccoder_session');
  if (!session) throw new Error('no session cookie after the callback');
  return session;
}
