// A signed-in user's session: their GitHub login and when they signed in, signed with
// SECCODER_SESSION_SECRET and kept in a cookie for 8 hours. Nothing else is kept: GitHub's user
// token was dropped at sign-in, and who may do what is asked of GitHub per org. A cookie that is
// altered, signed with another secret, expired or issued in the future is no session at all (the
// request is anonymous). The CSRF token is the session's MAC under another purpose, so it changes
// with every sign-in and cannot be made without the secret.
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import { SESSION_SECONDS } from './settings.js';
import { mac, signValue, verifyValue } from './signed-value.js';

export interface Session {
  login: string;
  /** Issued at, in seconds since the epoch. */
  iat: number;
  /** The cookie's value, which the CSRF token is bound to. */
  token: string;
}

/** A GitHub login: letters, digits and hyphens on github.com; managed users (EMU) and some GHES logins also have `_` and `.`. */
export const GITHUB_LOGIN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

const sessionSchema = z.object({ login: z.string().regex(GITHUB_LOGIN), iat: z.number().int().positive() }).strict();

/** Clocks of several instances may differ this much. */
const SKEW_SECONDS = 60;

const seconds = (now: Date) => Math.floor(now.getTime() / 1000);

/** The cookie value of a new session for `login`. */
export function issueSession(secret: string, login: string, now: Date): string {
  return signValue(secret, 'session', { login, iat: seconds(now) });
}

/** The request's session, or undefined when it has none that is valid now. */
export function readSession(request: IncomingMessage, secret: string, now: Date): Session | undefined {
  const token = readCookie(request, SESSION_COOKIE);
  if (token === undefined) return undefined;
  const parsed = sessionSchema.safeParse(verifyValue(secret, 'session', token));
  if (!parsed.success) return undefined;
  const age = seconds(now) - parsed.data.iat;
  if (age >= SESSION_SECONDS || age < -SKEW_SECONDS) return undefined;
  return { ...parsed.data, token };
}

/** The token every write of this session must carry. */
export function csrfTokenFor(secret: string, session: Pick<Session, 'token'>): string {
  return mac(secret, 'csrf', session.token);
}
