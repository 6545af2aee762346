// Targets from a real git diff and from SARIF alerts, in each language the issue names: the
// changed function (and only it) from the diff; the function an alert points into, with its CWE.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from '../../src/detect/diff.js';
import { alertsFromSarif } from '../../src/detect/sarif.js';
import { selectTargets } from '../../src/detect/targets.js';
import { languageFromPath } from '../../src/lang/languages.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

function git(cwd: string, args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: cwd, LC_ALL: 'C' },
  });
}

function diffOf(path: string, before: string, after: string): string {
  const dir = tempDir();
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  git(dir, ['init', '-q']);
  writeFileSync(join(dir, path), before);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'before']);
  writeFileSync(join(dir, path), after);
  git(dir, ['add', '-A']);
  return git(dir, ['diff', '--cached']);
}

interface Case {
  path: string;
  before: string;
  /** `before` with one line of `changed` edited. */
  after: string;
  changed: string;
  untouched: string;
  /** 1-based line inside `untouched` where the alert points. */
  alertLine: number;
  cwe: string;
}

const CASES: Case[] = [
  {
    path: 'app/db.py',
    before:
      'import sqlite3\n\ndef find(conn, name):\n    return conn.execute("SELECT * FROM u WHERE n = \'" + name + "\'")\n\ndef count(conn):\n    return conn.execute("SELECT count(*) FROM u").fetchone()\n',
    after:
      'import sqlite3\n\ndef find(conn, name):\n    return conn.execute("SELECT * FROM u WHERE n = ?", (name,))\n\ndef count(conn):\n    return conn.execute("SELECT count(*) FROM u").fetchone()\n',
    changed: 'find',
    untouched: 'count',
    alertLine: 7,
    cwe: 'CWE-89',
  },
  {
    path: 'src/buf.c',
    before:
      '#include <string.h>\n\nvoid set_name(char *dst, const char *src, size_t n)\n{\n    memcpy(dst, src, n);\n}\n\nint get(int *a, int i)\n{\n    return a[i];\n}\n',
    after:
      '#include <string.h>\n\nvoid set_name(char *dst, const char *src, size_t n)\n{\n    memcpy(dst, src, n - 1);\n}\n\nint get(int *a, int i)\n{\n    return a[i];\n}\n',
    changed: 'set_name',
    untouched: 'get',
    alertLine: 10,
    cwe: 'CWE-125',
  },
  {
    path: 'web/routes.js',
    before:
      "const db = require('./db');\n\nfunction search(req, res) {\n  res.send('<p>' + req.query.q + '</p>');\n}\n\nfunction list(req, res) {\n  db.query('SELECT * FROM t WHERE id = ' + req.params.id, (e, rows) => res.json(rows));\n}\n\nmodule.exports = { search, list };\n",
    after:
      "const db = require('./db');\n\nfunction search(req, res) {\n  res.send('<p>' + escape(req.query.q) + '</p>');\n}\n\nfunction list(req, res) {\n  db.query('SELECT * FROM t WHERE id = ' + req.params.id, (e, rows) => res.json(rows));\n}\n\nmodule.exports = { search, list };\n",
    changed: 'search',
    untouched: 'list',
    alertLine: 8,
    cwe: 'CWE-89',
  },
  {
    path: 'src/files.ts',
    before:
      "import { readFileSync } from 'node:fs';\n\nexport class Store {\n  read(name: string): string {\n    return readFileSync('/data/' + name, 'utf8');\n  }\n}\n\nexport const render = (html: string): string => {\n  return `<div>${html}</div>`;\n};\n",
    after:
      "import { readFileSync } from 'node:fs';\n\nexport class Store {\n  read(name: string): string {\n    return readFileSync('/data/' + basename(name), 'utf8');\n  }\n}\n\nexport const render = (html: string): string => {\n  return `<div>${html}</div>`;\n};\n",
    changed: 'read',
    untouched: 'render',
    alertLine: 10,
    cwe: 'CWE-79',
  },
];

function sarifFor(path: string, line: number, cwe: string) {
  const number = cwe.replace('CWE-', '').padStart(3, '0');
  return {
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'CodeQL', rules: [{ id: 'lang/security-rule', properties: { tags: ['security', `external/cwe/cwe-${number}`] } }] } },
        results: [
          {
            ruleId: 'lang/security-rule',
            ruleIndex: 0,
            message: { text: 'This flows from user input to a sink.' },
            locations: [{ physicalLocation: { artifactLocation: { uri: path }, region: { startLine: line } } }],
          },
        ],
      },
    ],
  };
}

describe('targets in Python, C, JavaScript and TypeScript', () => {
  for (const testCase of CASES) {
    const language = languageFromPath(testCase.path);

    it(`${language}: a real git diff makes the changed function the only target`, async () => {
      const diff = parseUnifiedDiff(diffOf(testCase.path, testCase.before, testCase.after));
      const { targets } = await selectTargets({ files: [{ path: testCase.path, content: testCase.after, language }], diff });
      expect(targets.map((target) => [target.function.name, target.reason, target.language])).toEqual([[testCase.changed, 'changed-function', language]]);
      const lines = testCase.after.split('\n');
      const target = targets[0]!;
      expect(target.function.code).toBe(lines.slice(target.function.startLine - 1, target.function.endLine).join('\n'));
    });

    it(`${language}: a SARIF alert makes its enclosing function a target carrying the CWE and message`, async () => {
      const { alerts, problems } = alertsFromSarif(sarifFor(testCase.path, testCase.alertLine, testCase.cwe), { source: 'test.sarif' });
      expect(problems).toEqual([]);
      const { targets } = await selectTargets({ files: [{ path: testCase.path, content: testCase.after, language }], alerts });
      expect(targets).toHaveLength(1);
      expect(targets[0]!.function.name).toBe(testCase.untouched);
      expect(targets[0]!.reason).toBe('alert');
      expect(targets[0]!.alerts.map((alert) => alert.cwe)).toEqual([[testCase.cwe]]);
      expect(targets[0]!.alerts[0]!.message).toBe('This flows from user input to a sink.');
    });
  }
});
