// The corpus page in the App, under /corpus, behind GitHub sign-in:
//   GET  /corpus/login?org=<org>[&next=<page>]  → GitHub's authorize page, with a fresh state in a signed cookie
//   GET  /corpus/callback?code&state            → the state checked, the user's login learned, a signed session set
//   POST /corpus/logout                         → the session cookie cleared (CSRF token required)
//   *    /corpus/<org>/…                        → that org's corpus page (src/governance) with basePath /corpus/<org>
// A request for an org's page goes through, in order: a valid session (else 302 to sign-in for a
// page, 401 for the JSON API or any write: nothing anonymous reaches the page), the App's
// installation on the org (else 404), the user's active membership (else 403: nothing of the
// corpus is read), the org's corpus (else 404). The page is then told who asks (`PageAccess`):
// the login, whether they may retire and restore (owner or admin team), and the CSRF token of
// their session, which it checks on every write. No token, code or cookie is logged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorpusPageHandler, CorpusPageOptions, PageAccess } from '../../governance/page-types.js';
import type { CorpusStore } from '../../corpus/types.js';
import type { Logger } from '../../log/logger.js';
import { cookieLine, SESSION_COOKIE, SIGN_IN_COOKIE } from './cookies.js';
import { authorizeUrl, SignInError, signedInLogin } from './oauth.js';
import { OrgAccess, OrgAccessError } from './org-access.js';
import type { OrgCorpora } from './org-corpus.js';
import { csrfTokenFor, issueSession, readSession, type Session } from './session.js';
import { CORPUS_WEB_PATH, SESSION_SECONDS, SIGN_IN_SECONDS, type CorpusWebSettings } from './settings.js';
import { finishSignIn, ORG_NAME, pageOfOrg, startSignIn } from './sign-in-state.js';
import { sameSecret } from './signed-value.js';

export interface CorpusWebRoutesOptions {
  settings: CorpusWebSettings;
  access: OrgAccess;
  corpora: OrgCorpora;
  /** Makes the page over one org's corpus (src/governance's `createCorpusPage`). */
  page: (options: CorpusPageOptions) => CorpusPageHandler;
  log: Logger;
  /** Default: the clock. */
  now?: () => Date;
}

/** Handles a request when it is under /corpus (returns true), else leaves it to the server's other routes (false). */
export type CorpusWebRoutes = (request: IncomingMessage, response: ServerResponse) => boolean;

/** Largest body read for a sign-out form. */
const MAX_FORM_BYTES = 8 * 1024;

/** The paths below /corpus that are not orgs. */
const OWN_PATHS = new Set(['login', 'callback', 'logout']);

interface Reply {
  status: number;
  message: string;
  json?: boolean;
  headers?: Record<string, string | string[]>;
}

function send(request: IncomingMessage, response: ServerResponse, reply: Reply): void {
  const body = reply.json ? `${JSON.stringify({ error: reply.message })}\n` : `${reply.message}\n`;
  response
    .writeHead(reply.status, {
      'content-type': reply.json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...reply.headers,
    })
    .end(request.method === 'HEAD' ? undefined : body);
}

function redirect(response: ServerResponse, location: string, cookies: string[] = []): void {
  response.writeHead(302, { location, 'cache-control': 'no-store', ...(cookies.length > 0 ? { 'set-cookie': cookies } : {}) }).end();
}

/** The sign-out form's `csrf` field (or the `x-csrf-token` header), reading at most MAX_FORM_BYTES. */
async function submittedCsrf(request: IncomingMessage): Promise<string | undefined> {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('csrf') ?? undefined;
}

export function createCorpusWebRoutes(options: CorpusWebRoutesOptions): CorpusWebRoutes {
  const { settings, access, corpora, log } = options;
  const now = options.now ?? (() => new Date());
  const secret = settings.sessionSecret;
  const secure = settings.publicUrl.startsWith('https:');
  /** One page per store and base path (a store is kept 60 s, then a new one comes with a new page). */
  const pages = new WeakMap<CorpusStore, Map<string, CorpusPageHandler>>();

  const pageFor = (store: CorpusStore, org: string): CorpusPageHandler => {
    const basePath = `${CORPUS_WEB_PATH}/${org}`;
    const byBase = pages.get(store) ?? new Map<string, CorpusPageHandler>();
    pages.set(store, byBase);
    let page = byBase.get(basePath);
    if (!page) {
      const team = settings.adminTeam ? ` and members of the ${org}/${settings.adminTeam} team` : '';
      page = options.page({
        store,
        basePath,
        title: `${org} corpus`,
        now,
        readOnlyNote: store.readOnly ? `Read only: ${store.readOnly}.` : `Retiring and restoring entries is for owners of ${org}${team}.`,
        onError: (error) => log.error({ err: error, org }, 'corpus page failed'),
      });
      byBase.set(basePath, page);
    }
    return page;
  };

  function login(request: IncomingMessage, response: ServerResponse, query: URLSearchParams): void {
    const org = query.get('org') ?? '';
    if (!ORG_NAME.test(org)) return send(request, response, { status: 400, message: 'which organization? open /corpus/<org>, e.g. /corpus/acme' });
    const started = startSignIn(secret, pageOfOrg(org, query.get('next')), now());
    redirect(response, authorizeUrl(settings, started.state), [cookieLine(SIGN_IN_COOKIE, started.cookie, SIGN_IN_SECONDS, secure)]);
  }

  async function callback(request: IncomingMessage, response: ServerResponse, query: URLSearchParams): Promise<void> {
    const clearSignIn = cookieLine(SIGN_IN_COOKIE, '', 0, secure);
    const signIn = finishSignIn(request, secret, query.get('state'), now());
    if (!signIn) {
      log.warn({ path: `${CORPUS_WEB_PATH}/callback` }, 'corpus page sign-in refused: state missing, forged, expired or from another browser');
      return send(request, response, {
        status: 400,
        message: 'this sign-in cannot be finished (it expired, or was not started in this browser): open the corpus page again to sign in',
        headers: { 'set-cookie': [clearSignIn] },
      });
    }
    const denied = query.get('error');
    const code = query.get('code');
    if (denied !== null || !code) {
      return send(request, response, {
        status: 400,
        // GitHub's error names are short snake_case words (access_denied); anything else is not repeated.
        message: `GitHub did not sign you in (${denied !== null && /^[a-z_]{1,64}$/.test(denied) ? denied : 'no code'}): open the corpus page again to sign in`,
        headers: { 'set-cookie': [clearSignIn] },
      });
    }
    let user: string;
    try {
      user = await signedInLogin(settings, code);
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      log.warn({ reason: error.message }, 'corpus page sign-in failed');
      return send(request, response, { status: 502, message: `${error.message}: try signing in again`, headers: { 'set-cookie': [clearSignIn] } });
    }
    log.info({ login: user }, 'signed in to the corpus page');
    redirect(response, signIn.next, [clearSignIn, cookieLine(SESSION_COOKIE, issueSession(secret, user, now()), SESSION_SECONDS, secure)]);
  }

  async function logout(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const clear = cookieLine(SESSION_COOKIE, '', 0, secure);
    const session = readSession(request, secret, now());
    if (!session) return send(request, response, { status: 200, message: 'signed out', headers: { 'set-cookie': [clear] } });
    const token = await submittedCsrf(request);
    if (token === undefined || !sameSecret(token, csrfTokenFor(secret, session))) {
      return send(request, response, {
        status: 403,
        message: "the sign-out form is missing its CSRF token or it is not this session's: reload the page and try again",
      });
    }
    log.info({ login: session.login }, 'signed out of the corpus page');
    send(request, response, { status: 200, message: 'signed out', headers: { 'set-cookie': [clear] } });
  }

  async function orgPage(request: IncomingMessage, response: ServerResponse, org: string, subPath: string, target: string): Promise<void> {
    const api = subPath === '/api' || subPath.startsWith('/api/');
    const reading = request.method === 'GET' || request.method === 'HEAD';
    const session: Session | undefined = readSession(request, secret, now());
    if (!session) {
      // Nothing anonymous reaches the page, and no GitHub call is made for it.
      if (api || !reading) return send(request, response, { status: 401, message: 'sign in with GitHub first', json: api });
      return redirect(response, `${CORPUS_WEB_PATH}/login?${new URLSearchParams({ org, next: target }).toString()}`);
    }
    const installation = await access.installation(org);
    if (!installation) return send(request, response, { status: 404, message: `SecCoder is not installed on ${org}`, json: api });
    const role = await access.role(org, installation, session);
    if (role === 'none') {
      log.info({ login: session.login, org }, 'corpus page refused: not an active member of the org');
      return send(request, response, { status: 403, message: `${session.login} is not an active member of ${org}`, json: api });
    }
    const corpus = await corpora.corpusOf(org, installation);
    if (corpus.kind === 'none') {
      return send(request, response, {
        status: 404,
        message: `${org} has no corpus SecCoder can show: create ${org}/.seccoder and install the App on it`,
        json: api,
      });
    }
    // Nobody writes the bundled seed, owners included.
    const canWrite = role === 'write' && corpus.store.readOnly === undefined;
    const granted: PageAccess = { actor: session.login, canWrite, csrfToken: csrfTokenFor(secret, session) };
    await pageFor(corpus.store, org)(request, response, granted, subPath);
  }

  async function route(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const rest = url.pathname.slice(CORPUS_WEB_PATH.length + 1);
    const slash = rest.indexOf('/');
    const first = slash < 0 ? rest : rest.slice(0, slash);
    const reading = request.method === 'GET' || request.method === 'HEAD';
    if (OWN_PATHS.has(first) && slash < 0) {
      if (first === 'logout') {
        if (request.method !== 'POST') return send(request, response, { status: 405, message: 'sign out with POST', headers: { allow: 'POST' } });
        return logout(request, response);
      }
      if (!reading) return send(request, response, { status: 405, message: 'method not allowed', headers: { allow: 'GET, HEAD' } });
      return first === 'login' ? login(request, response, url.searchParams) : callback(request, response, url.searchParams);
    }
    if (!ORG_NAME.test(first)) return send(request, response, { status: 404, message: 'not found: the corpus page of an organization is /corpus/<org>' });
    const subPath = slash < 0 ? '/' : rest.slice(slash);
    await orgPage(request, response, first, subPath, `${url.pathname}${url.search}`);
  }

  return (request, response) => {
    const target = request.url ?? '/';
    const url = URL.canParse(target, 'http://localhost') ? new URL(target, 'http://localhost') : undefined;
    if (!url || (url.pathname !== CORPUS_WEB_PATH && !url.pathname.startsWith(`${CORPUS_WEB_PATH}/`))) return false;
    route(request, response, url).catch((error: unknown) => {
      const known = error instanceof OrgAccessError;
      if (known) log.warn({ reason: error.message }, 'corpus page: GitHub would not answer an access check');
      else log.error({ err: error }, 'corpus page failed');
      if (response.headersSent) return response.destroy();
      send(request, response, { status: known ? 503 : 500, message: known ? error.message : 'the corpus page failed; the App log says why' });
    });
    return true;
  };
}
