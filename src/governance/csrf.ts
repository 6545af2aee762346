// Whether a write carries the session's CSRF token. Both sides are hashed before the constant-time
// comparison, so neither the token's length nor how much of it matched shows in the timing, and a
// server that has no token (empty) accepts nothing.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export function csrfTokenMatches(expected: string, given: string | undefined): boolean {
  if (expected === '' || given === undefined || given === '') return false;
  return timingSafeEqual(digest(expected), digest(given));
}
