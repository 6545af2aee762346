// Best of n: fewer analyzer findings first, then the smallest change to the original.
import { describe, expect, it } from 'vitest';
import { changedLineCount, chooseBest } from '../../src/harden/choose.js';

const ORIGINAL = `def find_user(conn, email):
    cur = conn.cursor()
    cur.execute("SELECT id FROM users WHERE email = '" + email + "'")
    return cur.fetchone()
`;

/** One line changed. */
const SMALL = ORIGINAL.replace(`'" + email + "'")`, '?", (email,))');

/** The same fix plus a rewritten body: four lines changed. */
const LARGE = `def find_user(conn, email):
    with conn:
        rows = conn.execute("SELECT id FROM users WHERE email = ?", (email,))
        return rows.fetchone()
`;

describe('changedLineCount', () => {
  it('counts removed plus added lines', () => {
    expect(changedLineCount(ORIGINAL, ORIGINAL)).toBe(0);
    expect(changedLineCount(ORIGINAL, SMALL)).toBe(2);
    expect(changedLineCount(ORIGINAL, LARGE)).toBe(6);
  });
});

describe('chooseBest', () => {
  it('prefers fewer findings even when the change is larger', () => {
    const best = chooseBest(
      [
        { code: SMALL, findings: 1, label: 'small' },
        { code: LARGE, findings: 0, label: 'large' },
      ],
      ORIGINAL,
    );
    expect(best?.label).toBe('large');
  });

  it('with equal findings, prefers the smaller diff, in whatever order they come', () => {
    const candidates = [
      { code: LARGE, findings: 0, label: 'large' },
      { code: SMALL, findings: 0, label: 'small' },
    ];
    expect(chooseBest(candidates, ORIGINAL)?.label).toBe('small');
    expect(chooseBest([...candidates].reverse(), ORIGINAL)?.label).toBe('small');
  });

  it('keeps the first of equally good candidates and does not reorder the input', () => {
    const other = ORIGINAL.replace(`'" + email + "'")`, '%s", (email,))');
    const candidates = [
      { code: SMALL, findings: 0, label: 'first' },
      { code: other, findings: 0, label: 'second' },
    ];
    expect(chooseBest(candidates, ORIGINAL)?.label).toBe('first');
    expect(candidates.map((candidate) => candidate.label)).toEqual(['first', 'second']);
  });

  it('is undefined for no candidates', () => {
    expect(chooseBest([], ORIGINAL)).toBeUndefined();
  });
});
