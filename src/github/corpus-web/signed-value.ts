// Values the server hands to a browser and must get back unchanged (the session, the sign-in
// state): JSON, base64url, and an HMAC-SHA256 with SECCODER_SESSION_SECRET over a purpose and the
// value, so a value signed for one purpose is never accepted for another. Comparisons are constant
// time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignedPurpose = 'session' | 'sign-in' | 'csrf';

/** HMAC-SHA256 of `purpose` and `value` with `secret`, base64url. */
export function mac(secret: string, purpose: SignedPurpose, value: string): string {
  return createHmac('sha256', secret).update(`seccoder-corpus-web:${purpose}\n`).update(value).digest('base64url');
}

/** Equal strings, compared in constant time (the lengths may differ: both are hashed first). */
export function sameSecret(a: string, b: string): boolean {
  const digest = (text: string) => createHmac('sha256', 'compare').update(text).digest();
  return timingSafeEqual(digest(a), digest(b)) && a.length === b.length;
}

/** `<payload>.<mac>`: `value` as JSON, base64url, then its MAC. */
export function signValue(secret: string, purpose: SignedPurpose, value: unknown): string {
  const payload = Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  return `${payload}.${mac(secret, purpose, payload)}`;
}

/** The value `signValue` signed for this purpose, or undefined for anything else (altered, another purpose, another secret, not ours). */
export function verifyValue(secret: string, purpose: SignedPurpose, token: string): unknown {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return undefined;
  const payload = token.slice(0, dot);
  if (!sameSecret(token.slice(dot + 1), mac(secret, purpose, payload))) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
