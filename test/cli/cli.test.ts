// The CLI as a user runs it: the built binary in a child process, on a temp copy of part of the
// seed corpus.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const seedLines = readFileSync(join(ROOT, 'corpus', 'corpus.jsonl'), 'utf8')
  .trim()
  .split('\n');

function smallCorpus(dir = tempDir()): string {
  // Every third seed entry: all languages and most CWEs, quick to index.
  writeFileSync(join(dir, 'corpus.jsonl'), `${seedLines.filter((_, i) => i % 3 === 0).join('\n')}\n`);
  return dir;
}

const SQLI = `import sqlite3

def find_user(name):
    conn = sqlite3.connect("app.db")
    cur = conn.cursor()
    cur.execute("SELECT * FROM users WHERE name = '" + name + "'")
    return cur.fetchone()
`;

const UAF = `static void release(struct session *s) {
    free(s->buf);
    log_msg("released %s", s->buf);
    s->buf = NULL;
}
`;

describe('seccoder CLI', () => {
  let corpus: string;
  // Shared by the tests below, so it outlives the per-test temp folders.
  beforeAll(async () => {
    corpus = smallCorpus(mkdtempSync(join(tmpdir(), 'seccoder-cli-')));
    const built = await runCli(['index', '--corpus', corpus]);
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/^built index of \d+ entries \(\d+ embedded\) with default:lsa-/);
  });
  afterAll(() => rmSync(corpus, { recursive: true, force: true }));

  it('reuses the index the second time', async () => {
    const again = await runCli(['index', '--corpus', corpus]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^loaded index of \d+ entries \(0 embedded\)/);
  });

  it('retrieves same-language demonstrations with provenance for a file', async () => {
    const file = join(tempDir(), 'app.py');
    writeFileSync(file, SQLI);
    const result = await runCli(['retrieve', '--file', file, '-k', '3', '--corpus', corpus, '--json']);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { language: string; results: { language: string; cwe: string[]; source: { url?: string } }[] };
    expect(output.language).toBe('python');
    expect(output.results).toHaveLength(3);
    for (const demo of output.results) {
      expect(demo.language).toBe('python');
      expect(demo.source.url).toMatch(/^https:\/\/github\.com\//);
    }
    const human = await runCli(['retrieve', '--file', file, '-k', '2', '--corpus', corpus]);
    expect(human.stdout).toMatch(/^2 secure demonstrations for .*app\.py \(python\), cwe-aware retrieval over \d+ entries:\n1\. \S+ {2}CWE-\d+/);
  });

  it('weighs what the analyzers find with --analyzers, as harden does', async () => {
    // Mostly file handling (CWE-22's tokens), with the SQL injection bandit names (B608).
    const file = join(tempDir(), 'upload.py');
    writeFileSync(
      file,
      [
        'import os',
        '',
        'def read_upload(base_dir, filename, db):',
        '    path = os.path.join(base_dir, filename)',
        '    with open(path) as handle:',
        '        content = handle.read()',
        `    db.execute("INSERT INTO uploads (name, body) VALUES ('%s', '%s')" % (filename, content))`,
        '    return os.path.basename(path)',
        '',
      ].join('\n'),
    );
    type Output = { evidence?: { cwe: string[]; tools: { tool: string; ruleId: string }[] }; results: { cwe: string[]; score: number }[] };
    const plain = JSON.parse((await runCli(['retrieve', '--file', file, '-k', '5', '--corpus', corpus, '--json'])).stdout) as Output;
    const weighed = JSON.parse((await runCli(['retrieve', '--file', file, '-k', '5', '--corpus', corpus, '--json', '--analyzers'])).stdout) as Output;
    expect(plain.evidence).toBeUndefined();
    expect(weighed.evidence).toEqual({ cwe: ['CWE-89'], tools: [expect.objectContaining({ tool: 'bandit', ruleId: 'B608', cwe: ['CWE-89'] })] });
    expect(weighed.results[0]?.cwe).toContain('CWE-89');
    const sqlScore = (output: Output) => output.results.find((demo) => demo.cwe.includes('CWE-89'))?.score ?? -Infinity;
    expect(sqlScore(weighed)).toBeGreaterThan(sqlScore(plain));

    const human = await runCli(['retrieve', '--file', file, '-k', '1', '--corpus', corpus, '--analyzers']);
    expect(human.stdout).toMatch(/^analyzer evidence: bandit B608 \(CWE-89\)$/m);
    const known = await runCli(['retrieve', '--file', file, '-k', '1', '--corpus', corpus, '--analyzers', '--cwe', 'CWE-22', '--json']);
    expect(known.stderr).toMatch(/--cwe names the weakness, so the analyzers are not run/);
    expect((JSON.parse(known.stdout) as Output).evidence).toBeUndefined();
  });

  it('puts a known CWE first', async () => {
    const file = join(tempDir(), 'release.c');
    writeFileSync(file, UAF);
    const result = await runCli(['retrieve', '--file', file, '--cwe', 'cwe-416', '-k', '3', '--corpus', corpus, '--json']);
    const output = JSON.parse(result.stdout) as { results: { cwe: string[]; language: string }[] };
    expect(output.results.map((demo) => demo.cwe.includes('CWE-416'))).toEqual([true, true, true]);
    expect(output.results.every((demo) => demo.language === 'c' || demo.language === 'cpp')).toBe(true);
  });

  it('answers a JSONL batch line by line, reporting bad lines without stopping', async () => {
    const dir = tempDir();
    const queries = join(dir, 'q.jsonl');
    writeFileSync(
      queries,
      [
        JSON.stringify({ id: 'q1', code: SQLI, language: 'python' }),
        JSON.stringify({ id: 'q2', code: UAF, language: 'c', cwe: 'CWE-416', k: 2 }),
        '{not json',
        JSON.stringify({ id: 'q4', code: 'x', language: 'cobol' }),
        JSON.stringify({ id: 5, code: 'function f(req, res) { res.send(req.query.q); }' }),
      ].join('\n'),
    );
    const result = await runCli(['retrieve', '--queries', queries, '--json', '-k', '4', '--corpus', corpus]);
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.id)).toEqual(['q1', 'q2', null, 'q4', 5]);
    const [q1, q2, bad, cobol, q5] = lines as [
      { results: { id: string; cwe: string[]; language: string; score: number; source: object }[] },
      { results: { cwe: string[] }[] },
      { error: string; line: number },
      { error: string },
      { results: unknown[] },
    ];
    expect(q1.results).toHaveLength(4);
    expect(Object.keys(q1.results[0]!).sort()).toEqual(['cwe', 'id', 'language', 'score', 'similarity', 'source']);
    expect(q2.results).toHaveLength(2);
    expect(q2.results.every((demo) => demo.cwe.includes('CWE-416'))).toBe(true);
    expect(bad).toMatchObject({ line: 3, error: expect.stringMatching(/JSON/) });
    expect(cobol.error).toMatch(/unknown language "cobol"/);
    expect(q5.results).toHaveLength(4);
    expect(result.stderr).toMatch(/q\.jsonl:3: skipped query/);
    expect(result.stderr).toMatch(/q\.jsonl:4: skipped query: unknown language/);
  });

  it('adds a function and reports stats', async () => {
    const dir = smallCorpus();
    const file = join(tempDir(), 'safe_query.py');
    writeFileSync(file, 'def safe_query(cur, name):\n    cur.execute("SELECT 1 FROM t WHERE n = ?", (name,))\n    return cur.fetchone()\n');
    const before = JSON.parse((await runCli(['corpus', 'stats', '--corpus', dir, '--json'])).stdout) as { entries: number; byOrigin: Record<string, number> };
    const added = await runCli(['corpus', 'add', file, '--cwe', 'CWE-89', '--source-url', 'https://example.com/c/1', '--corpus', dir]);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^added manual-[0-9a-f]{16} \(python, CWE-89\)/);
    const after = JSON.parse((await runCli(['corpus', 'stats', '--corpus', dir, '--json'])).stdout) as {
      entries: number;
      byOrigin: Record<string, number>;
      cweNames: Record<string, string>;
    };
    expect(after.entries).toBe(before.entries + 1);
    expect(after.byOrigin.manual).toBe(1);
    expect(after.cweNames['CWE-89']).toBe("Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')");
    const duplicate = await runCli(['corpus', 'add', file, '--corpus', dir]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/safe_query\.py: already in the corpus/);
    const table = await runCli(['corpus', 'stats', '--corpus', dir]);
    expect(table.stdout).toMatch(/^corpus: .*corpus\.jsonl\nentries: \d+/);
    expect(table.stdout).toMatch(/\npython +\d+\n/);
    // The CWE table names each weakness after its count.
    expect(table.stdout).toMatch(/\ncwe +entries {2}name\n/);
    expect(table.stdout).toMatch(/\nCWE-89 +\d+ {2}Improper Neutralization of Special Elements used in an SQL Command \('SQL Injection'\)\n/);
  });

  it('rebuilds after the corpus changes underneath, saying why', async () => {
    const dir = smallCorpus();
    expect((await runCli(['index', '--corpus', dir])).code).toBe(0);
    const lines = readFileSync(join(dir, 'corpus.jsonl'), 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'corpus.jsonl'), `${lines.slice(1).join('\n')}\n`);
    const result = await runCli(['index', '--corpus', dir]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^index built \(default embedder retrained: the corpus shrank from (\d+) to \d+ entries\)/);
  });

  it('gives errors a user can act on, without stack traces', async () => {
    const dir = tempDir();
    const emptyCorpus = tempDir();
    writeFileSync(join(emptyCorpus, 'corpus.jsonl'), '');
    const cases: [string[], RegExp][] = [
      [['retrieve', '--file', join(dir, 'missing.py'), '--corpus', corpus], /missing\.py: file not found/],
      [['retrieve', '--file', join(ROOT, 'package.json'), '--corpus', corpus], /unknown language ".*package\.json": cannot tell the language/],
      [['retrieve', '--file', join(ROOT, 'package.json'), '--language', 'cobol', '--corpus', corpus], /unknown language "cobol"/],
      [['retrieve', '--file', join(ROOT, 'package.json'), '--language', 'py', '--corpus', join(dir, 'nowhere')], /corpus not found at .*nowhere/],
      [['corpus', 'stats', '--corpus', join(dir, 'nowhere')], /corpus not found/],
      [['retrieve', '--corpus', corpus], /give exactly one of --file <path> or --queries <path>/],
      [
        ['retrieve', '--file', join(ROOT, 'examples', 'flask_sqli.py'), '--mode', 'bm25', '--analyzers', '--corpus', corpus],
        /--analyzers weighs evidence in cwe-aware retrieval only, not --mode bm25/,
      ],
      [['retrieve', '--file', join(ROOT, 'package.json'), '--language', 'py', '--embedder', 'bert', '--corpus', corpus], /invalid embedder "bert"/],
      [['index', '--embedder', `onnx:${join(dir, 'no-model')}`, '--corpus', corpus], /no-model/],
      // A SecCoderError's hint follows its message in parentheses.
      [
        ['index', '--corpus', emptyCorpus],
        /^seccoder: cannot train the default embedder on an empty corpus \(add secure functions with `seccoder corpus add`, or pass --corpus <dir>\)$/m,
      ],
    ];
    mkdirSync(join(dir, 'nowhere-else'));
    for (const [args, message] of cases) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });
});
