import { describe, expect, it } from 'vitest';
import { tokenPairs } from '../../src/text/token-pairs.js';
import { CweClassifier } from '../../src/retrieve/cwe-classifier.js';

describe('tokenPairs', () => {
  it('pairs adjacent lexemes, identifiers lower-cased and literals by kind', () => {
    expect(tokenPairs('Buf[i] = "x";')).toEqual(['pair:buf [', 'pair:[ i', 'pair:i ]', 'pair:] =', 'pair:= STR', 'pair:STR ;']);
    expect(tokenPairs('n = 42 + 1')).toEqual(['pair:n =', 'pair:= NUM', 'pair:NUM +', 'pair:+ 1']);
    expect(tokenPairs('x')).toEqual([]);
  });

  it('the classifier learns from pairs only when asked', () => {
    const docs = [
      { code: 'buf[i] = c; buf[j] = d;', cwe: ['CWE-787'] },
      { code: 'buf[k] = e; out[i] = c;', cwe: ['CWE-787'] },
      { code: 'c = buf[i]; d = buf[j];', cwe: ['CWE-125'] },
      { code: 'e = buf[k]; c = out[i];', cwe: ['CWE-125'] },
    ];
    const withPairs = CweClassifier.train(docs, { bigramWeight: 1 })!;
    const without = CweClassifier.train(docs)!;
    expect(withPairs.model.vocabulary).toContain('pair:] =');
    expect(without.model.vocabulary.some((term) => term.startsWith('pair:'))).toBe(false);
    const p = withPairs.predict('buf[n] = z;');
    expect(withPairs.classes[p.indexOf(Math.max(...p))]).toBe('CWE-787');
  });
});
