// The OAuth `state` of one sign-in: a random value sent to GitHub and kept, signed, in a short-lived
// cookie with the org and the page the user asked for. The callback accepts a code only when
// GitHub returns the same state to the same browser within ten minutes, so a sign-in cannot be
// started by another site (login CSRF) or replayed later.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { readCookie, SIGN_IN_COOKIE } from './cookies.js';
import { CORPUS_WEB_PATH, SIGN_IN_SECONDS } from './settings.js';
import { sameSecret, signValue, verifyValue } from './signed-value.js';

export interface SignInState {
  state: string;
  /** Where to go once signed in: a path under /corpus/<org>. */
  next: string;
  /** Issued at, in seconds since the epoch. */
  iat: number;
}

const stateSchema = z.object({ state: z.string().min(32), next: z.string(), iat: z.number().int() }).strict();

/** A GitHub org name as it may appear in a URL. */
export const ORG_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/**
 * `next` as the URL parser reads it (dot segments resolved, as a browser would) when that is a page
 * of `org`'s corpus (`/corpus/<org>` or below it, on this server), else the org's front page: the
 * user is never sent anywhere else.
 */
export function pageOfOrg(org: string, next: string | null | undefined): string {
  const home = `${CORPUS_WEB_PATH}/${org}`;
  if (!next?.startsWith('/')) return home;
  const base = 'http://corpus.invalid';
  const url = URL.canParse(next, base) ? new URL(next, base) : undefined;
  if (url?.origin !== base || (url.pathname !== home && !url.pathname.startsWith(`${home}/`))) return home;
  return `${url.pathname}${url.search}`;
}

/** A new sign-in: its state (for GitHub) and the cookie value that remembers it. */
export function startSignIn(secret: string, next: string, now: Date): { state: string; cookie: string } {
  const state = randomBytes(32).toString('base64url');
  return { state, cookie: signValue(secret, 'sign-in', { state, next, iat: Math.floor(now.getTime() / 1000) }) };
}

/** The sign-in this callback finishes, or undefined when its state is missing, forged, another browser's or too old. */
export function finishSignIn(request: IncomingMessage, secret: string, returnedState: string | null, now: Date): SignInState | undefined {
  const cookie = readCookie(request, SIGN_IN_COOKIE);
  if (cookie === undefined || !returnedState) return undefined;
  const parsed = stateSchema.safeParse(verifyValue(secret, 'sign-in', cookie));
  if (!parsed.success) return undefined;
  const age = Math.floor(now.getTime() / 1000) - parsed.data.iat;
  if (age < 0 || age >= SIGN_IN_SECONDS) return undefined;
  return sameSecret(returnedState, parsed.data.state) ? parsed.data : undefined;
}
