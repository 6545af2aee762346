// tokensOf on real trees: whitespace and comments between tokens do not count, text inside a
// literal does, and subtrees can be elided or skipped.
import { describe, expect, it } from 'vitest';
import type { Language } from '../../src/lang/languages.js';
import { parseSource, tokenKey, tokensOf, type SyntaxNode } from '../../src/parse/index.js';

async function firstStatement(code: string, language: Language): Promise<SyntaxNode> {
  const { tree, errors } = await parseSource(code, language);
  expect(errors).toEqual([]);
  const node = tree.rootNode.namedChildren[0];
  if (!node) throw new Error('no statement');
  return node;
}

describe('tokensOf', () => {
  it('drops whitespace and comments between tokens, and spaces the text where the source had a gap', async () => {
    const code = 'f( a ,/* why */ b )';
    const { tokens, text } = tokensOf([await firstStatement(code, 'javascript')], code);
    expect(tokens).toEqual(['f', '(', 'a', ',', 'b', ')']);
    expect(text).toBe('f( a , b )');
  });

  it('keeps whitespace inside a string literal', async () => {
    const one = 'route("/a b")';
    const other = 'route("/a  b")';
    const key = async (code: string) => tokenKey(tokensOf([await firstStatement(code, 'python')], code).tokens);
    expect(await key(one)).not.toBe(await key(other));
    expect(await key('route( "/a b" )')).toBe(await key(one));
  });

  it('tells `char *p` and `char* p` alike, and `unsigned int` from `unsignedint`', async () => {
    const key = async (code: string) => tokenKey(tokensOf([await firstStatement(code, 'c')], code).tokens);
    expect(await key('char *p;')).toBe(await key('char* p;'));
    expect(await key('unsigned int n;')).not.toBe(await key('int unsignedint;'));
  });

  it('elides a subtree to one token and skips another altogether', async () => {
    const code = '@dec\ndef f(a):\n    return a';
    const statement = await firstStatement(code, 'python');
    const definition = statement.childForFieldName('definition');
    const body = definition?.childForFieldName('body');
    const decorator = statement.namedChildren[0];
    if (!body || !decorator) throw new Error('unexpected tree');
    expect(tokensOf([statement], code, { elide: [body], skip: [decorator] }).text).toBe('def f(a): …');
  });
});
