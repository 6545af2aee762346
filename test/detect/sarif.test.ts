import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toRepoPath } from '../../src/detect/repo-path.js';
import { alertsFromSarif, SarifAlertSource } from '../../src/detect/sarif.js';
import { SarifReadError } from '../../src/sarif/read-error.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const SARIF = fileURLToPath(new URL('../fixtures/detect/sarif/', import.meta.url));
const CODEQL = join(SARIF, 'codeql-python.sarif');
const SEMGREP = join(SARIF, 'semgrep.sarif');
const tempDir = useTempDirs();

describe('toRepoPath', () => {
  it('strips file://, a checkout root, ./ and percent-escapes', () => {
    expect(toRepoPath('file:///home/runner/work/shop/shop/app/db.py', ['/home/runner/work/shop/shop'])).toBe('app/db.py');
    expect(toRepoPath('file:///home/runner/work/shop/shop/app/db.py', ['file:///home/runner/work/shop/shop/'])).toBe('app/db.py');
    expect(toRepoPath('./app/run.py')).toBe('app/run.py');
    expect(toRepoPath('app/auth%20utils.py')).toBe('app/auth utils.py');
    expect(toRepoPath('file:///C:/work/repo/src/a.c', ['C:\\work\\repo'])).toBe('src/a.c');
  });

  it('leaves paths outside every root absolute, and does not strip a root that is only a name prefix', () => {
    expect(toRepoPath('/other/app.py', ['/home/x/repo'])).toBe('/other/app.py');
    expect(toRepoPath('/home/x/repo2/app.py', ['/home/x/repo'])).toBe('/home/x/repo2/app.py');
  });
});

describe('alertsFromSarif', () => {
  it('reads a CodeQL run whose rules live in a query-pack extension', async () => {
    const { readFile } = await import('node:fs/promises');
    const value: unknown = JSON.parse(await readFile(CODEQL, 'utf8'));
    const { alerts, problems } = alertsFromSarif(value, { source: 'codeql-python.sarif' });
    expect(alerts).toEqual([
      {
        ruleId: 'py/sql-injection',
        message: 'This SQL query depends on a [user-provided value](1).',
        cwe: ['CWE-89'],
        path: 'app/views.py',
        startLine: 14,
        endLine: 14,
        severity: 'high',
      },
      {
        // Its location names the file only through the run's artifacts table.
        ruleId: 'py/path-injection',
        message: 'This path depends on a [user-provided value](1).',
        cwe: ['CWE-22', 'CWE-23', 'CWE-36', 'CWE-73', 'CWE-99'],
        path: 'app/files.py',
        startLine: 22,
        endLine: 24,
        severity: 'high',
      },
      {
        ruleId: 'py/weak-sensitive-data-hashing',
        message: '[Sensitive data (password)](1) is used in a hashing algorithm (MD5) that is insecure for password hashing.',
        cwe: ['CWE-327', 'CWE-328', 'CWE-916'],
        path: 'app/auth utils.py',
        startLine: 7,
        endLine: 7,
        severity: 'low',
      },
    ]);
    expect(problems).toEqual([
      { source: 'codeql-python.sarif', item: 'runs[0].results[2]', reason: 'no location with a region.startLine' },
      { source: 'codeql-python.sarif', item: 'runs[0].results[3]', reason: 'suppressed in the SARIF file' },
    ]);
  });

  it('throws SarifReadError for a value without runs', () => {
    expect(() => alertsFromSarif({ version: '2.1.0' }, { source: 'x.sarif' })).toThrow(SarifReadError);
    expect(() => alertsFromSarif([], { source: 'x.sarif' })).toThrow(/cannot read SARIF from x\.sarif: not a SARIF log/);
  });

  it('drops a run without a tool driver but keeps the other runs', () => {
    const good = {
      tool: { driver: { name: 't', rules: [{ id: 'r1', properties: { tags: ['external/cwe/cwe-79'] } }] } },
      results: [{ ruleIndex: 0, message: { text: 'xss' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a.js' }, region: { startLine: 3 } } }] }],
    };
    const { alerts, problems } = alertsFromSarif({ runs: [{ results: [] }, good] }, { source: 's' });
    // ruleIndex alone is enough to find the rule id and its tags.
    expect(alerts).toEqual([{ ruleId: 'r1', message: 'xss', cwe: ['CWE-79'], path: 'a.js', startLine: 3, endLine: 3 }]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ item: 'runs[0]' });
    expect(problems[0]?.reason).toMatch(/^tool/);
  });

  it("keeps results whose rule is invalid, without that rule's tags, and reports the rule", () => {
    const run = {
      tool: { driver: { rules: [{ name: 'no id' }, { id: 'r2', properties: { tags: ['cwe-20'] } }] } },
      results: [
        {
          ruleId: 'r0',
          ruleIndex: 0,
          message: { text: 'm0' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'x.c' }, region: { startLine: 1 } } }],
        },
        {
          ruleId: 'r2',
          ruleIndex: 1,
          level: 'note',
          message: { text: 'm2' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'x.c' }, region: { startLine: 2 } } }],
        },
      ],
    };
    const { alerts, problems } = alertsFromSarif({ runs: [run] }, { source: 's' });
    expect(alerts.map((alert) => [alert.ruleId, alert.cwe, alert.severity])).toEqual([
      ['r0', [], undefined],
      ['r2', ['CWE-20'], 'note'],
    ]);
    expect(problems.map((problem) => problem.item)).toEqual(['runs[0].tool.driver.rules[0]']);
  });
});

describe('SarifAlertSource', () => {
  it("reads several files, stripping the given checkout root and the run's base URI", async () => {
    const source = new SarifAlertSource([SEMGREP]);
    const alerts = await source.alerts();
    expect(alerts).toEqual([
      {
        ruleId: 'python.lang.security.audit.formatted-sql-query.formatted-sql-query',
        message: 'Detected possible formatted SQL query. Use parameterized queries instead.',
        cwe: ['CWE-89'],
        path: 'app/db.py',
        startLine: 9,
        endLine: 9,
        severity: 'warning',
      },
      {
        ruleId: 'python.lang.security.audit.subprocess-shell-true.subprocess-shell-true',
        message: "Found 'subprocess' function 'run' with 'shell=True'.",
        cwe: ['CWE-78'],
        path: 'app/run.py',
        startLine: 3,
        endLine: 3,
        severity: 'error',
      },
    ]);
    expect(source.problems.map((problem) => [problem.item, problem.source])).toEqual([
      ['runs[0].results[2]', SEMGREP],
      ['runs[0].results[3]', SEMGREP],
    ]);
    expect(source.problems[0]?.reason).toMatch(/^message:/);
    expect(source.problems[1]?.reason).toMatch(/startLine/);
  });

  it('strips an explicit --root from absolute URIs', async () => {
    const dir = tempDir();
    const file = join(dir, 'abs.sarif');
    const run = {
      tool: { driver: { name: 'x', rules: [] } },
      results: [
        {
          ruleId: 'r',
          message: { text: 'm' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///srv/checkout/lib/a.rb' }, region: { startLine: 5, endLine: 2 } } }],
        },
      ],
    };
    writeFileSync(file, JSON.stringify({ version: '2.1.0', runs: [run] }));
    const alerts = await new SarifAlertSource([file], { roots: ['/srv/checkout'] }).alerts();
    // An endLine before the startLine is read as a one-line region.
    expect(alerts).toEqual([{ ruleId: 'r', message: 'm', cwe: [], path: 'lib/a.rb', startLine: 5, endLine: 5 }]);
  });

  it('resolves a relative URI against a base below the checkout before stripping the root', () => {
    const run = {
      tool: { driver: { name: 'x' } },
      originalUriBaseIds: { SRC: { uri: 'file:///work/repo/src/' } },
      results: [
        {
          ruleId: 'r',
          message: { text: 'm' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'app.py', uriBaseId: 'SRC' }, region: { startLine: 1 } } }],
        },
      ],
    };
    expect(alertsFromSarif({ runs: [run] }, { source: 's', roots: ['/work/repo'] }).alerts[0]?.path).toBe('src/app.py');
    // Without a root, the base itself is the best guess at the checkout.
    expect(alertsFromSarif({ runs: [run] }, { source: 's' }).alerts[0]?.path).toBe('app.py');
  });

  it('reads every *.sarif and *.json file of a folder, ignoring other files, and logs dropped results', async () => {
    const dir = tempDir();
    copyFileSync(CODEQL, join(dir, 'python.sarif'));
    copyFileSync(SEMGREP, join(dir, 'semgrep.json'));
    writeFileSync(join(dir, 'notes.txt'), 'not sarif');
    const warnings: string[] = [];
    const source = new SarifAlertSource([dir], { logger: { warn: (_details, message) => warnings.push(message) } });
    const alerts = await source.alerts();
    expect(alerts.map((alert) => alert.path)).toEqual(['app/views.py', 'app/files.py', 'app/auth utils.py', 'app/db.py', 'app/run.py']);
    expect(source.problems).toHaveLength(4);
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toBe('dropped a SARIF result: no location with a region.startLine');
    expect(source.name).toBe(`SARIF ${dir}`);
  });

  it('names the file that is not valid JSON', async () => {
    const dir = tempDir();
    const bad = join(dir, 'broken.sarif');
    writeFileSync(bad, '{"runs": [');
    const error = await new SarifAlertSource([CODEQL, bad]).alerts().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SarifReadError);
    expect((error as SarifReadError).file).toBe(bad);
    expect((error as Error).message).toMatch(/broken\.sarif: invalid JSON/);
  });

  it('names a path that does not exist', async () => {
    const missing = join(tempDir(), 'nope.sarif');
    await expect(new SarifAlertSource([missing]).alerts()).rejects.toThrow(`cannot read SARIF from ${missing}: no such file or folder`);
  });
});
