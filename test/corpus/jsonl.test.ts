import { describe, expect, it } from 'vitest';
import { codeHash, normalizeCode } from '../../src/corpus/entry.js';
import { formatProblem, parseCorpusJsonl, serializeEntry } from '../../src/corpus/jsonl.js';
import { makeEntry } from '../helpers/entries.js';

describe('corpus JSON Lines', () => {
  const good = makeEntry('def safe(x):\n    return int(x)\n', 'python', ['CWE-20']);
  const other = makeEntry('int f(void) { return 0; }', 'c');

  it('reads valid entries in order', () => {
    const { entries, problems } = parseCorpusJsonl(`${serializeEntry(good)}\n${serializeEntry(other)}\n`, 'c.jsonl');
    expect(problems).toEqual([]);
    expect(entries.map((entry) => entry.id)).toEqual([good.id, other.id]);
  });

  it('reports each bad line with file and line number and keeps the rest', () => {
    const wrongHash = { ...other, sha256: 'a'.repeat(64) };
    const badCwe = { ...good, id: 'x1', cwe: ['89'] };
    const unknownLanguage = { ...good, id: 'x2', language: 'cobol' };
    const extraKey = { ...good, id: 'x3', secret: true };
    const text = [
      serializeEntry(good),
      '{"id": "truncated", "lang',
      JSON.stringify(wrongHash),
      '',
      JSON.stringify(badCwe),
      JSON.stringify(unknownLanguage),
      JSON.stringify(extraKey),
    ].join('\n');
    const { entries, problems } = parseCorpusJsonl(text, 'corpus/corpus.jsonl');
    expect(entries.map((entry) => entry.id)).toEqual([good.id]);
    expect(problems.map((problem) => problem.line)).toEqual([2, 3, 5, 6, 7]);
    expect(problems[0]?.message).toMatch(/not valid JSON/);
    expect(problems[1]?.message).toMatch(/sha256 does not match/);
    expect(problems[2]?.message).toMatch(/cwe\.0: expected a CWE id/);
    expect(problems[3]?.message).toMatch(/^language:/);
    expect(problems[4]?.message).toMatch(/secret/);
    expect(formatProblem(problems[0]!)).toMatch(/^corpus\/corpus\.jsonl:2: skipped entry: /);
  });
});

describe('code identity', () => {
  it('ignores line endings, trailing spaces, outer blank lines and shared indentation', () => {
    const a = '    def f(x):\r\n        return x   \r\n';
    const b = '\n\ndef f(x):\n    return x';
    expect(normalizeCode(a)).toBe('def f(x):\n    return x');
    expect(codeHash(a)).toBe(codeHash(b));
    expect(codeHash(a)).not.toBe(codeHash('def f(x):\n  return x'));
  });
});
