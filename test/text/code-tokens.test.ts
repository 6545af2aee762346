import { describe, expect, it } from 'vitest';
import { codeTokens, splitIdentifier, termCounts } from '../../src/text/code-tokens.js';

describe('splitIdentifier', () => {
  it('splits camelCase and PascalCase into lower-case words', () => {
    expect(splitIdentifier('camelCaseWord')).toEqual(['camel', 'case', 'word']);
    expect(splitIdentifier('PascalCaseName')).toEqual(['pascal', 'case', 'name']);
  });

  it('splits snake_case and SCREAMING_SNAKE_CASE', () => {
    expect(splitIdentifier('snake_case_name')).toEqual(['snake', 'case', 'name']);
    expect(splitIdentifier('MAX_BUFFER_SIZE')).toEqual(['max', 'buffer', 'size']);
  });

  it('keeps acronyms together and splits them from the following word', () => {
    expect(splitIdentifier('getHTTPResponse')).toEqual(['get', 'http', 'response']);
    expect(splitIdentifier('getHTTPResponse_code')).toEqual(['get', 'http', 'response', 'code']);
    expect(splitIdentifier('parseXMLFile')).toEqual(['parse', 'xml', 'file']);
    expect(splitIdentifier('IOError')).toEqual(['io', 'error']);
    expect(splitIdentifier('HTTP')).toEqual(['http']);
  });

  it('splits on digits and $ and drops one-letter words', () => {
    expect(splitIdentifier('utf8_decode')).toEqual(['utf', 'decode']);
    expect(splitIdentifier('$scope')).toEqual(['scope']);
    expect(splitIdentifier('x')).toEqual([]);
    expect(splitIdentifier('getX')).toEqual(['get']);
    expect(splitIdentifier('a_b_c')).toEqual([]);
  });
});

describe('codeTokens', () => {
  it('marks calls, members, SQL words in strings and percent formatting (python SQL injection)', () => {
    const tokens = codeTokens('cursor.execute("SELECT * FROM t WHERE id = %s" % x)');
    expect(tokens).toEqual(['cursor', 'execute', 'call:execute', 'member:execute', 'str', 'fmt:percent', 's:select', 's:from', 's:where', 's:id', 'op:%', 'x']);
    // The one-letter table name inside the string is not a word.
    expect(tokens).not.toContain('s:t');
    // `cursor` is neither called nor a member.
    expect(tokens).not.toContain('call:cursor');
    expect(tokens).not.toContain('member:cursor');
  });

  it('marks a C memcpy call and the arithmetic in its length', () => {
    const tokens = codeTokens('memcpy(buf, src, len + 1)');
    expect(tokens).toEqual(['memcpy', 'call:memcpy', 'buf', 'src', 'len', 'op:+', 'num:1']);
    // Commas and parentheses are not kept.
    expect(tokens.some((token) => token.includes(',') || token.includes('('))).toBe(false);
  });

  it('marks pointer member access and indexing', () => {
    const tokens = codeTokens('p->next[i]');
    expect(tokens).toEqual(['p', 'op:->', 'next', 'member:next', 'op:[', 'i']);
    expect(tokens).not.toContain('op:]');
  });

  it('emits the whole identifier and its words when they differ', () => {
    expect(codeTokens('getUserName')).toEqual(['getusername', 'get', 'user', 'name']);
    // A single-word identifier is emitted once, lower-cased.
    expect(codeTokens('Buffer')).toEqual(['buffer']);
    // A one-letter identifier has no words but is still a token.
    expect(codeTokens('q')).toEqual(['q']);
  });

  it('distinguishes brace, template and percent formats', () => {
    expect(codeTokens('"{}".format(name)')).toEqual(['str', 'fmt:brace', 'format', 'call:format', 'member:format', 'name']);
    const template = codeTokens('`rm -rf ${dir}`');
    expect(template).toContain('fmt:template');
    expect(template).toContain('s:rm');
    expect(template).toContain('s:rf');
    expect(template).toContain('s:dir');
    expect(codeTokens('printf("%d items", n)')).toEqual(['printf', 'call:printf', 'str', 'fmt:percent', 's:items', 'n']);
    // No format marker for a plain string.
    expect(codeTokens("'hello world'")).toEqual(['str', 's:hello', 's:world']);
  });

  it('splits identifiers inside strings', () => {
    expect(codeTokens('"userId=%s"')).toEqual(['str', 'fmt:percent', 's:user', 's:id']);
  });

  it('keeps memory-relevant operators and drops the rest', () => {
    const tokens = codeTokens('a <<= 2; b >> c; d++; e -= f; g == h; i != j; k && l; m::n;');
    expect(tokens).toContain('op:<<=');
    expect(tokens).toContain('op:>>');
    expect(tokens).toContain('op:++');
    expect(tokens).toContain('op:-=');
    expect(tokens).toContain('op:::');
    expect(tokens).not.toContain('op:==');
    expect(tokens).not.toContain('op:!=');
    expect(tokens).not.toContain('op:&&');
    expect(tokens).not.toContain('op:;');
    expect(tokens).not.toContain('op:=');
  });

  it('collapses numbers except 0 and 1', () => {
    expect(codeTokens('x[0] = y[1] + 42 + 3.5')).toEqual(['x', 'op:[', 'num:0', 'y', 'op:[', 'num:1', 'op:+', 'num', 'op:+', 'num']);
  });

  it('does not tokenize code inside strings as code', () => {
    const tokens = codeTokens('"free(ptr)"');
    expect(tokens).not.toContain('call:free');
    expect(tokens).toEqual(['str', 's:free', 's:ptr']);
  });

  it('handles escaped quotes inside strings', () => {
    expect(codeTokens('"say \\"hi\\"" + other')).toEqual(['str', 's:say', 's:hi', 'op:+', 'other']);
  });

  it('is deterministic and gives nothing for empty input', () => {
    const code = 'def run(cmd):\n    subprocess.run(["ls", cmd], shell=False)\n    os.system("echo %s" % cmd)\n';
    expect(codeTokens(code)).toEqual(codeTokens(code));
    expect(codeTokens(code).length).toBeGreaterThan(0);
    expect(codeTokens('')).toEqual([]);
    expect(codeTokens('  \n\t ')).toEqual([]);
  });
});

describe('termCounts', () => {
  it('counts each token', () => {
    const counts = termCounts(codeTokens('free(p); free(q); p = NULL;'));
    expect(counts.get('free')).toBe(2);
    expect(counts.get('call:free')).toBe(2);
    expect(counts.get('p')).toBe(2);
    expect(counts.get('q')).toBe(1);
    expect(counts.get('null')).toBe(1);
    const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
    expect(total).toBe(codeTokens('free(p); free(q); p = NULL;').length);
  });
});
