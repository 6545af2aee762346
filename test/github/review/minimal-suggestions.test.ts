// Property: for seeded random rewrites of real function shapes (edits on the first and last line,
// insertions, deletions, one-line functions between other code), applying every suggestion a
// review posts (the inline ```suggestion comments and the ```diff blocks of the body) changes only
// lines of the target function and gives exactly the file with the function replaced by the
// rewrite; the code sharing the function's lines is never touched.
import { describe, expect, it } from 'vitest';
import { linesInDiff, type ChangedFile } from '../../../src/detect/diff.js';
import { extractFunctions } from '../../../src/detect/functions.js';
import type { Language } from '../../../src/lang/languages.js';
import { planReview, renderReviewBody, type ReviewPlan } from '../../../src/github/review/plan.js';
import { HEAD_SHA, outcome, suggestionFor } from '../../fixtures/github/pull-request.js';
import { seededRandom as random } from '../../../src/embed/lsa/random.js';

interface Shape {
  language: Language;
  path: string;
  /** The function's own text, line by line (without the code around it). */
  lines: string[];
  /** Indentation of the body's lines, for generated statements. */
  indent: string;
  /** Code allowed before the function on its first line / after it on its last line. */
  befores: string[];
  afters: string[];
  /** A generated statement (unique by `n`). */
  statement: (n: number) => string;
  /** A generated first line / last line of the function (unique by `n`). */
  firstLine: (n: number) => string;
  lastLine: (n: number) => string;
}

const SHAPES: Shape[] = [
  {
    language: 'javascript',
    path: 'src/users.js',
    lines: [
      'function find(db, id) {',
      '  const sql = "SELECT * FROM users WHERE id = " + id;',
      '  const rows = db.query(sql);',
      '  log(rows.length);',
      '  return rows[0];',
      '}',
    ],
    indent: '  ',
    befores: ['', 'x = 1; ', 'const limit = 10; '],
    afters: ['', ' module.exports = { find };', ' find(db, 1);'],
    statement: (n) => `check${n}(id);`,
    firstLine: (n) => `function find(db, id) { // v${n}`,
    lastLine: (n) => `} // end ${n}`,
  },
  {
    language: 'typescript',
    path: 'src/handler.ts',
    lines: [
      'export async function handle(req: Request, res: Response): Promise<void> {',
      '  const name = req.query.name as string;',
      '  const dir = "/srv/files/";',
      '  log("reading", name);',
      '  const started = Date.now();',
      '  const body = await readFile(dir + name, "utf8");',
      '  metrics.record(Date.now() - started);',
      '  res.setHeader("content-type", "text/plain");',
      '  res.send(body);',
      '}',
    ],
    indent: '  ',
    befores: ['', 'let served = 0; '],
    afters: ['', ' export default handle;'],
    statement: (n) => `served += ${n};`,
    firstLine: (n) => `export async function handle(req: Request, res: Response): Promise<void> { // ${n}`,
    lastLine: (n) => `} // ${n}`,
  },
  {
    language: 'javascript',
    path: 'src/one.js',
    lines: ['function parse(a) { return eval(a); }'],
    indent: '  ',
    befores: ['', 'x = 1; ', 'let cache = {}; '],
    afters: ['', ' parse("1");', ' module.exports = parse;'],
    statement: (n) => `guard${n}(a);`,
    firstLine: (n) => `function parse(a) { /* ${n} */`,
    lastLine: (n) => `return JSON.parse(a); } // ${n}`,
  },
  {
    language: 'c',
    path: 'src/copy.c',
    lines: ['int copy(char *dst, const char *src) {', '    strcpy(dst, src);', '    return 0;', '}'],
    indent: '    ',
    befores: ['', 'static int calls; '],
    afters: ['', ' int other(void);'],
    statement: (n) => `calls += ${n};`,
    firstLine: (n) => `int copy(char *dst, const char *src) { /* ${n} */`,
    lastLine: (n) => `} /* ${n} */`,
  },
  {
    language: 'go',
    path: 'pkg/run.go',
    lines: ['func run(name string) error {', '\tcmd := exec.Command("sh", "-c", name)', '\treturn cmd.Run()', '}'],
    indent: '\t',
    befores: [''],
    afters: ['', ' // run runs a command'],
    statement: (n) => `check${n}(name)`,
    firstLine: (n) => `func run(name string) error { // ${n}`,
    lastLine: (n) => `} // ${n}`,
  },
  {
    language: 'python',
    path: 'app/views.py',
    lines: [
      '    @app.route("/users/<email>")',
      '    def user_by_email(self, email):',
      '        cur = self.db.cursor()',
      '        cur.execute("SELECT * FROM users WHERE email = \'" + email + "\'")',
      '        return cur.fetchone()',
    ],
    indent: '        ',
    befores: [''],
    afters: [''],
    statement: (n) => `check_${n}(email)`,
    firstLine: (n) => `    @app.route("/users/<email>", endpoint="v${n}")`,
    lastLine: (n) => `        return cur.fetchone()  # ${n}`,
  },
];

/** The file around the function: code before and after it, and (Python) the class it sits in. */
function fileAround(shape: Shape, functionLines: readonly string[], before: string, after: string): string[] {
  const head =
    shape.language === 'python'
      ? ['import sqlite3', '', '', 'class Users:', '    db = None', '']
      : shape.language === 'go'
        ? ['package run', '', 'import "os/exec"', '']
        : shape.language === 'c'
          ? ['#include <string.h>', '', 'int helper(void) { return 1; }', '']
          : ['const db = require("./db");', '', 'function helper() { return 1; }', ''];
  const tail = shape.language === 'python' ? ['', '    def other(self):', '        return 2', ''] : ['', '// end of file', ''];
  const body = [...functionLines];
  body[0] = `${before}${body[0] ?? ''}`;
  body[body.length - 1] = `${body[body.length - 1] ?? ''}${after}`;
  return [...head, ...body, ...tail];
}

/** 1 to 4 random edits of the function's lines: first/last line edits, insertions, deletions, statement edits. */
function rewriteOf(shape: Shape, next: () => number): string[] {
  const lines = [...shape.lines];
  let n = Math.floor(next() * 1000);
  const pick = (count: number) => Math.floor(next() * count);
  const edits = 1 + pick(4);
  for (let i = 0; i < edits; i += 1) {
    n += 1;
    const kind = pick(6);
    if (kind === 0) lines[0] = shape.firstLine(n);
    else if (kind === 1) lines[lines.length - 1] = shape.lastLine(n);
    else if (kind === 2) lines.splice(1 + pick(lines.length), 0, `${shape.indent}${shape.statement(n)}`);
    else if (kind === 3)
      lines.splice(pick(lines.length + 1), 0, ...Array.from({ length: 1 + pick(3) }, (_, k) => `${shape.indent}${shape.statement(n * 10 + k)}`));
    else if (kind === 4 && lines.length > 2) lines.splice(1 + pick(lines.length - 2), 1);
    else if (lines.length > 2) lines[1 + pick(lines.length - 2)] = `${shape.indent}${shape.statement(n)}`;
    else lines.push(`${shape.indent}${shape.statement(n)}`);
  }
  // An insertion before the first line goes in front of the function: like a decorator or a comment, unindented.
  if (lines[0]?.startsWith(shape.indent) && shape.language !== 'python' && lines[0] !== shape.lines[0]) lines[0] = lines[0].trimStart();
  return lines;
}

/** The pull request's diff on this file: nothing, the whole file, or one or two random windows near the function. */
function diffOf(path: string, fileLines: number, fn: { startLine: number; endLine: number }, next: () => number): ChangedFile[] {
  const kind = Math.floor(next() * 4);
  if (kind === 0) return [];
  if (kind === 1) return [{ path, status: 'added', binary: false, addedLines: [], hunks: [{ newStart: 1, newLines: fileLines }] }];
  const windows = Array.from({ length: kind - 1 }, () => {
    const start = Math.max(1, fn.startLine - 2 + Math.floor(next() * (fn.endLine - fn.startLine + 4)));
    return { newStart: start, newLines: 1 + Math.floor(next() * 4) };
  }).sort((a, b) => a.newStart - b.newStart);
  const hunks = windows.filter((hunk, i) => i === 0 || hunk.newStart > (windows[i - 1]?.newStart ?? 0) + (windows[i - 1]?.newLines ?? 0));
  return [{ path, status: 'modified', binary: false, addedLines: [], hunks }];
}

interface Edit {
  start: number;
  end: number;
  lines: string[];
  from: 'inline' | 'body';
}

/** The block after a `<fence>info` line: its lines up to the closing fence. */
function blocks(markdown: string, info: string): string[][] {
  const lines = markdown.split('\n');
  const found: string[][] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = new RegExp(`^(\`{3,})${info}$`).exec(lines[i] ?? '');
    if (!open) continue;
    const close = lines.indexOf(open[1] ?? '```', i + 1);
    found.push(lines.slice(i + 1, close));
    i = close;
  }
  return found;
}

/** Every change the review posts, as line ranges of the file and their new lines. */
function postedEdits(plan: ReviewPlan, file: readonly string[]): Edit[] {
  const edits: Edit[] = plan.comments.map((comment) => {
    const [block] = blocks(comment.body, 'suggestion');
    return { start: comment.start_line ?? comment.line, end: comment.line, lines: block ?? [], from: 'inline' };
  });
  for (const block of blocks(renderReviewBody(plan, { skipped: [], targetsFound: 1 }), 'diff')) {
    const header = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(block[0] ?? '');
    expect(header).not.toBeNull();
    const start = Number(header?.[1]);
    const old = block
      .slice(1)
      .filter((line) => !line.startsWith('+'))
      .map((line) => line.slice(1));
    expect(old).toHaveLength(Number(header?.[2]));
    // A diff block shows the file's lines as they are.
    expect(old).toEqual(file.slice(start - 1, start - 1 + old.length));
    edits.push({
      start,
      end: start + old.length - 1,
      lines: block
        .slice(1)
        .filter((line) => !line.startsWith('-'))
        .map((line) => line.slice(1)),
      from: 'body',
    });
  }
  return edits.sort((a, b) => a.start - b.start);
}

describe('posted suggestions, applied, give exactly the rewritten file', () => {
  it('for 300 seeded rewrites of real function shapes', async () => {
    let multiPart = 0;
    let split = 0;
    let shared = 0;
    for (let seed = 1; seed <= 300; seed += 1) {
      const next = random(seed);
      const shape = SHAPES[Math.floor(next() * SHAPES.length)] as Shape;
      const before = shape.befores[Math.floor(next() * shape.befores.length)] ?? '';
      const after = shape.afters[Math.floor(next() * shape.afters.length)] ?? '';
      const file = fileAround(shape, shape.lines, before, after);
      const name = /(?:function|def|func|int) (\w+)\(/.exec(shape.lines.join('\n'))?.[1] ?? '';
      const fn = (await extractFunctions(file.join('\n'), shape.language, shape.path)).find((candidate) => candidate.name === name);
      if (!fn) throw new Error(`seed ${seed}: ${name} not found`);
      // Extraction sees the code around the function on its lines.
      expect([fn.textBefore ?? '', fn.textAfter ?? ''], `seed ${seed}`).toEqual([before, after]);

      const rewrite = rewriteOf(shape, next);
      const target = { path: shape.path, language: shape.language, function: fn, reason: 'changed-function' as const, alerts: [], fileContext: '' };
      const suggestion = {
        ...suggestionFor(target, rewrite.join('\n')),
        ...(fn.textBefore !== undefined ? { textBefore: fn.textBefore } : {}),
        ...(fn.textAfter !== undefined ? { textAfter: fn.textAfter } : {}),
      };
      const diff = diffOf(shape.path, file.length, fn, next);
      const plan = planReview({ outcomes: [outcome(target, { suggestion })], diff, existing: [], headSha: HEAD_SHA });

      const edits = postedEdits(plan, file);
      const result = [...file];
      for (const [i, edit] of edits.entries()) {
        // Only the function's lines, each at most once.
        expect(edit.start, `seed ${seed}`).toBeGreaterThanOrEqual(fn.startLine);
        expect(edit.end, `seed ${seed}`).toBeLessThanOrEqual(fn.endLine);
        expect(edit.start, `seed ${seed}`).toBeLessThanOrEqual(edit.end);
        if (i > 0) expect(edit.start, `seed ${seed}`).toBeGreaterThan(edits[i - 1]?.end ?? 0);
        // An inline comment is on lines of the diff (where GitHub accepts it).
        if (edit.from === 'inline') expect(linesInDiff(diff[0] as ChangedFile, edit.start, edit.end), `seed ${seed}`).toBe(true);
        // A change touching a shared line carries the code around the function verbatim.
        if (before && edit.start === fn.startLine) expect(edit.lines[0]?.startsWith(before), `seed ${seed}`).toBe(true);
        if (after && edit.end === fn.endLine) expect(edit.lines.at(-1)?.endsWith(after), `seed ${seed}`).toBe(true);
      }
      for (const edit of [...edits].reverse()) result.splice(edit.start - 1, edit.end - edit.start + 1, ...edit.lines);
      expect(result.join('\n'), `seed ${seed}`).toBe(fileAround(shape, rewrite, before, after).join('\n'));

      if (plan.comments.length + plan.bodyFingerprints.length > 1) multiPart += 1;
      if (plan.comments.length > 0 && plan.bodySections.length > 0) split += 1;
      if (before || after) shared += 1;
    }
    // The generator reaches the cases that matter.
    expect(multiPart).toBeGreaterThan(30);
    expect(split).toBeGreaterThan(5);
    expect(shared).toBeGreaterThan(50);
  });
});
