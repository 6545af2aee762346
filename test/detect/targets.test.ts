import { describe, expect, it } from 'vitest';
import type { ChangedFile } from '../../src/detect/diff.js';
import { selectTargets, type SourceFile } from '../../src/detect/targets.js';
import type { Alert } from '../../src/detect/types.js';
import { languageFromPath } from '../../src/lang/languages.js';

const source = (path: string, lines: string[]): SourceFile => ({ path, content: `${lines.join('\n')}\n`, language: languageFromPath(path) });

/** A modification adding `addedLines`, inside one hunk wide enough to hold them. */
const modified = (path: string, addedLines: number[], status: ChangedFile['status'] = 'modified'): ChangedFile => ({
  path,
  status,
  binary: false,
  addedLines,
  hunks: [{ newStart: Math.max(1, Math.min(...addedLines) - 3), newLines: Math.max(...addedLines) - Math.min(...addedLines) + 7 }],
});

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const alert = (path: string, startLine: number, ruleId: string, severity?: string): Alert => ({
  ruleId,
  message: `${ruleId} here`,
  cwe: [],
  path,
  startLine,
  endLine: startLine,
  ...(severity ? { severity } : {}),
});

const VIEWS = source('app/views.py', [
  'import os', //                                   1
  'from flask import request', //                   2
  '', //                                            3
  'LIMIT = 10', //                                  4
  '', //                                            5
  'def read(path):', //                             6
  '    path = os.path.basename(path)', //           7
  '    with open(path) as f:', //                   8
  '        return f.read()', //                     9
  '', //                                           10
  'def size(path):', //                            11
  '    return os.path.getsize(path)', //           12
  '', //                                           13
  'def remove(path):', //                          14
  '    def check(p):', //                          15
  '        return p.startswith("/tmp")', //        16
  '    if check(path):', //                        17
  '        os.remove(path)', //                    18
]);

describe('selectTargets with skipRiskless', () => {
  const MATH = source('app/stats.py', ['def is_admin(user):', '    return user.role == "admin"', '', 'def run(cmd):', '    os.system(cmd)']);

  it('skips a changed function with no risky operation, keeps one that runs a shell, and says why', async () => {
    const { targets, skipped } = await selectTargets({ files: [MATH], diff: [modified('app/stats.py', [2, 5])], options: { skipRiskless: true } });
    expect(targets.map((t) => t.function.name)).toEqual(['run']);
    expect(skipped).toEqual([{ path: 'app/stats.py', function: 'is_admin', reason: 'no-risk', detail: 'no risky operation found in it' }]);
  });

  it('never skips a function that holds an alert, and skips nothing when off', async () => {
    const withAlert = await selectTargets({
      files: [MATH],
      alerts: [alert('app/stats.py', 2, 'py/incomplete-authorization')],
      options: { skipRiskless: true },
    });
    expect(withAlert.targets.map((t) => t.function.name)).toEqual(['is_admin']);
    const off = await selectTargets({ files: [MATH], diff: [modified('app/stats.py', [2, 5])] });
    expect(off.targets.map((t) => t.function.name).sort()).toEqual(['is_admin', 'run']);
  });
});

describe('selectTargets from a diff', () => {
  it('makes changed and new functions targets, with reasons and the file context, and skips untouched ones', async () => {
    const { targets, skipped } = await selectTargets({ files: [VIEWS], diff: [modified('app/views.py', [7, 14, 15, 16, 17, 18])] });
    // Order is by risk score, tested below; here only which functions and why.
    const byName = [...targets].sort((a, b) => a.function.name.localeCompare(b.function.name));
    expect(byName.map((t) => [t.function.name, t.reason, t.alerts])).toEqual([
      ['read', 'changed-function', []],
      ['remove', 'new-function', []],
    ]);
    expect(targets.every((t) => t.path === 'app/views.py' && t.language === 'python')).toBe(true);
    expect(targets[0]?.fileContext).toBe('import os\nfrom flask import request');
    // The nested `check` is part of `remove`, not a target of its own.
    expect(targets.some((t) => t.function.name === 'check')).toBe(false);
    expect(skipped).toEqual([]);
  });

  it('ignores module-level changes and deleted files', async () => {
    const { targets, skipped } = await selectTargets({
      files: [VIEWS],
      diff: [modified('app/views.py', [4]), { path: 'app/old.py', status: 'deleted', binary: false, addedLines: [], hunks: [] }],
    });
    expect(targets).toEqual([]);
    expect(skipped).toEqual([]);
  });

  it('skips files by ignore glob, language support, language option, binary and missing content', async () => {
    const vendored = source('vendor/lib/util.py', ['def f(x):', '    return x']);
    const readme = source('README.md', ['# hi']);
    const goFile = source('cmd/main.go', ['package main', '', 'func main() {', '\tprintln(1)', '}']);
    const { targets, skipped } = await selectTargets({
      files: [VIEWS, vendored, readme, goFile],
      diff: [
        modified('vendor/lib/util.py', [1, 2], 'added'),
        modified('README.md', [1]),
        modified('cmd/main.go', [4]),
        { path: 'img/logo.png', status: 'modified', binary: true, addedLines: [], hunks: [] },
        modified('app/missing.py', [3]),
        modified('app/views.py', [12]),
      ],
      options: { languages: ['python', 'javascript'] },
    });
    expect(targets.map((t) => t.function.name)).toEqual(['size']);
    expect(skipped).toEqual([
      { path: 'vendor/lib/util.py', reason: 'ignored-path', detail: 'matches **/vendor/**' },
      { path: 'README.md', reason: 'unsupported-file', detail: 'language not supported' },
      { path: 'cmd/main.go', reason: 'language', detail: 'go is not among the configured languages' },
      { path: 'img/logo.png', reason: 'binary-file', detail: 'the diff marks it binary' },
      { path: 'app/missing.py', reason: 'unsupported-file', detail: 'file content not provided' },
    ]);
  });

  it('ranks by risk and caps, reporting every dropped candidate', async () => {
    const ops = source('svc/ops.py', [
      'import os',
      '',
      'def total(items):',
      '    s = 0',
      '    for i in items:',
      '        s = s + i',
      '    count = len(items)',
      '    return s, count',
      '',
      'def ping(host):',
      '    return os.system("ping -c 1 " + host)',
      '',
      'def label(name):',
      '    return name.title()',
    ]);
    const diff = [modified('svc/ops.py', range(1, 14), 'added')];
    const { targets, skipped } = await selectTargets({ files: [ops], diff, options: { maxTargets: 1 } });
    // ping has fewer changed lines than total, but it runs a shell on a string built from input.
    expect(targets.map((t) => [t.function.name, t.reason])).toEqual([['ping', 'new-function']]);
    expect(skipped).toEqual([
      { path: 'svc/ops.py', function: 'total', reason: 'cap-reached', detail: 'new-function target beyond maxTargets (1)' },
      { path: 'svc/ops.py', function: 'label', reason: 'cap-reached', detail: 'new-function target beyond maxTargets (1)' },
    ]);
  });

  it('skips a too-large function but still hardens a nested function that fits', async () => {
    const body = range(1, 12).map((i) => `    x${i} = ${i}`);
    const big = source('app/big.py', [
      'def outer(a):', //                 1
      ...body, //                         2-13
      '    def helper(b):', //            14
      '        return os.system(b)', //   15
      '    return helper(a)', //          16
    ]);
    const diff = [modified('app/big.py', [3, 15])];
    const { targets, skipped } = await selectTargets({ files: [big], diff, options: { maxFunctionLines: 10 } });
    expect(targets.map((t) => [t.function.name, t.function.startLine, t.function.endLine])).toEqual([['helper', 14, 15]]);
    expect(skipped).toEqual([{ path: 'app/big.py', function: 'outer', reason: 'too-large', detail: '16 lines, more than 10; changed' }]);
  });

  it('hardens the outer function once when a change is inside a nested one', async () => {
    const { targets } = await selectTargets({ files: [VIEWS], diff: [modified('app/views.py', [16])] });
    expect(targets.map((t) => [t.function.name, t.reason])).toEqual([['remove', 'changed-function']]);
  });

  it('skips a changed function that holds a syntax error', async () => {
    const broken = source('app/broken.py', ['def ok(a):', '    return a', '', 'def bad(b):', '    return (b +', '', 'x = 1']);
    const { targets, skipped } = await selectTargets({ files: [broken], diff: [modified('app/broken.py', [2, 5])] });
    expect(targets.map((t) => t.function.name)).toEqual(['ok']);
    expect(skipped.map((s) => [s.reason, s.function])).toContainEqual(['parse-error', 'bad']);
    expect(skipped.find((s) => s.function === 'bad')?.detail).toMatch(/^line 5/);
  });
});

describe('selectTargets with alerts', () => {
  it('puts alert targets first, merges alerts of one function (once each), and reports alerts outside functions', async () => {
    const alerts = [
      alert('app/views.py', 12, 'py/path-injection', 'medium'),
      alert('app/views.py', 9, 'py/path-injection', 'high'),
      alert('app/views.py', 8, 'py/file-open', 'high'),
      alert('app/views.py', 4, 'py/constant'),
      alert('app/views.py', 8, 'py/file-open', 'high'),
    ];
    const { targets, skipped } = await selectTargets({ files: [VIEWS], diff: [modified('app/views.py', [7, 18])], alerts });
    expect(targets.map((t) => [t.function.name, t.reason, t.alerts.map((a) => a.startLine)])).toEqual([
      ['read', 'alert', [9, 8]],
      ['size', 'alert', [12]],
      ['remove', 'changed-function', []],
    ]);
    expect(skipped).toEqual([{ path: 'app/views.py', reason: 'alert-outside-function', detail: 'py/constant at line 4' }]);
  });

  it('uses only alerts when there is no diff, and only the diff when alerts are turned off', async () => {
    const alerts = [alert('app/views.py', 12, 'py/path-injection')];
    const alertsOnly = await selectTargets({ files: [VIEWS], alerts });
    expect(alertsOnly.targets.map((t) => [t.function.name, t.reason])).toEqual([['size', 'alert']]);

    const diffOnly = await selectTargets({
      files: [VIEWS],
      diff: [modified('app/views.py', [7])],
      alerts,
      options: { targets: { alerts: false } },
    });
    expect(diffOnly.targets.map((t) => [t.function.name, t.reason])).toEqual([['read', 'changed-function']]);

    const noDiffTargets = await selectTargets({
      files: [VIEWS],
      diff: [modified('app/views.py', [7])],
      alerts,
      options: { targets: { newFunctions: false } },
    });
    expect(noDiffTargets.targets.map((t) => t.function.name)).toEqual(['size']);
  });

  it('reports an alert in an ignored file as an ignored path', async () => {
    const vendored = source('third_party/x/lib.py', ['def f(x):', '    return eval(x)']);
    const { targets, skipped } = await selectTargets({ files: [vendored], alerts: [alert('third_party/x/lib.py', 2, 'py/code-injection')] });
    expect(targets).toEqual([]);
    expect(skipped).toEqual([{ path: 'third_party/x/lib.py', reason: 'ignored-path', detail: 'matches **/third_party/**' }]);
  });

  it('orders alert targets by severity before count', async () => {
    const alerts = [alert('app/views.py', 7, 'a', 'note'), alert('app/views.py', 8, 'b', 'note'), alert('app/views.py', 12, 'c', 'critical')];
    const { targets } = await selectTargets({ files: [VIEWS], alerts });
    expect(targets.map((t) => t.function.name)).toEqual(['size', 'read']);
  });
});

describe('selectTargets on plain files (no diff, no alerts)', () => {
  it('makes every outermost function a candidate, in every file', async () => {
    const js = source('web/app.js', [
      "const db = require('./db');",
      '',
      'function find(id) {',
      '  const q = (x) => x;',
      '  return db.query("SELECT * FROM t WHERE id = " + q(id));',
      '}',
      '',
      "app.get('/users/:id', (req, res) => {",
      '  res.send(find(req.params.id));',
      '});',
    ]);
    const { targets, skipped } = await selectTargets({ files: [VIEWS, js] });
    // Risk order: the route (concepts code-eval via `send(`, html, request-input: 33), then
    // read and find (two concepts and four lines each: 24, tie broken by path), remove, size.
    expect(targets.map((t) => [t.path, t.function.name, t.reason])).toEqual([
      ['web/app.js', 'app.get callback', 'changed-function'],
      ['app/views.py', 'read', 'changed-function'],
      ['web/app.js', 'find', 'changed-function'],
      ['app/views.py', 'remove', 'changed-function'],
      ['app/views.py', 'size', 'changed-function'],
    ]);
    expect(targets[0]?.fileContext).toBe("const db = require('./db');");
    expect(targets[1]?.fileContext).toBe('import os\nfrom flask import request');
    expect(skipped).toEqual([]);
  });

  it('returns nothing for no files', async () => {
    await expect(selectTargets({ files: [] })).resolves.toEqual({ targets: [], skipped: [] });
  });
});

describe('selectTargets says why a file gave no target', () => {
  const diffOf = (path: string, rightLines: { line: number; text: string }[]): ChangedFile => ({
    path,
    status: 'modified',
    binary: false,
    addedLines: [rightLines[0]?.line ?? 1],
    hunks: [{ newStart: rightLines[0]?.line ?? 1, newLines: rightLines.length }],
    rightLines,
  });

  it('a binary file, a file that does not parse (with the first problem), and one without functions', async () => {
    const binary: SourceFile = { path: 'app/blob.py', content: 'def f():\u0000\u0001\n', language: 'python' };
    // Bytes that are not UTF-8 (an image named .py) decode to U+FFFD, with no NUL among them.
    const undecodable: SourceFile = {
      path: 'app/image.py',
      content: Buffer.from(Array.from({ length: 400 }, (_, i) => 0x80 + (i % 64))).toString('utf8'),
      language: 'python',
    };
    const broken = source('app/broken.py', ['def broken(:', '    return (', '']);
    const script = source('app/script.py', ['import sys', 'print(sys.argv)']);
    const { targets, skipped } = await selectTargets({ files: [binary, undecodable, broken, script] });
    expect(targets).toEqual([]);
    expect(skipped).toEqual([
      { path: 'app/blob.py', reason: 'binary-file', detail: 'the file holds NUL bytes' },
      { path: 'app/image.py', reason: 'binary-file', detail: 'the file is not UTF-8 text' },
      { path: 'app/broken.py', reason: 'parse-error', detail: expect.stringMatching(/^not parsed, no function could be read; line 1, column \d+: /) },
      { path: 'app/script.py', reason: 'no-function', detail: 'no python function or method found' },
    ]);
  });

  it('a diff whose hunks do not match the file, naming the first line that differs', async () => {
    const diff = diffOf('app/views.py', [
      { line: 6, text: 'def read(path):' },
      { line: 7, text: '    path = os.path.normpath(path)' },
    ]);
    const { targets, skipped } = await selectTargets({ files: [VIEWS], diff: [diff] });
    expect(targets).toEqual([]);
    expect(skipped).toEqual([
      {
        path: 'app/views.py',
        reason: 'diff-not-applicable',
        detail:
          'the diff\'s hunks do not match the file\'s lines: line 7 is "path = os.path.basename(path)" in the file, ' +
          '"path = os.path.normpath(path)" in the diff (was the diff made against another version?)',
      },
    ]);
    // Matching lines (CRLF ignored) make it a target.
    const crlf = { ...VIEWS, content: VIEWS.content.replace(/\n/g, '\r\n') };
    const ok = diffOf('app/views.py', [{ line: 7, text: '    path = os.path.basename(path)' }]);
    expect((await selectTargets({ files: [crlf], diff: [ok] })).targets.map((t) => t.function.name)).toEqual(['read']);
  });

  it('a file the diff does not change, naming the paths the diff has and the one that looks like it', async () => {
    const bare = { ...VIEWS, path: 'views.py' };
    const { skipped } = await selectTargets({ files: [bare], diff: [modified('app/views.py', [7]), modified('app/other.py', [1])] });
    expect(skipped).toContainEqual({
      path: 'views.py',
      reason: 'not-in-diff',
      detail:
        'the diff changes app/views.py, app/other.py; app/views.py looks like this file (paths are compared as the diff writes them, from the repository root)',
    });
    const elsewhere = await selectTargets({ files: [VIEWS], diff: [modified('lib/x.py', [1])] });
    expect(elsewhere.skipped[0]).toEqual({ path: 'app/views.py', reason: 'not-in-diff', detail: 'the diff changes lib/x.py' });
  });
});
