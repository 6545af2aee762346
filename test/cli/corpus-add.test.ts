// `seccoder corpus add` as a user runs it: exactly one function per file, the corpus's gate (the
// analyzers run for real; a suppression comment is a finding), and never into the bundled seed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, type CliResult } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const ENV = { SECCODER_CORPUS: '', SECCODER_DEBUG: '' };
const SEED = join(ROOT, 'corpus', 'corpus.jsonl');

function fileWith(name: string, code: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, code);
  return path;
}

function add(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = ENV): Promise<CliResult> {
  return runCli(['corpus', 'add', ...args], { cwd, env });
}

function entriesIn(dir: string): { id: string; code: string }[] {
  return readFileSync(join(dir, 'corpus.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { id: string; code: string });
}

const SAFE = 'def find(cur, name):\n    cur.execute("SELECT id FROM users WHERE name = ?", (name,))\n    return cur.fetchone()\n';

describe('seccoder corpus add', () => {
  it('adds one clean function and says what checked it', async () => {
    const corpus = tempDir();
    const result = await add([fileWith('find.py', SAFE), '--cwe', 'CWE-89', '--corpus', corpus]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^added manual-[0-9a-f]{16} \(python, CWE-89\) to .*corpus\.jsonl \(no finding from bandit\)\n$/);
    expect(entriesIn(corpus)).toHaveLength(1);
  });

  it('takes exactly one function per file: not zero, not two, not a class', async () => {
    const corpus = tempDir();
    const cases: [string, string, RegExp][] = [
      ['zero.py', 'LIMIT = 10\n', /^seccoder: .*zero\.py: holds no python function \(a corpus entry is exactly one function; pass the function itself\)\n$/],
      [
        'two.py',
        `${SAFE}\n\ndef other():\n    return 1\n`,
        /^seccoder: .*two\.py: holds 2 functions: find \(line 1\), other \(line 6\) \(.*put each in its own file\)\n$/,
      ],
      [
        'class.py',
        'class Users:\n    def find(self, name):\n        return self.by_name[name]\n',
        /^seccoder: .*class\.py: line 1 \(class Users:\) is outside the function Users\.find/,
      ],
    ];
    for (const [name, code, message] of cases) {
      const result = await add([fileWith(name, code), '--corpus', corpus]);
      expect(result.code, name).toBe(1);
      expect(result.stderr, name).toMatch(message);
      expect(result.stdout, name).toBe('');
    }
  });

  it('runs the same gate as growth: an analyzer finding or a suppression comment keeps the function out, and nothing is written', async () => {
    const corpus = tempDir();
    writeFileSync(join(corpus, 'corpus.jsonl'), '');
    const cases: [string, string, RegExp][] = [
      [
        'sqli.py',
        'def find(cur, name):\n    cur.execute("SELECT id FROM users WHERE name = \'" + name + "\'")\n',
        /sqli\.py: not added: analyzer bandit reports B608 \(CWE-89\) on line 2$/m,
      ],
      [
        'create_db.py',
        'def create(cursor, db):\n    cursor.execute(f"CREATE DATABASE {db}")  # nosec\n',
        /create_db\.py: not added: # nosec on line 2 silences an analyzer: .*\(suppression-comment: a silenced function is not known to be secure\)$/m,
      ],
      [
        'render.js',
        'function render(x) {\n  // eslint-disable-next-line no-eval\n  return eval(x);\n}\n',
        /render\.js: not added: \/\/ eslint-disable on line 2 silences an analyzer/m,
      ],
      ['copy.c', 'int copy(char *d, const char *s) {\n  strcpy(d, s); // NOLINT\n  return 0;\n}\n', /copy\.c: not added: \/\/ NOLINT on line 2/m],
    ];
    for (const [name, code, message] of cases) {
      const result = await add([fileWith('ok.py', SAFE), fileWith(name, code), '--corpus', corpus]);
      expect(result.code, name).toBe(1);
      expect(result.stderr, name).toMatch(message);
      expect(result.stderr.trim().split('\n'), name).toHaveLength(1);
    }
    // All files or none: the clean one given first was not added either.
    expect(readFileSync(join(corpus, 'corpus.jsonl'), 'utf8')).toBe('');
  });

  it('accepts a lone C function the compilers cannot judge without its headers, saying so', async () => {
    const corpus = tempDir();
    // memcpy, not strcpy: flawfinder flags every strcpy from a non-constant, checked or not.
    const code =
      'int set_name(struct session *s, const char *name) {\n  if (strlen(name) >= MAX_NAME) return -1;\n  memcpy(s->name, name, strlen(name) + 1);\n  return 0;\n}\n';
    const result = await add([fileWith('session.c', code), '--corpus', corpus]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^added manual-[0-9a-f]{16} \(c\) to .* \(.*gcc.* could not judge it alone\)\n$/);
  });

  it("never writes into the bundled seed corpus: it needs --corpus, $SECCODER_CORPUS or a ./corpus of the user's", async () => {
    const before = readFileSync(SEED, 'utf8');
    const file = fileWith('find.py', SAFE);
    const empty = tempDir();
    const cases: [string[], string, NodeJS.ProcessEnv, RegExp][] = [
      [
        [],
        empty,
        ENV,
        /^seccoder: no corpus to add to: no --corpus, no \$SECCODER_CORPUS and no \.\/corpus folder; SecCoder never adds to the seed corpus it bundles \(.*corpus\) \(pass --corpus <dir>, set SECCODER_CORPUS, or create \.\/corpus in the current folder\)\n$/,
      ],
      [[], ROOT, ENV, /^seccoder: .*corpus is the seed corpus bundled with SecCoder; SecCoder never adds to the seed corpus it bundles/],
      [['--corpus', join(ROOT, 'corpus')], empty, ENV, /is the seed corpus bundled with SecCoder/],
      [[], empty, { ...ENV, SECCODER_CORPUS: join(ROOT, 'corpus') }, /is the seed corpus bundled with SecCoder/],
    ];
    for (const [args, cwd, env, message] of cases) {
      const result = await add([file, ...args], cwd, env);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    expect(readFileSync(SEED, 'utf8')).toBe(before);

    // A ./corpus of the user's, and $SECCODER_CORPUS.
    const project = tempDir();
    mkdirSync(join(project, 'corpus'));
    expect((await add([file], project)).code).toBe(0);
    expect(entriesIn(join(project, 'corpus'))).toHaveLength(1);
    const fromEnv = tempDir();
    expect((await add([file], empty, { ...ENV, SECCODER_CORPUS: fromEnv })).code).toBe(0);
    expect(entriesIn(fromEnv)).toHaveLength(1);
  });
});
