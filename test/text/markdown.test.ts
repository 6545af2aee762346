// Helpers that keep hostile text inert in comments, reviews and check runs.
import { describe, expect, it } from 'vitest';
import { codeBlock, inlineCode, plural, tableCell } from '../../src/text/markdown.js';

describe('markdown helpers', () => {
  it('puts any text in a code span it cannot close', () => {
    expect(inlineCode('app/views.py')).toBe('`app/views.py`');
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('`start')).toBe('`` `start ``');
    expect(inlineCode('x```y')).toBe('````x```y````');
    expect(inlineCode('two\nlines\r\nhere')).toBe('`two lines here`');
  });

  it('escapes pipes for table cells, also inside code spans', () => {
    expect(tableCell(inlineCode('a|b'))).toBe('`a\\|b`');
    expect(tableCell('x\ny')).toBe('x y');
  });

  it('fences a block longer than any backtick run inside', () => {
    expect(codeBlock('x = 1\n', 'python')).toBe('```python\nx = 1\n```');
    expect(codeBlock('````\n', 'diff')).toBe('`````diff\n````\n`````');
  });

  it('counts in words', () => {
    expect([plural(0, 'function'), plural(1, 'function'), plural(2, 'function')]).toEqual(['0 functions', '1 function', '2 functions']);
  });
});
