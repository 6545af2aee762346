// A hidden fingerprint at the end of every comment SecCoder posts, so a redelivered webhook or a
// new push does not post the same suggestion twice, and a suggestion for a function that has
// changed since can be marked outdated:
//   <!-- seccoder:v1 {"path":"app/views.py","fn":"user_by_email","orig":"1a2b3c4d5e6f","sugg":"…"} -->
// `orig` and `sugg` are the first 12 hex digits of the SHA-256 of the normalized original function
// and of the normalized replacement. A suggestion posted as several comments (one per hunk, see
// src/harden/hunks.ts) carries the same fingerprint on each, plus `"part":2,"parts":3`; identity
// (already posted, outdated) is the function's, never a part's: a function is posted whole (all its
// parts in one review) or not at all.
import { z } from 'zod';
import { codeFingerprint } from '../../harden/standing.js';
import type { Suggestion } from '../../harden/suggestion.js';

const hash12 = z.string().regex(/^[0-9a-f]{12}$/);

export const fingerprintSchema = z.strictObject({
  path: z.string().min(1).max(4096),
  fn: z.string().min(1).max(1024),
  orig: hash12,
  sugg: hash12,
  /** Which hunk of the suggestion the comment holds (1-based), when it was posted as several. */
  part: z.number().int().min(1).max(10_000).optional(),
  /** How many hunks the suggestion was posted as, when more than one. */
  parts: z.number().int().min(2).max(10_000).optional(),
  /** Present on SecCoder's "outdated" reply: this suggestion was already declared outdated. */
  outdated: z.literal(true).optional(),
});

export type Fingerprint = z.infer<typeof fingerprintSchema>;

export { codeFingerprint };

/** Same function (path and name). */
export const sameFunction = (a: Pick<Fingerprint, 'path' | 'fn'>, b: Pick<Fingerprint, 'path' | 'fn'>) => a.path === b.path && a.fn === b.fn;
/** Same function with the same code. */
export const sameCode = (a: Pick<Fingerprint, 'path' | 'fn' | 'orig'>, b: Pick<Fingerprint, 'path' | 'fn' | 'orig'>) => sameFunction(a, b) && a.orig === b.orig;
/** The same suggestion for the same code. */
export const sameSuggestion = (a: Fingerprint, b: Fingerprint) => sameCode(a, b) && a.sugg === b.sugg;

/** The suggestion's fingerprint; with `part`, the one of its comment holding hunk `part.index` (0-based) of `part.total`. */
export function fingerprintOf(suggestion: Suggestion, part?: { index: number; total: number }): Fingerprint {
  return {
    path: suggestion.path,
    fn: suggestion.functionName,
    orig: codeFingerprint(suggestion.original),
    sugg: codeFingerprint(suggestion.replacement),
    ...(part && part.total > 1 ? { part: part.index + 1, parts: part.total } : {}),
  };
}

/** The fingerprint of the whole suggestion a part's fingerprint belongs to (`parts` kept, `part` and `outdated` dropped). */
export function suggestionFingerprint(fp: Fingerprint): Fingerprint {
  return { path: fp.path, fn: fp.fn, orig: fp.orig, sugg: fp.sugg, ...(fp.parts !== undefined ? { parts: fp.parts } : {}) };
}

const PREFIX = '<!-- seccoder:v1 ';
const SUFFIX = ' -->';
/** One whole line holding a marker. The JSON never holds `<`, `>` or a line break (see `renderFingerprint`). */
const MARKER_LINE = /^<!-- seccoder:v1 (\{[^<>\r\n]*\}) -->$/;

/**
 * The marker as an HTML comment on one line. `<`, `>` and `&` in the path or function name are
 * written as JSON `\u` escapes, so a name holding `-->` cannot end the comment early and show
 * (or inject) anything.
 */
export function renderFingerprint(fp: Fingerprint): string {
  const json = JSON.stringify({
    path: fp.path,
    fn: fp.fn,
    orig: fp.orig,
    sugg: fp.sugg,
    ...(fp.part !== undefined ? { part: fp.part } : {}),
    ...(fp.parts !== undefined ? { parts: fp.parts } : {}),
    ...(fp.outdated ? { outdated: true } : {}),
  }).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${PREFIX}${json}${SUFFIX}`;
}

/** Appends fingerprints as the body's closing lines, where `readFingerprints` looks for them. */
export function withFingerprints(markdown: string, fingerprints: readonly Fingerprint[]): string {
  if (fingerprints.length === 0) return markdown;
  return `${markdown.trimEnd()}\n\n${fingerprints.map(renderFingerprint).join('\n')}`;
}

function parseMarker(line: string): Fingerprint | undefined {
  const json = MARKER_LINE.exec(line)?.[1];
  if (json === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = fingerprintSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The fingerprints in comment or review bodies, in order, without duplicates.
 *
 * Only the closing lines of a body are read: the run of whole-line markers at its very end.
 * SecCoder's comments show code from the pull request and the model, and a marker inside that
 * code (a hostile function could hold one) is never at the end, as the rendered content always
 * closes with a line of SecCoder's own. Lines that look like a marker but fail the strict schema
 * are skipped; nothing else is parsed.
 *
 * Anyone can paste a marker into a comment of their own to suppress or "outdate" a suggestion.
 * The caller must therefore pass only bodies authored by the app's bot user (`user.type ===
 * 'Bot'` and the app's own login), never every comment on the pull request.
 */
export function readFingerprints(bodies: readonly string[]): Fingerprint[] {
  const found = new Map<string, Fingerprint>();
  for (const body of bodies) {
    const lines = body.trimEnd().split(/\r?\n/);
    const trailer: Fingerprint[] = [];
    for (let i = lines.length - 1; i >= 0; i -= 1) {
      const line = lines[i] ?? '';
      if (!line.startsWith(PREFIX)) break;
      const fp = parseMarker(line);
      if (fp) trailer.unshift(fp);
    }
    for (const fp of trailer) found.set(renderFingerprint(fp), fp);
  }
  return [...found.values()];
}
