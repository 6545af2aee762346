import { describe, expect, it } from 'vitest';
import { EXCERPT_MAX_CHARS, bodyExcerpt } from '../../src/model/excerpt.js';

describe('bodyExcerpt', () => {
  it('collapses whitespace and keeps short bodies whole', () => {
    expect(bodyExcerpt('  {"error":\n\t"bad"}  ')).toBe('{"error": "bad"}');
  });

  it('cuts long bodies to the limit with an ellipsis', () => {
    const text = bodyExcerpt('x'.repeat(1000));
    expect(text).toHaveLength(EXCERPT_MAX_CHARS);
    expect(text.endsWith('…')).toBe(true);
  });

  it('redacts secrets wherever they appear, even at the cut', () => {
    const secret = 'sk-abcdef123456';
    const body = `${'y'.repeat(195)}${secret} and ${secret}`;
    const text = bodyExcerpt(body, [secret]);
    expect(text).not.toContain('sk-abc');
    expect(bodyExcerpt(`key=${secret}`, [secret])).toBe('key=[redacted]');
  });
});
