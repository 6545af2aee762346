// Adjacent pairs of lexical tokens (identifiers lower-cased, literals by kind, every operator and
// bracket kept), for the CWE classifier: a pair says how a name is used where single tokens only
// say that it is there (`] =` writes through an index, `= buf [` reads through one, `( ptr )`
// after `free` passes it on).
import { TOKEN } from './code-tokens.js';

export const PAIR_PREFIX = 'pair:';

/** A lexeme as the classifiers see it: identifiers lower-cased, literals by kind (STR, NUM; 0 and 1 kept). */
export function normalizedLexeme(lexeme: string): string {
  const first = lexeme[0] as string;
  if (first === '"' || first === "'" || first === '`') return 'STR';
  if (/\d/.test(first)) return lexeme === '0' || lexeme === '1' ? lexeme : 'NUM';
  return lexeme.toLowerCase();
}

/** "pair:a b" for each two adjacent lexemes of the code. */
export function tokenPairs(code: string): string[] {
  const lexemes = (code.match(TOKEN) ?? []).map(normalizedLexeme);
  const pairs: string[] = [];
  for (let i = 1; i < lexemes.length; i += 1) pairs.push(`${PAIR_PREFIX}${lexemes[i - 1]} ${lexemes[i]}`);
  return pairs;
}
