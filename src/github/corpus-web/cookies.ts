// The two cookies of the corpus page (the session, and the sign-in state while GitHub asks the
// user), read from a request and written as Set-Cookie lines: HttpOnly, SameSite=Lax (the OAuth
// callback is a top-level navigation from GitHub, which Lax lets through), Secure when the App is
// served over https, and only sent to /corpus.
import type { IncomingMessage } from 'node:http';
import { CORPUS_WEB_PATH } from './settings.js';

export const SESSION_COOKIE = 'seccoder_session';
export const SIGN_IN_COOKIE = 'seccoder_sign_in';
export type CookieName = typeof SESSION_COOKIE | typeof SIGN_IN_COOKIE;

/** The value of cookie `name` in the request; undefined when absent or sent more than once (a planted duplicate is not guessed between). */
export function readCookie(request: IncomingMessage, name: CookieName): string | undefined {
  const values: string[] = [];
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    values.push(part.slice(eq + 1).trim());
  }
  return values.length === 1 ? values[0] : undefined;
}

/** A Set-Cookie line; `maxAgeSeconds` 0 deletes the cookie. */
export function cookieLine(name: CookieName, value: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${name}=${value}`, `Path=${CORPUS_WEB_PATH}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ');
}
