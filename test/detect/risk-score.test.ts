import { describe, expect, it } from 'vitest';
import { unquoteGitPath } from '../../src/detect/diff-sections.js';
import { riskConcepts, riskScore } from '../../src/detect/risk-score.js';

describe('riskScore', () => {
  it('counts risky concepts, not defences', () => {
    expect(riskConcepts('subprocess.run(["ls", path], shell=False)')).toEqual(['shell', 'shell-words']);
    expect(riskConcepts('if (n < len) return -1;')).toEqual([]);
  });

  it('weighs a concept more than ten changed lines and caps the line count', () => {
    expect(riskScore('os.system(cmd)', 1)).toBeGreaterThan(riskScore('x = a + b', 9));
    expect(riskScore('x = a + b', 500)).toBe(50);
  });
});

describe('unquoteGitPath', () => {
  it('decodes git quoting: octal UTF-8 bytes and C escapes', () => {
    expect(unquoteGitPath('"src/caf\\303\\251.py"')).toBe('src/café.py');
    expect(unquoteGitPath('"a\\"b\\\\c\\td.txt"')).toBe('a"b\\c\td.txt');
    expect(unquoteGitPath('plain/path.py')).toBe('plain/path.py');
  });
});
