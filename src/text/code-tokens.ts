// Code-aware tokens shared by the default embedder and BM25: identifiers whole and split into
// their words (camelCase, snake_case), calls marked as calls (the dangerous operation is usually a
// call: execute, strcpy, memcpy, free, open), words inside strings (SQL, shell, format strings),
// and the operators that carry memory-safety meaning (indexing, pointer arithmetic, shifts).

/** One lexical token: an identifier, a number, a string literal, or an operator or bracket. */
export const TOKEN =
  /[A-Za-z_$][A-Za-z0-9_$]*|\d+(?:\.\d+)?|->|<<=?|>>=?|\+\+|--|[+\-*/%&|^]=|[!=<>]=|&&|\|\||::|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`|[[\](){}.,;:+\-*/%&|^!~<>=?#@]/g;

const OPERATORS_KEPT = new Set([
  '->',
  '[',
  '<<',
  '>>',
  '<<=',
  '>>=',
  '++',
  '--',
  '+=',
  '-=',
  '*=',
  '&',
  '*',
  '%',
  '+',
  '-',
  '<',
  '<=',
  '>',
  '>=',
  '::',
  '#',
  '@',
]);

/** Splits an identifier into lower-case words: `getHTTPResponse_code` → get, http, response, code. */
export function splitIdentifier(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_$\d]+/)
    .map((word) => word.toLowerCase())
    .filter((word) => word.length >= 2);
}

function stringWords(literal: string, out: string[]): void {
  const body = literal.slice(1, -1);
  if (/%[-+ 0#]*\d*(?:\.\d+)?[sdifuxXlpc]/.test(body)) out.push('fmt:percent');
  if (/\{[^}]*\}/.test(body)) out.push('fmt:brace');
  if (/\$\{/.test(body)) out.push('fmt:template');
  for (const word of body.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
    for (const part of splitIdentifier(word)) out.push(`s:${part}`);
  }
}

/** The token stream of a piece of code; the same input always gives the same tokens. */
export function codeTokens(code: string): string[] {
  const out: string[] = [];
  const matches = code.match(TOKEN) ?? [];
  for (let i = 0; i < matches.length; i += 1) {
    const token = matches[i] as string;
    const first = token.charCodeAt(0);
    if (token[0] === '"' || token[0] === "'" || token[0] === '`') {
      out.push('str');
      stringWords(token, out);
    } else if (/[A-Za-z_$]/.test(token[0] as string)) {
      const lower = token.toLowerCase();
      const words = splitIdentifier(token);
      if (words.length !== 1 || words[0] !== lower) out.push(lower);
      out.push(...words);
      const next = matches[i + 1];
      if (next === '(') out.push(`call:${lower}`);
      const previous = matches[i - 1];
      if (previous === '.' || previous === '->') out.push(`member:${lower}`);
    } else if (first >= 48 && first <= 57) {
      out.push(token === '0' || token === '1' ? `num:${token}` : 'num');
    } else if (OPERATORS_KEPT.has(token)) {
      out.push(`op:${token}`);
    }
  }
  return out;
}

/** Term counts of a token stream. */
export function termCounts(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}
