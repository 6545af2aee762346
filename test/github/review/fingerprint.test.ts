// The hidden marker at the end of SecCoder's comments: exact form, hashing, and reading it back
// from hostile bodies without being fooled.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  codeFingerprint,
  fingerprintOf,
  readFingerprints,
  renderFingerprint,
  suggestionFingerprint,
  withFingerprints,
  type Fingerprint,
} from '../../../src/github/review/fingerprint.js';
import { renderSuggestionMarkdown } from '../../../src/harden/render-markdown.js';
import { suggestionFor, USER_BY_EMAIL_FIXED, VIEWS_USER } from '../../fixtures/github/pull-request.js';

const sha12 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

const FP: Fingerprint = { path: 'app/views.py', fn: 'user_by_email', orig: 'aaaaaaaaaaaa', sugg: 'bbbbbbbbbbbb' };

describe('fingerprints', () => {
  it('renders the exact marker', () => {
    expect(renderFingerprint(FP)).toBe('<!-- seccoder:v1 {"path":"app/views.py","fn":"user_by_email","orig":"aaaaaaaaaaaa","sugg":"bbbbbbbbbbbb"} -->');
    expect(renderFingerprint({ ...FP, outdated: true })).toBe(
      '<!-- seccoder:v1 {"path":"app/views.py","fn":"user_by_email","orig":"aaaaaaaaaaaa","sugg":"bbbbbbbbbbbb","outdated":true} -->',
    );
  });

  it('marks the part of a suggestion posted as several comments, and reads it back', () => {
    const part: Fingerprint = { ...FP, part: 2, parts: 3 };
    expect(renderFingerprint(part)).toBe(
      '<!-- seccoder:v1 {"path":"app/views.py","fn":"user_by_email","orig":"aaaaaaaaaaaa","sugg":"bbbbbbbbbbbb","part":2,"parts":3} -->',
    );
    expect(readFingerprints([`x\n\n${renderFingerprint(part)}`])).toEqual([part]);
    const suggestion = suggestionFor(VIEWS_USER, USER_BY_EMAIL_FIXED);
    expect(fingerprintOf(suggestion, { index: 1, total: 3 })).toEqual({ ...fingerprintOf(suggestion), part: 2, parts: 3 });
    // A suggestion posted as one comment has no part numbers: the marker is the one it always was.
    expect(fingerprintOf(suggestion, { index: 0, total: 1 })).toEqual(fingerprintOf(suggestion));
    expect(suggestionFingerprint({ ...part, outdated: true })).toEqual({ ...FP, parts: 3 });
    // Part numbers out of range fail the schema, and the marker is skipped.
    expect(readFingerprints([renderFingerprint(FP).replace('"sugg":"bbbbbbbbbbbb"', '"sugg":"bbbbbbbbbbbb","part":0')])).toEqual([]);
    expect(readFingerprints([renderFingerprint(FP).replace('"sugg":"bbbbbbbbbbbb"', '"sugg":"bbbbbbbbbbbb","parts":1')])).toEqual([]);
  });

  it('hashes the normalized original and replacement (line endings, trailing blanks, shared indentation)', () => {
    expect(codeFingerprint('    def f():\r\n        return 1   \r\n\n')).toBe(sha12('def f():\n    return 1'));
    const suggestion = suggestionFor(VIEWS_USER, USER_BY_EMAIL_FIXED);
    expect(fingerprintOf(suggestion)).toEqual({
      path: 'app/views.py',
      fn: 'user_by_email',
      orig: sha12(VIEWS_USER.function.code),
      sugg: sha12(USER_BY_EMAIL_FIXED),
    });
  });

  it('reads back the markers closing a comment', () => {
    const suggestion = suggestionFor(VIEWS_USER, USER_BY_EMAIL_FIXED);
    const body = withFingerprints(renderSuggestionMarkdown(suggestion), [fingerprintOf(suggestion)]);
    expect(body.endsWith(`</sub>\n\n${renderFingerprint(fingerprintOf(suggestion))}`)).toBe(true);
    expect(readFingerprints([body])).toEqual([fingerprintOf(suggestion)]);
    const second = { ...FP, fn: 'is_admin' };
    expect(readFingerprints([withFingerprints('review', [FP, second, { ...FP, outdated: true }]), `${renderFingerprint(FP)}\r\n`])).toEqual([
      FP,
      second,
      { ...FP, outdated: true },
    ]);
  });

  it('keeps a hostile path or function name inside the comment and gets it back intact', () => {
    const hostile: Fingerprint = { path: 'a/--><img src=x onerror=alert(1)>.py', fn: 'f"}\n-->&amp;', orig: FP.orig, sugg: FP.sugg };
    const marker = renderFingerprint(hostile);
    expect(marker.indexOf('-->')).toBe(marker.length - 3);
    expect(marker.slice('<!-- seccoder:v1 '.length, -' -->'.length)).not.toMatch(/[<>&\n]/);
    expect(readFingerprints([`text\n${marker}`])).toEqual([hostile]);
  });

  it('ignores markers that are not the closing lines of a body', () => {
    const inCode = ['```python', renderFingerprint(FP), '```'].join('\n');
    expect(readFingerprints([inCode])).toEqual([]);
    expect(readFingerprints([`${renderFingerprint(FP)}\nsome text after`])).toEqual([]);
    expect(readFingerprints([`see ${renderFingerprint(FP)}`])).toEqual([]);
  });

  it('ignores anything that is not exactly a valid marker', () => {
    const bodies = [
      '<!-- seccoder:v1 {"path":"a.py","fn":"f","orig":"aaaaaaaaaaaa","sugg":"bbbbbbbbbbbb","extra":1} -->',
      '<!-- seccoder:v1 {"path":"a.py","fn":"f","orig":"AAAAAAAAAAAA","sugg":"bbbbbbbbbbbb"} -->',
      '<!-- seccoder:v1 {"path":"a.py","fn":"f","orig":"aaaaaaaaaaaa"} -->',
      '<!-- seccoder:v1 {"path":"a.py","fn":"f","orig":"aaaaaaaaaaaa","sugg":"bbbbbbbbbbbb",} -->',
      '<!-- seccoder:v1 {"path":"","fn":"f","orig":"aaaaaaaaaaaa","sugg":"bbbbbbbbbbbb"} -->',
      '<!-- seccoder:v2 {"path":"a.py","fn":"f","orig":"aaaaaaaaaaaa","sugg":"bbbbbbbbbbbb"} -->',
      '<!--  seccoder:v1 {"path":"a.py","fn":"f","orig":"aaaaaaaaaaaa","sugg":"bbbbbbbbbbbb"} -->',
      '<!-- seccoder:v1 {"path":"a.py","fn":"f","orig":"aaaaaaaaaaaa","sugg":"bbbbbbbbbbbb","outdated":false} -->',
      '<!-- seccoder:v1 {"path":"<b>","fn":"f","orig":"aaaaaaaaaaaa","sugg":"bbbbbbbbbbbb"} -->',
      '<!-- seccoder:v1 [] -->',
      '',
    ];
    expect(readFingerprints(bodies)).toEqual([]);
    // One bad line among good ones costs only itself.
    expect(readFingerprints([[renderFingerprint(FP), bodies[1], renderFingerprint({ ...FP, fn: 'g' })].join('\n')])).toEqual([FP, { ...FP, fn: 'g' }]);
  });

  it('reads long hostile bodies quickly', () => {
    const body = `${' '.repeat(200_000)}x${'<!-- seccoder:v1 {'.repeat(20_000)}\n${renderFingerprint(FP)}`;
    const started = Date.now();
    expect(readFingerprints([body])).toEqual([FP]);
    expect(Date.now() - started).toBeLessThan(500);
  });
});
