import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedFunctions, diffMismatch, linesInDiff, parseUnifiedDiff, type ChangedFile } from '../../src/detect/diff.js';
import { extractFunctions } from '../../src/detect/functions.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const FIXTURES = new URL('../fixtures/detect/', import.meta.url);
const tempDir = useTempDirs();

/** Runs git isolated from the machine's configuration (a global `diff.noprefix` would change the output). */
function git(cwd: string, args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'core.autocrlf=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: cwd, LC_ALL: 'C' },
  });
}

type Files = Record<string, string | Buffer | null>;

function write(dir: string, files: Files): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    if (content === null) {
      rmSync(full, { force: true });
      continue;
    }
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/**
 * Commits `before`, applies `after` (null deletes; `renames` are done with git mv first) and
 * returns `git diff -M --cached`, the same format GitHub serves for a pull request.
 */
function gitDiff(before: Files, after: Files, renames: [string, string][] = []): string {
  const dir = tempDir();
  git(dir, ['init', '-q']);
  write(dir, before);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'before']);
  for (const [from, to] of renames) {
    mkdirSync(dirname(join(dir, to)), { recursive: true });
    git(dir, ['mv', from, to]);
  }
  write(dir, after);
  git(dir, ['add', '-A']);
  return git(dir, ['diff', '--cached', '-M']);
}

function only(files: ChangedFile[], path: string): ChangedFile {
  const matches = files.filter((file) => file.path === path);
  expect(matches).toHaveLength(1);
  return matches[0] as ChangedFile;
}

const APP_BEFORE = [
  'import os',
  '',
  '',
  'def read(path):',
  '    with open(path) as f:',
  '        return f.read()',
  '',
  '',
  'def size(path):',
  '    return os.path.getsize(path)',
  '',
].join('\n');

const APP_AFTER = [
  'import os',
  '',
  '',
  'def read(path):',
  '    path = os.path.basename(path)',
  '    with open(path) as f:',
  '        return f.read()',
  '',
  '',
  'def size(path):',
  '    return os.path.getsize(path)',
  '',
  '',
  'def remove(path):',
  '    os.remove(path)',
  '',
].join('\n');

describe('parseUnifiedDiff with real git diffs', () => {
  it('reads a new file: every line added, every function new', async () => {
    const text = gitDiff({ 'README.md': 'hi\n' }, { 'src/app.py': APP_BEFORE });
    const file = only(parseUnifiedDiff(text), 'src/app.py');
    expect(file).toMatchObject({ status: 'added', binary: false, hunks: [{ newStart: 1, newLines: 10 }] });
    expect(file.oldPath).toBeUndefined();
    expect(file.addedLines).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const functions = await extractFunctions(APP_BEFORE, 'python');
    expect(changedFunctions(file, functions).map((c) => [c.function.name, c.reason])).toEqual([
      ['read', 'new-function'],
      ['size', 'new-function'],
    ]);
  });

  it('reads a modified file: the edited function is changed, the appended one new, the untouched one absent', async () => {
    const text = gitDiff({ 'src/app.py': APP_BEFORE }, { 'src/app.py': APP_AFTER });
    const file = only(parseUnifiedDiff(text), 'src/app.py');
    expect(file.status).toBe('modified');
    expect(file.addedLines).toEqual([5, 12, 13, 14, 15]);
    const functions = await extractFunctions(APP_AFTER, 'python');
    expect(changedFunctions(file, functions).map((c) => [c.function.name, c.reason])).toEqual([
      ['read', 'changed-function'],
      ['remove', 'new-function'],
    ]);
  });

  it('reads several hunks and only accepts comment ranges inside one of them', () => {
    const before = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`);
    const after = [...before];
    after[2] = 'line 3 changed';
    after.splice(35, 0, 'inserted after 35');
    const text = gitDiff({ 'notes.txt': `${before.join('\n')}\n` }, { 'notes.txt': `${after.join('\n')}\n` });
    const file = only(parseUnifiedDiff(text), 'notes.txt');
    // git's default 3 lines of context around each change.
    expect(file.hunks).toEqual([
      { newStart: 1, newLines: 6 },
      { newStart: 33, newLines: 7 },
    ]);
    expect(file.addedLines).toEqual([3, 36]);
    expect(linesInDiff(file, 3, 3)).toBe(true);
    expect(linesInDiff(file, 1, 6)).toBe(true);
    expect(linesInDiff(file, 33, 39)).toBe(true);
    expect(linesInDiff(file, 5, 7)).toBe(false);
    expect(linesInDiff(file, 3, 36)).toBe(false);
    expect(linesInDiff(file, 20, 20)).toBe(false);
    expect(linesInDiff(file, 40, 41)).toBe(false);
    expect(linesInDiff(file, 6, 3)).toBe(false);
  });

  it('reads a rename with edits: new path, old path, added lines on the new side', () => {
    const text = gitDiff({ 'src/app.py': APP_BEFORE }, { 'lib/files.py': APP_AFTER }, [['src/app.py', 'lib/files.py']]);
    const [file, ...rest] = parseUnifiedDiff(text);
    expect(rest).toEqual([]);
    expect(file).toMatchObject({ path: 'lib/files.py', oldPath: 'src/app.py', status: 'renamed', binary: false });
    expect(file?.addedLines).toEqual([5, 12, 13, 14, 15]);
  });

  it('reads a pure rename as renamed without hunks', () => {
    const text = gitDiff({ 'a b/old name.py': APP_BEFORE }, {}, [['a b/old name.py', 'a b/new name.py']]);
    expect(parseUnifiedDiff(text)).toEqual([
      { path: 'a b/new name.py', oldPath: 'a b/old name.py', status: 'renamed', binary: false, addedLines: [], hunks: [], rightLines: [] },
    ]);
  });

  it('keeps paths with spaces and non-ASCII characters exact (git quotes the latter)', () => {
    const text = gitDiff(
      { 'docs/my notes.py': APP_BEFORE, 'img/a b.png': Buffer.from([0, 1, 0]) },
      { 'docs/my notes.py': APP_AFTER, 'src/café.py': 'def f():\n    return 1\n', 'img/a b.png': Buffer.from([0, 2, 0]) },
    );
    expect(text).toContain('"b/src/caf\\303\\251.py"');
    const files = parseUnifiedDiff(text);
    expect(files.map((file) => [file.path, file.status, file.binary])).toEqual([
      ['docs/my notes.py', 'modified', false],
      ['img/a b.png', 'modified', true],
      ['src/café.py', 'added', false],
    ]);
    expect(only(files, 'src/café.py').addedLines).toEqual([1, 2]);
  });

  it('reports a deleted file by its old path, with no added lines', () => {
    const text = gitDiff({ 'src/app.py': APP_BEFORE, 'keep.txt': 'x\n' }, { 'src/app.py': null });
    const file = only(parseUnifiedDiff(text), 'src/app.py');
    expect(file).toMatchObject({ status: 'deleted', binary: false, addedLines: [] });
    expect(linesInDiff(file, 1, 1)).toBe(false);
  });

  it('reports binary files (changed, added, deleted) with no added lines', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02, 0x00]);
    const text = gitDiff(
      { 'img/logo.png': png, 'img/old.bin': Buffer.from([0, 1, 2, 0]), 'src/app.py': APP_BEFORE },
      { 'img/logo.png': Buffer.from([0x89, 0x50, 0x00, 0x09]), 'img/new.bin': Buffer.from([0, 7, 0]), 'img/old.bin': null, 'src/app.py': APP_AFTER },
    );
    const files = parseUnifiedDiff(text);
    expect(only(files, 'img/logo.png')).toMatchObject({ status: 'modified', binary: true, addedLines: [] });
    expect(only(files, 'img/new.bin')).toMatchObject({ status: 'added', binary: true, addedLines: [] });
    expect(only(files, 'img/old.bin')).toMatchObject({ status: 'deleted', binary: true, addedLines: [] });
    // A text file next to them is unaffected.
    expect(only(files, 'src/app.py')).toMatchObject({ binary: false, addedLines: [5, 12, 13, 14, 15] });
  });

  it('reads `git diff --no-index` of two loose files', () => {
    const dir = tempDir();
    write(dir, { 'old.py': APP_BEFORE, 'new.py': APP_AFTER });
    let text = '';
    try {
      git(dir, ['diff', '--no-index', 'old.py', 'new.py']);
    } catch (error) {
      // --no-index exits 1 when the files differ; the diff is on stdout.
      text = (error as { stdout: string }).stdout;
    }
    const [file] = parseUnifiedDiff(text);
    expect(file).toMatchObject({ path: 'new.py', oldPath: 'old.py', status: 'renamed' });
    expect(file?.addedLines).toEqual([5, 12, 13, 14, 15]);
  });

  it('does not mistake diff lines inside a patch of a patch for file headers', () => {
    const inner = gitDiff({ 'src/app.py': APP_BEFORE }, { 'src/app.py': APP_AFTER });
    const text = gitDiff({ 'README.md': 'x\n' }, { 'changes.patch': inner });
    const files = parseUnifiedDiff(text);
    expect(files.map((file) => [file.path, file.status, file.binary])).toEqual([['changes.patch', 'added', false]]);
    expect(files[0]?.addedLines).toHaveLength(inner.split('\n').length - 1);
  });

  it('returns nothing for an empty diff', () => {
    expect(parseUnifiedDiff('')).toEqual([]);
  });
});

describe('parseUnifiedDiff on a stored pull-request diff', () => {
  // Produced by git 2.39 (`git diff --cached -M`) on the changes of the tests above, kept so the
  // parser is also checked against a fixed text.
  const text = readFileSync(new URL('pull-request.diff', FIXTURES), 'utf8');

  it('reads every file of the fixture', () => {
    expect(parseUnifiedDiff(text).map((file) => [file.path, file.status, file.binary, file.oldPath])).toEqual([
      ['img/logo.png', 'modified', true, undefined],
      ['lib/files.py', 'renamed', false, 'src/app.py'],
      ['src/old.py', 'deleted', false, undefined],
      ['src/util.py', 'added', false, undefined],
    ]);
  });

  it('keeps added lines on the right side', () => {
    const files = parseUnifiedDiff(text);
    expect(only(files, 'lib/files.py').addedLines).toEqual([5, 12, 13, 14, 15]);
    expect(only(files, 'src/util.py').addedLines).toEqual([1, 2]);
  });
});

describe('changedFunctions and linesInDiff on hand-made ranges', () => {
  const file: ChangedFile = {
    path: 'a.py',
    status: 'modified',
    binary: false,
    addedLines: [10, 11, 12],
    hunks: [
      { newStart: 7, newLines: 9 },
      { newStart: 40, newLines: 0 },
    ],
  };
  const fn = (name: string, startLine: number, endLine: number) => ({ name, startLine, endLine, code: '', parameters: [], signature: '' });

  it('calls a function new only when every one of its lines was added', () => {
    expect(changedFunctions(file, [fn('all', 10, 12), fn('part', 9, 12), fn('none', 1, 5)])).toEqual([
      { function: fn('all', 10, 12), reason: 'new-function' },
      { function: fn('part', 9, 12), reason: 'changed-function' },
    ]);
  });

  it('treats a deletion-only hunk as having no right-side lines', () => {
    expect(linesInDiff(file, 40, 40)).toBe(false);
    expect(linesInDiff(file, 39, 39)).toBe(false);
    expect(linesInDiff(file, 15, 15)).toBe(true);
    expect(linesInDiff(file, 16, 16)).toBe(false);
  });
});

describe('diffMismatch', () => {
  it('is undefined for the file the diff was made against, and names the first differing line otherwise', () => {
    const text = gitDiff({ 'src/app.py': APP_BEFORE }, { 'src/app.py': APP_AFTER });
    const file = only(parseUnifiedDiff(text), 'src/app.py');
    // Context and added lines only, no `\\ No newline` markers.
    expect(file.rightLines?.every(({ line, text: shown }) => APP_AFTER.split('\n')[line - 1] === shown)).toBe(true);
    expect(diffMismatch(file, APP_AFTER)).toBeUndefined();
    expect(diffMismatch(file, APP_AFTER.replace(/\n/g, '\r\n'))).toBeUndefined();
    const shifted = `# a new first line\n${APP_AFTER}`;
    const mismatch = diffMismatch(file, shifted);
    expect(mismatch?.line).toBe(file.rightLines?.[0]?.line);
    expect(mismatch?.actual).not.toBe(mismatch?.expected);
    expect(diffMismatch(file, 'x = 1\n')).toMatchObject({ actual: undefined });
  });

  it('cannot judge a diff read without its text', () => {
    const file: ChangedFile = { path: 'a.py', status: 'modified', binary: false, addedLines: [3], hunks: [{ newStart: 1, newLines: 5 }] };
    expect(diffMismatch(file, '')).toBeUndefined();
  });
});
