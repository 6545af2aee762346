import { describe, expect, it } from 'vitest';
import { blockCuts, contextLines, lineCuts, trimContext } from '../../src/prompt/context.js';

describe('contextLines', () => {
  it('splits into lines without trailing blank ones', () => {
    expect(contextLines('import os\n\nX = 1\n\n\n')).toEqual(['import os', '', 'X = 1']);
    expect(contextLines(' \n\n')).toEqual([]);
  });
});

describe('blockCuts', () => {
  it('cuts before a non-indented line that follows a blank one', () => {
    const lines = ['import os', 'import re', '', 'def a():', '', '    return 1', '', 'B = 2', '', '  indented', '}'];
    expect(blockCuts(lines)).toEqual([0, 3, 7, 11]);
    expect(blockCuts([])).toEqual([0]);
    expect(lineCuts(['a', 'b'])).toEqual([0, 1, 2]);
  });
});

describe('trimContext', () => {
  const lines = ['#include <stdio.h>', '', 'static int x;', 'static int y;'];

  it('keeps everything when nothing is cut', () => {
    expect(trimContext(lines, 4, 'c')).toBe(lines.join('\n'));
  });

  it('marks what was cut with a comment in the language', () => {
    expect(trimContext(lines, 2, 'c')).toBe('#include <stdio.h>\n// … (2 lines of context omitted)');
    expect(trimContext(['import os', 'X = 1'], 1, 'python')).toBe('import os\n# … (1 line of context omitted)');
    expect(trimContext(['require "x"'], 0, 'ruby')).toBe('# … (1 line of context omitted)');
  });
});
