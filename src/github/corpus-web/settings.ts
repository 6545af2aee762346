// What the App needs to serve the corpus page under /corpus behind GitHub sign-in: the App's OAuth
// client, its public address (for the callback), the key that signs sessions, who may retire and
// restore, and which org may see the App's own (local) corpus. server-settings.ts reads them from
// the environment; without GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET there are none and /corpus is
// not served.

/** Where the page is mounted on the App's server. */
export const CORPUS_WEB_PATH = '/corpus';

/** A signed-in session lasts this long (the cookie's Max-Age and the signed issue time both say so). */
export const SESSION_SECONDS = 8 * 60 * 60;

/** A sign-in must come back from GitHub within this long. */
export const SIGN_IN_SECONDS = 10 * 60;

/** An org's membership answer, its installation and its corpus are remembered this long. */
export const ACCESS_CACHE_SECONDS = 60;

export interface CorpusWebSettings {
  /** `GITHUB_CLIENT_ID`: the GitHub App's client id (its settings page, "Client ID"). */
  clientId: string;
  /** `GITHUB_CLIENT_SECRET`: a client secret generated on the GitHub App's settings page. */
  clientSecret: string;
  /**
   * `SECCODER_PUBLIC_URL`: the App's address as browsers reach it (an origin, e.g.
   * `https://seccoder.example.com`); the OAuth callback is `<it>/corpus/callback`, which must be
   * the App's "Callback URL". Cookies are `Secure` when it is https.
   */
  publicUrl: string;
  /** `SECCODER_SESSION_SECRET`: at least 32 characters; signs sessions and sign-in state and derives CSRF tokens. */
  sessionSecret: string;
  /** `SECCODER_CORPUS_ADMIN_TEAM`: slug of a team whose active members may retire and restore, besides org owners. Default: owners only. */
  adminTeam?: string;
  /**
   * `SECCODER_CORPUS_OWNER`: the one org shown the App's local corpus when it has no readable
   * `<org>/.seccoder` repository. Default: none (the local corpus is served to nobody: it is shared
   * by every installation).
   */
  localCorpusOwner?: string;
  /** GitHub's web host (sign-in pages), derived from the same settings as the API: `https://github.com`, or the GHES host. */
  webUrl: string;
  /** GitHub's REST API root. Default `https://api.github.com`. */
  apiUrl: string;
}

/**
 * GitHub's web address for an API root: github.com for api.github.com (or none), the server for
 * GitHub Enterprise Server's `<server>/api/v3`, `<x>` for `api.<x>` (GHE.com); undefined when the
 * API root says neither.
 */
export function githubWebUrl(apiBaseUrl: string | undefined): string | undefined {
  if (apiBaseUrl === undefined) return 'https://github.com';
  const url = new URL(apiBaseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  if (path.endsWith('/api/v3')) return `${url.protocol}//${url.host}${path.slice(0, -'/api/v3'.length)}`;
  if (path === '' && url.hostname.startsWith('api.')) return `${url.protocol}//${url.host.slice('api.'.length)}`;
  return undefined;
}
