// Minimal suggestions: the rewrite diffed against the function's lines into hunks in the file's
// line numbers, each posted on exactly its lines; the code sharing the function's first and last
// lines is carried verbatim, never replaced.
import { describe, expect, it } from 'vitest';
import { extractFunctions } from '../../src/detect/functions.js';
import { applyHunks, hunkDiff, replacementLines, shiftBefore, suggestionHunks, suggestionRanges, type HunkInput } from '../../src/harden/hunks.js';

const FN = [
  'function find(db, id) {',
  '  const a = 1;',
  '  const b = 2;',
  '  const sql = "SELECT * FROM t WHERE id = " + id;',
  '  const c = 3;',
  '  const d = 4;',
  '  return db.query(sql);',
  '}',
];

function input(original: readonly string[], replacement: readonly string[], extra: Partial<HunkInput> = {}): HunkInput {
  return { startLine: 10, endLine: 10 + original.length - 1, original: original.join('\n'), replacement: replacement.join('\n'), ...extra };
}

const replaced = (lines: readonly string[], index: number, line: string) => lines.map((old, i) => (i === index ? line : old));

describe('suggestionHunks', () => {
  it('posts a one-line fix as a one-line hunk on its own file line', () => {
    const fixed = replaced(FN, 3, '  const sql = "SELECT * FROM t WHERE id = ?";');
    expect(suggestionHunks(input(FN, fixed))).toEqual([
      { startLine: 13, endLine: 13, original: [FN[3]], replacement: ['  const sql = "SELECT * FROM t WHERE id = ?";'] },
    ]);
  });

  it('joins changes at most two unchanged lines apart, and keeps changes three lines apart separate', () => {
    const two = replaced(replaced(FN, 1, '  const a = 10;'), 4, '  const c = 30;');
    expect(suggestionHunks(input(FN, two)).map((hunk) => [hunk.startLine, hunk.endLine, hunk.replacement])).toEqual([
      [11, 14, ['  const a = 10;', FN[2], FN[3], '  const c = 30;']],
    ]);
    const three = replaced(replaced(FN, 1, '  const a = 10;'), 5, '  const d = 40;');
    expect(suggestionHunks(input(FN, three)).map((hunk) => [hunk.startLine, hunk.endLine])).toEqual([
      [11, 11],
      [15, 15],
    ]);
  });

  it('anchors a pure insertion to the line before it, kept verbatim', () => {
    const inserted = [...FN.slice(0, 4), '  if (typeof id !== "number") throw new TypeError("id");', ...FN.slice(4)];
    expect(suggestionHunks(input(FN, inserted))).toEqual([
      { startLine: 13, endLine: 13, original: [FN[3]], replacement: [FN[3], '  if (typeof id !== "number") throw new TypeError("id");'] },
    ]);
  });

  it("anchors an insertion before the function's first line to that line", () => {
    const decorated = ['// @ts-check', ...FN];
    expect(suggestionHunks(input(FN, decorated))).toEqual([{ startLine: 10, endLine: 10, original: [FN[0]], replacement: ['// @ts-check', FN[0]] }]);
  });

  it('deletes lines with an empty replacement', () => {
    const without = FN.filter((_, index) => index !== 5);
    expect(suggestionHunks(input(FN, without))).toEqual([{ startLine: 15, endLine: 15, original: [FN[5]], replacement: [] }]);
  });

  it('is empty when the rewrite changes no line', () => {
    expect(suggestionHunks(input(FN, FN))).toEqual([]);
  });

  it('falls back to one hunk over the whole range when the original does not have the lines it claims', () => {
    const hunks = suggestionHunks({ ...input(FN, replaced(FN, 3, 'x')), endLine: 12 });
    expect(hunks).toEqual([{ startLine: 10, endLine: 12, original: FN, replacement: replaced(FN, 3, 'x') }]);
  });
});

describe('code sharing the first or last line of the function', () => {
  const LAST = ['function f(a) {', '  return eval(a);', '} module.exports = { f };'];
  const FUNCTION_LAST = ['function f(a) {', '  return eval(a);', '}'];

  it('a fix inside the function leaves `} module.exports = ...` alone', () => {
    const fixed = replaced(FUNCTION_LAST, 1, '  return JSON.parse(a);');
    expect(suggestionHunks(input(LAST, fixed, { textAfter: ' module.exports = { f };' }))).toEqual([
      { startLine: 11, endLine: 11, original: ['  return eval(a);'], replacement: ['  return JSON.parse(a);'] },
    ]);
  });

  it('a change on the last line carries the code after the function verbatim', () => {
    const fixed = [...FUNCTION_LAST.slice(0, 2), '} // checked'];
    expect(suggestionHunks(input(LAST, fixed, { textAfter: ' module.exports = { f };' }))).toEqual([
      { startLine: 12, endLine: 12, original: ['} module.exports = { f };'], replacement: ['} // checked module.exports = { f };'] },
    ]);
  });

  it('a one-line function between other code becomes several lines, with the code around it kept', () => {
    const line = ['x = 1; function f(a) { return eval(a); } y();'];
    const rewrite = ['function f(a) {', '  if (typeof a !== "string") return null;', '  return JSON.parse(a);', '}'];
    const hunks = suggestionHunks(input(line, rewrite, { textBefore: 'x = 1; ', textAfter: ' y();' }));
    expect(hunks).toEqual([
      {
        startLine: 10,
        endLine: 10,
        original: line,
        replacement: ['x = 1; function f(a) {', '  if (typeof a !== "string") return null;', '  return JSON.parse(a);', '} y();'],
      },
    ]);
  });

  it('drops the code around the function when the model copied it into its rewrite, keeping the file’s', () => {
    const lines = ['x = 1; function f(a) {', '  return eval(a);', '} module.exports = { f };'];
    const copied = ['x = 1; function f(a) {', '  return JSON.parse(a);', '} module.exports = { f };'];
    const extra = { textBefore: 'x = 1; ', textAfter: ' module.exports = { f };' };
    expect(replacementLines(input(lines, copied, extra))).toEqual(['x = 1; function f(a) {', '  return JSON.parse(a);', '} module.exports = { f };']);
    expect(suggestionHunks(input(lines, copied, extra))).toEqual([
      { startLine: 11, endLine: 11, original: ['  return eval(a);'], replacement: ['  return JSON.parse(a);'] },
    ]);
    // Copied on lines of their own.
    const ownLines = ['x = 1;', 'function f(a) {', '  return JSON.parse(a);', '}', 'module.exports = { f };'];
    expect(replacementLines(input(lines, ownLines, extra))).toEqual(['x = 1; function f(a) {', '  return JSON.parse(a);', '} module.exports = { f };']);
  });

  it('does not take the end of the function for a copy when the function itself ends that way', () => {
    // `{ f() { ... } }`: the function ends with `}`, and so does the code after it.
    const lines = ['  f() {', '    return 1;', '  } }'];
    const rewrite = ['  f() {', '    return 2;', '  }'];
    expect(replacementLines(input(lines, rewrite, { textAfter: ' }' }))).toEqual(['  f() {', '    return 2;', '  } }']);
  });

  it('a deletion reaching a shared line takes the next line with it, which then carries the code', () => {
    // The rewrite drops the function's first line; its second line, with the code before the
    // function in front, happens to be the file's second line: a pure deletion of line 10.
    const lines = ['x = 1; a(', 'x = 1; b(', '  c)', ')'];
    const rewrite = ['b(', '  c)', ')'];
    const hunks = suggestionHunks(input(lines, rewrite, { textBefore: 'x = 1; ' }));
    expect(hunks).toEqual([{ startLine: 10, endLine: 11, original: lines.slice(0, 2), replacement: ['x = 1; b('] }]);
    const atEnd = suggestionHunks(input(['f(', '  a) y();', '  a) y();'], ['f(', '  a)'], { textAfter: ' y();' }));
    expect(atEnd).toEqual([{ startLine: 11, endLine: 12, original: ['  a) y();', '  a) y();'], replacement: ['  a) y();'] }]);
  });

  it('ignores textBefore/textAfter that the lines do not hold', () => {
    expect(replacementLines(input(['function f() {', '}'], ['function f() {', '  return 1;', '}'], { textBefore: 'y = 2; ', textAfter: ' z();' }))).toEqual([
      'function f() {',
      '  return 1;',
      '}',
    ]);
  });
});

describe('hunkDiff and applyHunks', () => {
  it("writes each hunk as a unified diff in the file's numbers, shifted by the hunks before it", () => {
    const rewrite = [...FN.slice(0, 1), '  "use strict";', ...FN.slice(1, 6), ...FN.slice(7)];
    const hunks = suggestionHunks(input(FN, rewrite));
    expect(hunks.map((hunk) => [hunk.startLine, hunk.endLine])).toEqual([
      [10, 10],
      [16, 16],
    ]);
    expect(hunkDiff(hunks[0]!, shiftBefore(hunks, 0))).toBe(['@@ -10,1 +10,2 @@', ` ${FN[0]}`, '+  "use strict";'].join('\n'));
    expect(hunkDiff(hunks[1]!, shiftBefore(hunks, 1))).toBe(['@@ -16,1 +16,0 @@', `-${FN[6]}`].join('\n'));
  });

  it('applying every hunk gives the file with the function replaced', () => {
    const file = ['// top', ...Array.from({ length: 8 }, (_, i) => `// ${i}`), ...FN, '// end'];
    const rewrite = ['// checked', FN[0]!, '  const a = 10;', ...FN.slice(2, 5), ...FN.slice(6)];
    const hunks = suggestionHunks(input(FN, rewrite));
    expect(applyHunks(file, hunks)).toEqual([...file.slice(0, 9), ...rewrite, '// end']);
  });
});

describe('with functions as extracted from their files', () => {
  it('records the code before and after a function on its lines (JavaScript, C, Ruby; not indentation)', async () => {
    const js = await extractFunctions('const é = "ü"; x = 1; function f(a) {\n  return a;\n} module.exports = { f };\n', 'javascript');
    expect(js.map((fn) => [fn.name, fn.textBefore, fn.textAfter])).toEqual([['f', 'const é = "ü"; x = 1; ', ' module.exports = { f };']]);
    const c = await extractFunctions('int x; int f(int a) { return a; } int y;\n', 'c');
    expect(c.map((fn) => [fn.name, fn.textBefore, fn.textAfter])).toEqual([['f', 'int x; ', ' int y;']]);
    const ruby = await extractFunctions('x = 1; def f(a)\n  a\nend; f(1)\n', 'ruby');
    expect(ruby.map((fn) => [fn.name, fn.textBefore, fn.textAfter])).toEqual([['f', 'x = 1; ', '; f(1)']]);
    const method = await extractFunctions('class A:\n    def f(self):\n        return 1  # one\n', 'python');
    expect(method).toHaveLength(1);
    expect(method[0]).not.toHaveProperty('textBefore');
    expect(method[0]).not.toHaveProperty('textAfter');
  });

  it('suggestionRanges: a fix of a one-line function keeps the code around it', async () => {
    const file = 'const x = 1; function f(a) { return eval(a); } module.exports = { f };\n';
    const [fn] = await extractFunctions(file, 'javascript');
    const hunks = suggestionRanges(fn!, 'function f(a) { return JSON.parse(a); }');
    expect(hunks).toEqual([
      {
        startLine: 1,
        endLine: 1,
        original: [file.trimEnd()],
        replacement: ['const x = 1; function f(a) { return JSON.parse(a); } module.exports = { f };'],
      },
    ]);
  });
});
