// The corpus page in the App, through real HTTP against startServer: off without the OAuth client;
// nothing anonymous reaches it (302 to sign-in for a page, 401 for the API, and a write changes
// nothing); a session cookie that is forged, altered or expired is no session; the sign-in state
// is checked; a user of another org gets 403 and none of the corpus; a plain member reads but
// cannot retire; an owner or an admin-team member retires with the session's CSRF token (and not
// without it), and the audit trail names their GitHub login. GitHub is nock'd per route.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_SECONDS, SIGN_IN_SECONDS } from '../../../src/github/corpus-web/settings.js';
import { csrfTokenFor } from '../../../src/github/corpus-web/session.js';
import { signValue } from '../../../src/github/corpus-web/signed-value.js';
import { useHttpMocks } from '../../helpers/http-mocks.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import { testPrivateKey } from '../app/harness.js';
import { makeEntry } from '../../helpers/entries.js';
import {
  ADMIN_TEAM,
  CLIENT_ID,
  CLIENT_SECRET,
  ENTRIES,
  ENTRY,
  GITHUB_API,
  GITHUB_WEB,
  mockInstallation,
  mockMembership,
  mockNoCorpusRepo,
  mockNoInstallation,
  mockTeamMembership,
  ORG,
  OTHER_ORG,
  PUBLIC_URL,
  SESSION_SECRET,
  setCookie,
  signIn,
  startCorpusServer,
  type CorpusServer,
} from './harness.js';

useHttpMocks();
const tempDir = useTempDirs();
let privateKey: string;
let server: CorpusServer;

beforeAll(() => {
  // The App's server is local; GitHub stays mocked.
  nock.enableNetConnect('127.0.0.1');
  privateKey = testPrivateKey();
});

beforeEach(async () => {
  server = await startCorpusServer(privateKey, tempDir());
});

afterEach(async () => {
  await server.close();
});

const cookieValue = (cookie: string) => cookie.slice(cookie.indexOf('=') + 1);
const csrfOf = (cookie: string) => csrfTokenFor(SESSION_SECRET, { token: cookieValue(cookie) });

function get(path: string, cookie?: string): Promise<Response> {
  return fetch(`${server.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
}

/** A POST with a form body (`form`) or, by default, the JSON API's body (a retire's reason). */
function post(path: string, options: { cookie?: string; csrf?: string; form?: string } = {}): Promise<Response> {
  const form = options.form !== undefined;
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.csrf ? { 'x-csrf-token': options.csrf } : {}),
      'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
    },
    body: form ? options.form : JSON.stringify({ reason: 'an insecure function slipped in' }),
  });
}

const retirePath = (org = ORG, id = ENTRY.id) => `/corpus/${org}/api/entries/${id}/retire`;

/** The body holds nothing of the corpus: no entry's code, id or hash. */
function expectNoCorpusBytes(body: string): void {
  for (const entry of ENTRIES) {
    expect(body).not.toContain(entry.id);
    expect(body).not.toContain(entry.sha256);
    expect(body).not.toContain(entry.code.slice(0, 20));
  }
}

/** The mocks for a member's access to acme's page: installation, membership, the team (non-owners), and no corpus repository (so the local corpus). */
function mockAccess(login: string, role: 'admin' | 'member', team: boolean | undefined = false): void {
  mockInstallation(ORG);
  mockMembership(ORG, login, { state: 'active', role });
  if (role === 'member' && team !== undefined) mockTeamMembership(ORG, login, team);
  mockNoCorpusRepo(ORG);
}

describe('the page is off without GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET', () => {
  it('every /corpus path answers 404, and no GitHub call is made', async () => {
    const off = await startCorpusServer(privateKey, tempDir(), { corpusWeb: null });
    try {
      for (const path of ['/corpus', `/corpus/${ORG}`, `/corpus/${ORG}/api/entries`, `/corpus/login?org=${ORG}`, '/corpus/callback?code=x&state=y']) {
        const response = await fetch(`${off.url}${path}`, { redirect: 'manual' });
        expect(response.status, path).toBe(404);
      }
      const write = await fetch(`${off.url}${retirePath()}`, { method: 'POST' });
      expect(write.status).toBe(404);
      expect(off.audit()).toBe('');
    } finally {
      await off.close();
    }
  });
});

describe('anonymous', () => {
  it('a page: 302 to sign-in for that org, coming back to the same page; nothing of the corpus in the answer', async () => {
    const response = await get(`/corpus/${ORG}/entries?cwe=CWE-89`);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '', server.url);
    expect(location.pathname).toBe('/corpus/login');
    expect(Object.fromEntries(location.searchParams)).toEqual({ org: ORG, next: `/corpus/${ORG}/entries?cwe=CWE-89` });
    expectNoCorpusBytes(await response.text());
  });

  it('the JSON API: 401, nothing of the corpus', async () => {
    const response = await get(`/corpus/${ORG}/api/entries`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ error: 'sign in with GitHub first' });
    expectNoCorpusBytes(body);
  });

  it('a retire through the API or a form: 401, and the audit trail is unchanged', async () => {
    expect((await post(retirePath(), { csrf: 'anything' })).status).toBe(401);
    expect((await post(`/corpus/${ORG}/entries/${ENTRY.id}/retire`, { form: 'csrf=anything&reason=x' })).status).toBe(401);
    expect(server.audit()).toBe('');
  });
});

describe('a session cookie that is not a valid session is anonymous', () => {
  const now = Math.floor(Date.now() / 1000);
  const cases: [string, string][] = [
    ['signed with another secret', signValue('another-secret-0123456789abcdef-0123456789', 'session', { login: 'olivia', iat: now })],
    [
      'altered after signing (another login, the same MAC)',
      (() => {
        const [, mac] = signValue(SESSION_SECRET, 'session', { login: 'alice', iat: now }).split('.');
        return `${Buffer.from(JSON.stringify({ login: 'olivia', iat: now })).toString('base64url')}.${mac}`;
      })(),
    ],
    ['expired (signed 8 hours and a second ago)', signValue(SESSION_SECRET, 'session', { login: 'olivia', iat: now - SESSION_SECONDS - 1 })],
    ['issued in the future', signValue(SESSION_SECRET, 'session', { login: 'olivia', iat: now + 3600 })],
    ['a sign-in state signed for another purpose', signValue(SESSION_SECRET, 'sign-in', { login: 'olivia', iat: now })],
    ['not a signed value', 'olivia'],
  ];

  it.each(cases)('%s: a page redirects to sign-in, the API answers 401, a retire changes nothing', async (_, value) => {
    const cookie = `seccoder_session=${value}`;
    const page = await get(`/corpus/${ORG}`, cookie);
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toMatch(/^\/corpus\/login\?/);
    expect((await get(`/corpus/${ORG}/api/entries`, cookie)).status).toBe(401);
    const write = await post(retirePath(), { cookie, csrf: csrfTokenFor(SESSION_SECRET, { token: value }) });
    expect(write.status).toBe(401);
    expect(server.audit()).toBe('');
  });

  it('a valid session cookie sent twice (one planted beside it): anonymous', async () => {
    const valid = signValue(SESSION_SECRET, 'session', { login: 'olivia', iat: now });
    const planted = signValue(SESSION_SECRET, 'session', { login: 'mallory', iat: now });
    expect((await get(`/corpus/${ORG}/api/entries`, `seccoder_session=${planted}; seccoder_session=${valid}`)).status).toBe(401);
  });
});

describe('sign-in with GitHub', () => {
  it("/corpus/login: to GitHub's authorize page with the App's client id, the callback and a random state kept in a short-lived signed cookie", async () => {
    const first = await get(`/corpus/login?org=${ORG}`);
    const second = await get(`/corpus/login?org=${ORG}`);
    expect(first.status).toBe(302);
    const authorize = new URL(first.headers.get('location') ?? '');
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${GITHUB_WEB}/login/oauth/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/corpus/callback`);
    const state = authorize.searchParams.get('state') ?? '';
    expect(state.length).toBeGreaterThanOrEqual(43);
    expect(new URL(second.headers.get('location') ?? '').searchParams.get('state')).not.toBe(state);
    const line = first.headers.getSetCookie().find((cookie) => cookie.startsWith('seccoder_sign_in='));
    expect(line).toMatch(new RegExp(`; Path=/corpus; Max-Age=${SIGN_IN_SECONDS}; HttpOnly; SameSite=Lax; Secure$`));
    expect(line).not.toContain(state);
  });

  it('/corpus/login without a usable org: 400', async () => {
    expect((await get('/corpus/login')).status).toBe(400);
    expect((await get('/corpus/login?org=..%2Fevil')).status).toBe(400);
  });

  it('the callback with a state that is not this browser sign-in: 400, and the code is never exchanged', async () => {
    const started = await get(`/corpus/login?org=${ORG}`);
    const cookie = setCookie(started, 'seccoder_sign_in') ?? '';
    const state = new URL(started.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const attempts: [string, string | undefined][] = [
      // One character changed (to another: a state already ending in A would be the same state).
      [`/corpus/callback?code=stolen&state=${encodeURIComponent(`${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`)}`, cookie],
      [`/corpus/callback?code=stolen&state=${encodeURIComponent(state)}`, undefined],
      ['/corpus/callback?code=stolen', cookie],
      [
        `/corpus/callback?code=stolen&state=${encodeURIComponent(state)}`,
        `seccoder_sign_in=${signValue(SESSION_SECRET, 'sign-in', { state, next: `/corpus/${ORG}`, iat: Math.floor(Date.now() / 1000) - SIGN_IN_SECONDS - 1 })}`,
      ],
    ];
    for (const [path, sent] of attempts) {
      const response = await get(path, sent);
      expect(response.status, path).toBe(400);
      expect(setCookie(response, 'seccoder_session')).toBeUndefined();
    }
    // No mock of GitHub's token endpoint: an exchange would have failed the sign-in with 502, not 400.
  });

  it('a completed sign-in: a signed session cookie (HttpOnly, SameSite=Lax, Secure, Path=/corpus, 8 hours) holding only the login and the time; no token, code or cookie in the logs', async () => {
    const code = 'code-for-alice-0123456789';
    nock(GITHUB_WEB)
      .post('/login/oauth/access_token', (body: Record<string, unknown>) => body.code === code && body.client_secret === CLIENT_SECRET)
      .reply(200, { access_token: 'ghu_alice_secret_user_token', token_type: 'bearer', scope: '' });
    nock(GITHUB_API, { reqheaders: { authorization: 'Bearer ghu_alice_secret_user_token' } })
      .get('/user')
      .reply(200, { login: 'alice', id: 583231, type: 'User', site_admin: false });
    const started = await get(`/corpus/login?org=${ORG}&next=${encodeURIComponent(`/corpus/${ORG}/entries?status=retired`)}`);
    const signInCookie = setCookie(started, 'seccoder_sign_in') ?? '';
    const state = new URL(started.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const back = await get(`/corpus/callback?code=${code}&state=${encodeURIComponent(state)}`, signInCookie);
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe(`/corpus/${ORG}/entries?status=retired`);
    const lines = back.headers.getSetCookie();
    const session = lines.find((line) => line.startsWith('seccoder_session=')) ?? '';
    expect(session).toMatch(new RegExp(`; Path=/corpus; Max-Age=${SESSION_SECONDS}; HttpOnly; SameSite=Lax; Secure$`));
    expect(lines.find((line) => line.startsWith('seccoder_sign_in='))).toMatch(/^seccoder_sign_in=; Path=\/corpus; Max-Age=0;/);
    const value = session.slice('seccoder_session='.length, session.indexOf(';'));
    const payload = JSON.parse(Buffer.from(value.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(payload).sort()).toEqual(['iat', 'login']);
    expect(payload.login).toBe('alice');
    expect(server.logs.some((line) => line.includes('signed in to the corpus page') && line.includes('"login":"alice"'))).toBe(true);
    const logs = server.logs.join('\n');
    for (const secret of ['ghu_alice_secret_user_token', code, value, cookieValue(signInCookie), state, CLIENT_SECRET, SESSION_SECRET]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('the user declines on GitHub (error=access_denied): 400, no session, no exchange', async () => {
    const started = await get(`/corpus/login?org=${ORG}`);
    const state = new URL(started.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const back = await get(`/corpus/callback?error=access_denied&state=${encodeURIComponent(state)}`, setCookie(started, 'seccoder_sign_in'));
    expect(back.status).toBe(400);
    expect(await back.text()).toContain('access_denied');
    expect(setCookie(back, 'seccoder_session')).toBeUndefined();
  });

  it('GitHub refuses the code (bad_verification_code): 502, no session', async () => {
    nock(GITHUB_WEB)
      .post('/login/oauth/access_token')
      .reply(200, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
    const started = await get(`/corpus/login?org=${ORG}`);
    const state = new URL(started.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const back = await get(`/corpus/callback?code=old&state=${encodeURIComponent(state)}`, setCookie(started, 'seccoder_sign_in'));
    expect(back.status).toBe(502);
    expect(await back.text()).toContain('bad_verification_code');
    expect(setCookie(back, 'seccoder_session')).toBeUndefined();
  });

  it('sign-out: POST with the CSRF token clears the session cookie; without it, 403', async () => {
    const cookie = await signIn(server, 'alice');
    expect((await get('/corpus/logout', cookie)).status).toBe(405);
    expect((await post('/corpus/logout', { cookie, form: 'csrf=forged' })).status).toBe(403);
    const out = await post('/corpus/logout', { cookie, form: `csrf=${encodeURIComponent(csrfOf(cookie))}` });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie()).toEqual([expect.stringMatching(/^seccoder_session=; Path=\/corpus; Max-Age=0;/)]);
  });
});

describe('members of the org', () => {
  it('a member reads the local corpus (their org is SECCODER_CORPUS_OWNER) as themselves, read-only, under /corpus/<org>; one membership check serves the next minute', async () => {
    const cookie = await signIn(server, 'alice');
    mockAccess('alice', 'member', false);
    const api = await get(`/corpus/${ORG}/api/entries`, cookie);
    expect(api.status).toBe(200);
    const listed = (await api.json()) as { entries: { id: string; code: string }[] };
    expect(listed.entries.map((entry) => entry.id).sort()).toEqual(ENTRIES.map((entry) => entry.id).sort());
    // Cached: no mock is left for a second installation, membership, team or repository lookup.
    const page = await get(`/corpus/${ORG}/entries`, cookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('alice · read-only');
    expect(html).toContain(`Retiring and restoring entries is for owners of ${ORG} and members of the ${ORG}/${ADMIN_TEAM} team.`);
    expect(html).toContain(`href="/corpus/${ORG}/entries/${ENTRY.id}"`);
    expect(html).not.toContain('name="csrf"');
  });

  it('the membership answer is not shared between users: a second user of the same org is checked', async () => {
    const alice = await signIn(server, 'alice');
    const bob = await signIn(server, 'bob');
    mockAccess('alice', 'member', false);
    expect((await get(`/corpus/${ORG}/api/entries`, alice)).status).toBe(200);
    mockMembership(ORG, 'bob', 'none');
    const refused = await get(`/corpus/${ORG}/api/entries`, bob);
    expect(refused.status).toBe(403);
    expectNoCorpusBytes(await refused.text());
  });

  it("a member of another org reading this org's corpus: 403, and nothing of the corpus in the answer (page or API)", async () => {
    const cookie = await signIn(server, 'gustav', OTHER_ORG);
    mockInstallation(ORG);
    mockMembership(ORG, 'gustav', 'none');
    const api = await get(`/corpus/${ORG}/api/entries`, cookie);
    expect(api.status).toBe(403);
    expectNoCorpusBytes(await api.text());
    // The refusal is kept for the minute too.
    for (const path of [`/corpus/${ORG}/entries`, `/corpus/${ORG}/entries/${ENTRY.id}`, `/corpus/${ORG}/api/coverage`, `/corpus/${ORG}/audit`]) {
      const response = await get(path, cookie);
      expect(response.status, path).toBe(403);
      expectNoCorpusBytes(await response.text());
    }
  });

  it('an invitation not yet accepted (state pending) is not a membership: 403', async () => {
    const cookie = await signIn(server, 'paula');
    mockInstallation(ORG);
    mockMembership(ORG, 'paula', { state: 'pending', role: 'member' });
    const response = await get(`/corpus/${ORG}/api/coverage`, cookie);
    expect(response.status).toBe(403);
    expectNoCorpusBytes(await response.text());
  });

  it("an owner of another org, on that org's page: the App's local corpus is not its corpus (404, nothing of it)", async () => {
    const cookie = await signIn(server, 'gustav', OTHER_ORG);
    mockInstallation(OTHER_ORG);
    mockMembership(OTHER_ORG, 'gustav', { state: 'active', role: 'admin' });
    mockNoCorpusRepo(OTHER_ORG);
    const response = await get(`/corpus/${OTHER_ORG}/api/entries`, cookie);
    expect(response.status).toBe(404);
    expectNoCorpusBytes(await response.text());
  });

  it("an org whose installation can read <org>/.seccoder: the page shows that repository's corpus, read with the installation's token", async () => {
    const cookie = await signIn(server, 'gustav', OTHER_ORG);
    mockInstallation(OTHER_ORG);
    mockMembership(OTHER_ORG, 'gustav', { state: 'active', role: 'member' });
    mockTeamMembership(OTHER_ORG, 'gustav', false);
    const repository = { id: 700, name: '.seccoder', full_name: `${OTHER_ORG}/.seccoder`, private: true, default_branch: 'main', owner: { login: OTHER_ORG } };
    // Once to see it is readable, once for the store's default branch.
    nock(GITHUB_API, { reqheaders: { authorization: `token ghs_installation_${OTHER_ORG}` } })
      .get(`/repos/${OTHER_ORG}/.seccoder`)
      .times(2)
      .reply(200, repository);
    const theirs = makeEntry('def load(path):\n    with open(os.path.join(BASE, os.path.basename(path))) as f:\n        return f.read()\n', 'python', [
      'CWE-22',
    ]);
    const line = `${JSON.stringify(theirs)}\n`;
    nock(GITHUB_API)
      .get(`/repos/${OTHER_ORG}/.seccoder/contents/corpus%2Fcorpus.jsonl`)
      .query({ ref: 'main' })
      .reply(200, {
        type: 'file',
        name: 'corpus.jsonl',
        path: 'corpus/corpus.jsonl',
        sha: 'a'.repeat(40),
        size: Buffer.byteLength(line),
        encoding: 'base64',
        content: Buffer.from(line).toString('base64'),
      });
    for (const log of ['audit', 'feedback']) {
      nock(GITHUB_API).get(`/repos/${OTHER_ORG}/.seccoder/contents/corpus%2F${log}.jsonl`).query({ ref: 'main' }).reply(404, { message: 'Not Found' });
    }
    const response = await get(`/corpus/${OTHER_ORG}/api/entries`, cookie);
    expect(response.status).toBe(200);
    const body = await response.text();
    expect((JSON.parse(body) as { entries: { id: string }[] }).entries.map((entry) => entry.id)).toEqual([theirs.id]);
    // The App's local corpus (acme's) is not in it.
    expectNoCorpusBytes(body);
  });

  it('an org without the App: 404', async () => {
    const cookie = await signIn(server, 'alice');
    mockNoInstallation('initech');
    expect((await get('/corpus/initech/api/entries', cookie)).status).toBe(404);
  });

  it('the App cannot read memberships (no Members permission): 503 saying which permission, nothing of the corpus', async () => {
    const cookie = await signIn(server, 'alice');
    mockInstallation(ORG);
    nock(GITHUB_API).get(`/orgs/${ORG}/memberships/alice`).reply(403, { message: 'Resource not accessible by integration' });
    const response = await get(`/corpus/${ORG}/api/entries`, cookie);
    expect(response.status).toBe(503);
    const body = await response.text();
    expect(body).toContain('Members: read');
    expectNoCorpusBytes(body);
  });
});

/** The audit trail's records. */
const auditRecords = () =>
  server
    .audit()
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('retire and restore', () => {
  it('a plain member (not owner, not in the admin team): a retire with the CSRF token is refused (403), the trail unchanged', async () => {
    const cookie = await signIn(server, 'alice');
    mockAccess('alice', 'member', false);
    const response = await post(retirePath(), { cookie, csrf: csrfOf(cookie) });
    expect(response.status).toBe(403);
    expect(server.audit()).toBe('');
  });

  it("an owner (role admin): refused without the CSRF token or with another session's; done with it, the audit record naming the GitHub login", async () => {
    const owner = await signIn(server, 'olivia');
    const other = await signIn(server, 'alice');
    mockAccess('olivia', 'admin', undefined);
    expect((await post(retirePath(), { cookie: owner })).status).toBe(403);
    expect((await post(retirePath(), { cookie: owner, csrf: csrfOf(other) })).status).toBe(403);
    expect((await post(`/corpus/${ORG}/entries/${ENTRY.id}/retire`, { cookie: owner, form: 'reason=no+token' })).status).toBe(403);
    expect(server.audit()).toBe('');
    // The owner's entry page carries the session's token in its retire form.
    const page = await get(`/corpus/${ORG}/entries/${ENTRY.id}`, owner);
    const html = await page.text();
    expect(html).toContain('olivia · may retire and restore');
    expect(html).toContain(`name="csrf" value="${csrfOf(owner)}"`);
    const done = await post(retirePath(), { cookie: owner, csrf: csrfOf(owner) });
    expect(done.status).toBe(200);
    expect(auditRecords()).toEqual([
      expect.objectContaining({ action: 'retired', actor: 'olivia', entryId: ENTRY.id, via: { kind: 'api' }, reason: 'an insecure function slipped in' }),
    ]);
  });

  it('a member of the admin team (SECCODER_CORPUS_ADMIN_TEAM) retires from the page form and restores through the API; the trail names them', async () => {
    const cookie = await signIn(server, 'tara');
    mockAccess('tara', 'member', true);
    const form = await post(`/corpus/${ORG}/entries/${ENTRY.id}/retire`, { cookie, form: `csrf=${encodeURIComponent(csrfOf(cookie))}&reason=poisoned` });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe(`/corpus/${ORG}/entries/${ENTRY.id}`);
    expect((await post(`/corpus/${ORG}/api/entries/${ENTRY.id}/restore`, { cookie, csrf: csrfOf(cookie) })).status).toBe(200);
    expect(auditRecords().map((record) => [record.action, record.actor, (record.via as { kind: string }).kind])).toEqual([
      ['retired', 'tara', 'page'],
      ['restored', 'tara', 'api'],
    ]);
  });
});

describe('over the seed corpus bundled with SecCoder (no corpus of the operator)', () => {
  it('an owner reads it, but sees no retire control and is refused a retire with a valid token; the seed is not written', async () => {
    const seed = await startCorpusServer(privateKey, 'seed');
    const seedFile = (name: string) => readFileSync(join(seed.corpusDir, name), 'utf8');
    const before = seedFile('corpus.jsonl');
    const first = JSON.parse(before.split('\n')[0] ?? '{}') as { id: string };
    try {
      const owner = await signIn(seed, 'olivia');
      mockAccess('olivia', 'admin', undefined);
      const page = await fetch(`${seed.url}/corpus/${ORG}/entries/${first.id}`, { redirect: 'manual', headers: { cookie: owner } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('olivia · read-only');
      expect(html).toContain('Read only: the corpus is the seed bundled with SecCoder');
      expect(html).not.toContain('name="csrf"');
      const refused = await fetch(`${seed.url}/corpus/${ORG}/api/entries/${first.id}/retire`, {
        method: 'POST',
        headers: { cookie: owner, 'x-csrf-token': csrfOf(owner), 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'not ours to retire' }),
      });
      expect(refused.status).toBe(403);
      expect(seedFile('corpus.jsonl')).toBe(before);
      expect(existsSync(join(seed.corpusDir, 'audit.jsonl'))).toBe(false);
    } finally {
      await seed.close();
    }
  });
});
