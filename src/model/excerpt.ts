// A short, secret-free piece of a response body for error messages.

/** Longest excerpt, in characters, quoted in an error. */
export const EXCERPT_MAX_CHARS = 200;

/**
 * The start of `body` with each of `secrets` replaced by `[redacted]` (a server may echo a header back)
 * and whitespace runs collapsed, cut to `EXCERPT_MAX_CHARS` characters including a trailing ellipsis.
 */
export function bodyExcerpt(body: string, secrets: readonly string[] = []): string {
  let text = body;
  for (const secret of secrets) {
    if (secret) text = text.split(secret).join('[redacted]');
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length <= EXCERPT_MAX_CHARS ? text : `${text.slice(0, EXCERPT_MAX_CHARS - 1)}…`;
}
