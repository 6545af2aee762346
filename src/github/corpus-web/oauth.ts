// GitHub's OAuth web flow for the App's own client (GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET): the
// authorize address the browser is sent to, and, when it comes back with a code, the code traded
// for a user token and the token used once to learn who signed in. The token is then dropped: the
// page acts with the App's installation token, and the session holds only the login. Neither the
// code nor the token is logged or put in an error.
import { z } from 'zod';
import { SecCoderError } from '../../errors/seccoder-error.js';
import { GITHUB_LOGIN } from './session.js';
import { CORPUS_WEB_PATH, type CorpusWebSettings } from './settings.js';

/** Sign-in with GitHub failed; `message` says why, without the code or any token. */
export class SignInError extends SecCoderError {
  override name = 'SignInError';
}

export type OAuthSettings = Pick<CorpusWebSettings, 'clientId' | 'clientSecret' | 'publicUrl' | 'webUrl' | 'apiUrl'>;

/** A request to GitHub this long without an answer fails the sign-in. */
const GITHUB_TIMEOUT_MS = 10_000;

export function callbackUrl(settings: Pick<CorpusWebSettings, 'publicUrl'>): string {
  return `${settings.publicUrl}${CORPUS_WEB_PATH}/callback`;
}

/** Where the browser goes to sign in; GitHub sends it back to the callback with `code` and this `state`. */
export function authorizeUrl(settings: OAuthSettings, state: string): string {
  const query = new URLSearchParams({ client_id: settings.clientId, redirect_uri: callbackUrl(settings), state, allow_signup: 'false' });
  return `${settings.webUrl}/login/oauth/authorize?${query.toString()}`;
}

// GitHub answers a bad code with 200 and an `error` field, not an HTTP error.
const tokenAnswer = z.union([
  z.object({ access_token: z.string().min(1), token_type: z.string().optional() }),
  z.object({ error: z.string(), error_description: z.string().optional() }),
]);

const userAnswer = z.object({ login: z.string().regex(GITHUB_LOGIN), id: z.number().int() });

async function githubJson(url: string, init: RequestInit, what: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(GITHUB_TIMEOUT_MS) });
  } catch (error) {
    throw new SignInError(`${what}: GitHub did not answer (${error instanceof Error ? error.name : 'error'})`);
  }
  if (!response.ok) throw new SignInError(`${what}: GitHub answered HTTP ${response.status}`);
  try {
    return (await response.json()) as unknown;
  } catch {
    throw new SignInError(`${what}: GitHub's answer is not JSON`);
  }
}

/** The login of the user who signed in, from the callback's `code`; the user token is used once and dropped. */
export async function signedInLogin(settings: OAuthSettings, code: string): Promise<string> {
  const exchanged = tokenAnswer.safeParse(
    await githubJson(
      `${settings.webUrl}/login/oauth/access_token`,
      {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'seccoder' },
        body: JSON.stringify({ client_id: settings.clientId, client_secret: settings.clientSecret, code, redirect_uri: callbackUrl(settings) }),
      },
      'exchanging the sign-in code',
    ),
  );
  if (!exchanged.success) throw new SignInError("exchanging the sign-in code: GitHub's answer has no access_token");
  if ('error' in exchanged.data) {
    // GitHub's error names (bad_verification_code, incorrect_client_credentials, …) hold no secret.
    throw new SignInError(`exchanging the sign-in code: GitHub refused (${exchanged.data.error})`);
  }
  const user = userAnswer.safeParse(
    await githubJson(
      `${settings.apiUrl}/user`,
      {
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${exchanged.data.access_token}`,
          'user-agent': 'seccoder',
          'x-github-api-version': '2022-11-28',
        },
      },
      'reading the signed-in user',
    ),
  );
  if (!user.success) throw new SignInError("reading the signed-in user: GitHub's answer has no login");
  return user.data.login;
}
