// `seccoder harden` as a user runs it: the built binary in a child process, on a Flask file in a
// temp folder, with a small temp corpus; precedent mode, a real local model server, --diff; exit
// codes (a model answering 500 or 401, or not listening), why a file gave no target, SARIF without
// results or pointing elsewhere, progress, --patch (checked with git apply) and --write.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import { appendEntries, snippetEntries } from '../fixtures/retrieval-corpus.js';
import {
  chatCompletion,
  FIXED_FUNCTION,
  FIXED_LINE,
  fencedReply,
  ORIGINAL_FUNCTION,
  VIEWS,
  VIEWS_PATH,
  VULNERABLE_LINE,
} from '../fixtures/review/flask-app.js';
import { SNIPPETS } from '../fixtures/secure-snippets.js';
import { sendJson, startLocalServer, type LocalServer } from '../model/local-server.js';

const tempDir = useTempDirs();

/** No model, corpus or debug settings leak in from the environment running the tests. */
const ENV = { SECCODER_MODEL_URL: '', SECCODER_MODEL: '', SECCODER_CORPUS: '', SECCODER_DEBUG: '' };

const PRECEDENT_FOOTER =
  '1 targets, 0 skipped. Precedent mode: no model configured. To get suggestions, pass --model-url <OpenAI-compatible URL or preset> --model <name> (see README).';

let corpus: string;

/** A project folder holding app/views.py. */
function project(content = VIEWS): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, VIEWS_PATH), content);
  return dir;
}

function harden(cwd: string, args: string[]): Promise<CliResult> {
  return runCli(['harden', ...args, '--corpus', corpus], { cwd, env: ENV });
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

beforeAll(async () => {
  corpus = mkdtempSync(join(tmpdir(), 'seccoder-harden-cli-'));
  await appendEntries(corpus, await snippetEntries(SNIPPETS));
  const built = await runCli(['index', '--corpus', corpus], { env: ENV });
  expect(built.code, built.stderr).toBe(0);
});

afterAll(() => rmSync(corpus, { recursive: true, force: true }));

describe('seccoder harden, precedent mode', () => {
  it('prints the target, the demonstrations and the prompt, and says how to configure a model', async () => {
    const dir = project();
    const result = await harden(dir, [VIEWS_PATH]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('== app/views.py:8-13 user_by_email (changed-function)');
    expect(lines[1]).toBe('secure demonstrations:');
    expect(lines[2]).toMatch(/^ {2}1\. \S+ {2}CWE-89 {2}python$/);
    // The demonstrations show bare ids; each is named once below them.
    expect(lines[3]).toBe("CWE-89: Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')");
    expect(lines[4]).toMatch(/^prompt it would send \(chat, ~\d+ tokens\):$/);
    expect(lines[5]).toBe('--- system ---');
    expect(result.stdout).toContain('--- user ---\n');
    expect(result.stdout).toContain(`\`\`\`python\n${ORIGINAL_FUNCTION}\n\`\`\``);
    expect(result.stdout).toContain('- Function: `user_by_email`');
    expect(lastLine(result.stdout)).toBe(PRECEDENT_FOOTER);
  });

  it('--style completion prints the completion prompt ending with the signature', async () => {
    const dir = project();
    const result = await harden(dir, [VIEWS_PATH, '--style', 'completion']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/prompt it would send \(completion, ~\d+ tokens\):\n/);
    expect(result.stdout).toContain('import sqlite3\nfrom flask import Flask, jsonify\n\n@app.route("/users/<email>")\ndef user_by_email(email):\n\n');
    expect(result.stdout).not.toContain('--- system ---');
  });

  it('--json prints the prompt messages and demonstrations as JSON', async () => {
    const dir = project();
    const result = await harden(dir, [VIEWS_PATH, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      model: string | null;
      targets: {
        path: string;
        function: string;
        startLine: number;
        endLine: number;
        reason: string;
        demonstrations: { id: string; cwe: string[] }[];
        prompt: { messages: { role: string; content: string }[]; completion: string };
        samples: number;
        suggestion: unknown;
        error: unknown;
      }[];
      skipped: unknown[];
    };
    expect(report.model).toBeNull();
    expect(report.skipped).toEqual([]);
    expect(report.targets).toHaveLength(1);
    const target = report.targets[0]!;
    expect(target).toMatchObject({
      path: VIEWS_PATH,
      function: 'user_by_email',
      startLine: 8,
      endLine: 13,
      reason: 'changed-function',
      samples: 0,
      suggestion: null,
      error: null,
    });
    expect(target.demonstrations).toHaveLength(1);
    expect(target.demonstrations[0]!.cwe).toEqual(['CWE-89']);
    expect(target.prompt.messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(target.prompt.messages[1]!.content).toContain(ORIGINAL_FUNCTION);
    expect(target.prompt.completion.endsWith('def user_by_email(email):')).toBe(true);
  });

  it('--diff hardens only the function the diff changed', async () => {
    const two = `${VIEWS}\n\n@app.route("/orders/<order_id>")\ndef order(order_id):\n    conn = sqlite3.connect("app.db")\n    return jsonify(conn.execute("SELECT * FROM orders WHERE id = " + order_id).fetchone())\n`;
    const dir = project(two);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'initial');
    writeFileSync(join(dir, VIEWS_PATH), two.replace('SELECT * FROM orders WHERE id = "', 'SELECT id, total FROM orders WHERE id = "'));
    writeFileSync(join(dir, 'change.diff'), git('diff'));

    const whole = await harden(dir, [VIEWS_PATH, '--json']);
    expect((JSON.parse(whole.stdout) as { targets: { function: string }[] }).targets.map((target) => target.function).sort()).toEqual([
      'order',
      'user_by_email',
    ]);

    const result = await harden(dir, [VIEWS_PATH, '--diff', 'change.diff']);
    expect(result.code).toBe(0);
    const headers = result.stdout.split('\n').filter((line) => line.startsWith('== '));
    expect(headers).toEqual(['== app/views.py:16-19 order (changed-function)']);
    expect(lastLine(result.stdout)).toBe(PRECEDENT_FOOTER);

    const fromStdin = await runCli(['harden', VIEWS_PATH, '--diff', '-', '--json', '--corpus', corpus], { cwd: dir, env: ENV, input: git('diff') });
    expect((JSON.parse(fromStdin.stdout) as { targets: { function: string }[] }).targets.map((target) => target.function)).toEqual(['order']);
  });

  it('--function with a name that is not a target fails with a clear message', async () => {
    const dir = project();
    const result = await harden(dir, [VIEWS_PATH, '--function', 'nope']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('seccoder: no function named nope among the targets in app/views.py\n');
  });

  it('--model-url without --model fails naming --model', async () => {
    const dir = project();
    const result = await harden(dir, [VIEWS_PATH, '--model-url', 'http://127.0.0.1:9/v1']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('seccoder: --model <name> is required with --model-url (or set SECCODER_MODEL)\n');
  });
});

/** What the suggestion says it changed: the weakness by id and official name. */
const REASON = "Rewrites `user_by_email` to remove CWE-89 (Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')).";

describe('seccoder harden with a model', () => {
  let server: LocalServer;
  const requests: { url: string | undefined; body: { model: string; n: number; messages: { role: string; content: string }[] } }[] = [];

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    server = await startLocalServer((req, body, res) => {
      requests.push({ url: req.url, body: JSON.parse(body) as (typeof requests)[number]['body'] });
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return sendJson(res, 404, { error: { message: `no route ${req.url}` } });
      sendJson(res, 200, chatCompletion(fencedReply(FIXED_FUNCTION)));
    });
  });

  afterAll(async () => {
    await server.close();
    nock.enableNetConnect();
  });

  it('prints the validated suggestion as a unified diff that git apply accepts', async () => {
    const dir = project();
    const result = await harden(dir, [VIEWS_PATH, '--model-url', server.baseUrl, '--model', 'test-model', '--samples', '1']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe('/v1/chat/completions');
    expect(requests[0]!.body).toMatchObject({ model: 'test-model', n: 1 });
    expect(requests[0]!.body.messages[1]!.content).toContain(ORIGINAL_FUNCTION);

    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('== app/views.py:8-13 user_by_email (changed-function)');
    expect(result.stdout).toContain(
      [
        '--- a/app/views.py',
        '+++ b/app/views.py',
        '@@ -9,5 +9,5 @@',
        ' def user_by_email(email):',
        '     conn = sqlite3.connect("app.db")',
        '     cur = conn.cursor()',
        `-${VULNERABLE_LINE}`,
        `+${FIXED_LINE}`,
        '     return jsonify(cur.fetchone())',
        '',
        REASON,
      ].join('\n'),
    );
    expect(lines).toContain(REASON);
    expect(result.stdout).not.toContain('prompt it would send');
    expect(lastLine(result.stdout)).toBe('1 targets, 1 suggestions from test-model, 0 skipped.');

    const start = lines.indexOf('--- a/app/views.py');
    const end = lines.indexOf(REASON);
    const patch = join(dir, 'fix.patch');
    writeFileSync(patch, `${lines.slice(start, end).join('\n')}\n`);
    execFileSync('git', ['apply', '--check', patch], { cwd: dir });
  });
});

/** Two routes: `user_by_email` (lines 8-13) and `order` (lines 16-19), both building SQL by concatenation. */
const ORDER_QUERY = 'conn.execute("SELECT * FROM orders WHERE id = " + order_id)';
const ORDER_FIXED_QUERY = 'conn.execute("SELECT * FROM orders WHERE id = ?", (order_id,))';
const TWO = `${VIEWS}\n\n@app.route("/orders/<order_id>")\ndef order(order_id):\n    conn = sqlite3.connect("app.db")\n    return jsonify(${ORDER_QUERY}.fetchone())\n`;
const ORDER_FUNCTION = TWO.split('\n').slice(15, 19).join('\n');
/** The fix of user_by_email takes one more line than the original, so `order` moves down by one. */
const TWO_LINE_FIX = '    query = "SELECT id, name FROM users WHERE email = ?"\n    cur.execute(query, (email,))';
const FIXED_TWO = TWO.replace(VULNERABLE_LINE, TWO_LINE_FIX).replace(ORDER_QUERY, ORDER_FIXED_QUERY);

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', '-c', 'core.autocrlf=false', ...args], { cwd: dir, encoding: 'utf8' });
}

/** A project folder under git with app/views.py committed. */
function repository(content = VIEWS): string {
  const dir = project(content);
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

function functionAsked(body: string): string | undefined {
  const parsed = JSON.parse(body) as { messages: { content: string }[] };
  return /- Function: `([^`]+)`/.exec(parsed.messages.at(-1)?.content ?? '')?.[1];
}

const stderrLines = (result: CliResult) => result.stderr.trimEnd().split('\n').filter(Boolean);

describe('seccoder harden exit codes', () => {
  const servers: LocalServer[] = [];
  let failing500: LocalServer;
  let failing401: LocalServer;
  let unchanged: LocalServer;
  let unreachable: string;
  const hits = { 500: 0, 401: 0 };

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    failing500 = await startLocalServer((_req, _body, res) => {
      hits[500] += 1;
      sendJson(res, 500, { error: { message: 'the GPU caught fire' } });
    });
    failing401 = await startLocalServer((_req, _body, res) => {
      hits[401] += 1;
      sendJson(res, 401, { error: { message: 'invalid api key' } });
    });
    unchanged = await startLocalServer((_req, _body, res) => sendJson(res, 200, chatCompletion(fencedReply(ORIGINAL_FUNCTION))));
    servers.push(failing500, failing401, unchanged);
    // A port nothing listens on: one that was just closed.
    const closed = await startLocalServer((_req, _body, res) => sendJson(res, 500, {}));
    await closed.close();
    unreachable = closed.baseUrl;
  });

  afterAll(async () => {
    for (const server of servers) await server.close();
    nock.enableNetConnect();
  });

  const withModel = (dir: string, url: string, extra: string[] = []) =>
    harden(dir, [VIEWS_PATH, '--model-url', url, '--model', 'test-model', '--samples', '1', ...extra]);

  it('documents them in --help', async () => {
    const result = await runCli(['harden', '--help'], { env: ENV });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Exit codes:');
    expect(result.stdout).toMatch(/\n {2}0 {2}it ran: every target got a suggestion or an explained "no change"/);
    expect(result.stdout).toMatch(/\n {2}3 {2}the model or an analyzer failed on at least one target/);
    expect(result.stdout).toContain('--patch <file>');
    expect(result.stdout).toContain('--write');
    expect(result.stdout).toContain('--progress');
  });

  it('3 when the model answers 500: the failure on stderr, not on stdout', async () => {
    const result = await withModel(project(), failing500.baseUrl);
    expect(result.code).toBe(3);
    expect(hits[500]).toBe(4);
    expect(result.stdout).not.toMatch(/500|GPU/);
    expect(result.stdout).toContain('no suggestion: failed (the error is on stderr)');
    expect(lastLine(result.stdout)).toBe('1 targets, 0 suggestions from test-model, 0 skipped, 1 failed.');
    expect(stderrLines(result)).toEqual([
      expect.stringMatching(
        /^seccoder: failed on app\/views\.py:8-13 user_by_email: model: model endpoint http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions answered HTTP 500 after 4 attempts/,
      ),
      'seccoder: the model or an analyzer failed on 1 of 1 targets (exit code 3)',
    ]);
  });

  it('3 when the model answers 401, asking it once for all targets', async () => {
    const result = await withModel(project(TWO), failing401.baseUrl);
    expect(result.code).toBe(3);
    expect(hits[401]).toBe(1);
    expect(result.stdout).not.toContain('401');
    expect(lastLine(result.stdout)).toBe('2 targets, 0 suggestions from test-model, 0 skipped, 2 failed.');
    const lines = stderrLines(result);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^seccoder: failed on app\/views\.py:\d+-\d+ \w+, app\/views\.py:\d+-\d+ \w+: model: model endpoint .* answered HTTP 401/);
    expect(lines[1]).toBe('seccoder: the model or an analyzer failed on 2 of 2 targets (exit code 3)');
  });

  it('3 when the model is unreachable', async () => {
    const result = await withModel(project(), unreachable);
    expect(result.code).toBe(3);
    expect(result.stdout).not.toMatch(/could not reach|ECONNREFUSED/);
    expect(result.stderr).toMatch(
      /^seccoder: failed on app\/views\.py:8-13 user_by_email: model: could not reach http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions \(.*ECONNREFUSED/,
    );
  });

  it('0 when every sample was rejected: no change, with the rejection counts', async () => {
    const result = await withModel(project(), unchanged.baseUrl);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no suggestion: 1 samples, rejected: 1 unchanged');
    expect(lastLine(result.stdout)).toBe('1 targets, 0 suggestions from test-model, 0 skipped.');
  });

  it('--dry-run with a model says the model was not called because of --dry-run, and does not call it', async () => {
    const before = hits[500];
    const result = await harden(project(), [VIEWS_PATH, '--dry-run', '--model-url', failing500.baseUrl, '--model', 'test-model']);
    expect(result.code).toBe(0);
    expect(hits[500]).toBe(before);
    expect(lastLine(result.stdout)).toBe(
      `1 targets, 0 skipped. Precedent mode: --dry-run, so the model (test-model at ${failing500.baseUrl}) was not called. Drop --dry-run to get suggestions.`,
    );
    expect(result.stdout).not.toContain('no model configured');
  });

  it('1 for --write or --patch without suggestions to write (no model, or --dry-run)', async () => {
    const noModel = await harden(project(), [VIEWS_PATH, '--write']);
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toBe('seccoder: --write writes suggestions, which need a model: pass --model-url and --model\n');
    const dryRun = await harden(project(), [VIEWS_PATH, '--dry-run', '--patch', 'x.patch']);
    expect(dryRun.code).toBe(1);
    expect(dryRun.stderr).toBe('seccoder: --patch writes suggestions, and --dry-run asks the model for none\n');
  });
});

describe('seccoder harden says why a file gave no target (on stderr)', () => {
  it('a binary file and a file with syntax errors (with the first problem)', async () => {
    const dir = project();
    writeFileSync(join(dir, 'app', 'blob.py'), Buffer.from([0x64, 0x65, 0x66, 0x00, 0x01, 0x02]));
    writeFileSync(join(dir, 'app', 'broken.py'), 'def broken(:\n    return (\n');
    const result = await harden(dir, ['app/blob.py', 'app/broken.py']);
    expect(result.code).toBe(0);
    expect(stderrLines(result)).toEqual([
      'skipped app/blob.py: binary-file (the file holds NUL bytes)',
      expect.stringMatching(/^skipped app\/broken\.py: parse-error \(not parsed, no function could be read; line 1, column \d+: (unexpected|missing) .+\)$/),
    ]);
    expect(lastLine(result.stdout)).toMatch(/^0 targets, 2 skipped\. Precedent mode: no model configured\./);
  });

  it('a diff whose hunks do not match the file (made against another version)', async () => {
    const dir = repository(TWO);
    writeFileSync(join(dir, VIEWS_PATH), TWO.replace(ORDER_QUERY, 'conn.execute("SELECT id FROM orders WHERE id = " + order_id)'));
    writeFileSync(join(dir, 'change.diff'), git(dir, 'diff'));
    // The file moved on since: two lines more at the top.
    writeFileSync(join(dir, VIEWS_PATH), `# -*- coding: utf-8 -*-\n# views\n${readFileSync(join(dir, VIEWS_PATH), 'utf8')}`);
    const result = await harden(dir, [VIEWS_PATH, '--diff', 'change.diff']);
    expect(result.code).toBe(0);
    expect(stderrLines(result)).toEqual([
      expect.stringMatching(
        /^skipped app\/views\.py: diff-not-applicable \(the diff's hunks do not match the file's lines: line \d+ is ".*" in the file, ".*" in the diff \(was the diff made against another version\?\)\)$/,
      ),
    ]);
    expect(lastLine(result.stdout)).toMatch(/^0 targets, 1 skipped\./);
  });

  it('a file the diff does not change, naming the paths the diff has (here: run from another folder)', async () => {
    const dir = repository(TWO);
    writeFileSync(join(dir, VIEWS_PATH), TWO.replace(ORDER_QUERY, 'conn.execute("SELECT id FROM orders WHERE id = " + order_id)'));
    writeFileSync(join(dir, 'change.diff'), git(dir, 'diff'));
    const result = await runCli(['harden', 'views.py', '--diff', '../change.diff', '--corpus', corpus], { cwd: join(dir, 'app'), env: ENV });
    expect(result.code).toBe(0);
    expect(stderrLines(result)).toEqual([
      'skipped views.py: not-in-diff (the diff changes app/views.py; app/views.py looks like this file (paths are compared as the diff writes them, from the repository root))',
      'skipped app/views.py: unsupported-file (file content not provided)',
    ]);
  });

  it('1 for a --diff that holds no change', async () => {
    const dir = project();
    writeFileSync(join(dir, 'notes.txt'), 'not a diff\n');
    const result = await harden(dir, [VIEWS_PATH, '--diff', 'notes.txt']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('seccoder: notes.txt holds no file change (give a unified diff, e.g. the output of git diff)\n');
  });
});

describe('seccoder harden --sarif', () => {
  const SARIF = readFileSync(new URL('../fixtures/review/views.sarif', import.meta.url), 'utf8');
  const EMPTY_SARIF = JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'CodeQL', rules: [] } }, results: [] }] });

  it('hardens the function the alert points into, with its CWE', async () => {
    const dir = project();
    writeFileSync(join(dir, 'views.sarif'), SARIF);
    const result = await harden(dir, [VIEWS_PATH, '--sarif', 'views.sarif']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('== app/views.py:8-13 user_by_email (alert: py/sql-injection (CWE-89))');
  });

  it('hardens nothing when the SARIF has no results, and says so', async () => {
    const dir = project(TWO);
    writeFileSync(join(dir, 'empty.sarif'), EMPTY_SARIF);
    const result = await harden(dir, [VIEWS_PATH, '--sarif', 'empty.sarif']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('0 targets: no alerts in empty.sarif, so nothing was hardened (without --sarif, every function of the files is a target).\n');
    const json = await harden(dir, [VIEWS_PATH, '--sarif', 'empty.sarif', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ targets: [], note: expect.stringMatching(/^no alerts in empty\.sarif/) });
  });

  it('1 when no alert points into the files given (the paths do not line up), naming the alert and the files', async () => {
    const dir = project();
    writeFileSync(join(dir, 'app', 'other.py'), 'def other():\n    return 1\n');
    writeFileSync(join(dir, 'views.sarif'), SARIF);
    const result = await harden(dir, ['app/other.py', '--sarif', 'views.sarif']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'seccoder: SARIF alert py/sql-injection (line 12) points to app/views.py, and no alert points into the files given: app/other.py ' +
        '(pass the files the alerts point into, named from the folder the SARIF paths start at)\n',
    );
  });

  it('a SARIF for the whole repository: the alerts of files not given are left out, and it says so', async () => {
    const dir = project();
    const sarif = JSON.parse(SARIF) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const elsewhere = structuredClone(sarif.runs[0]!.results[0]!);
    elsewhere.locations[0]!.physicalLocation.artifactLocation.uri = 'lib/untouched.py';
    sarif.runs[0]!.results.push(elsewhere);
    writeFileSync(join(dir, 'repo.sarif'), JSON.stringify(sarif));
    const result = await harden(dir, [VIEWS_PATH, '--sarif', 'repo.sarif', '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/left out the alerts of 1 file\(s\) not given: lib\/untouched\.py/);
    expect(JSON.parse(result.stdout).targets).toEqual([expect.objectContaining({ path: VIEWS_PATH, function: 'user_by_email' })]);
  });

  it('1 for an alert past the end of its file (a SARIF of another version of it)', async () => {
    const dir = project('def user_by_email(email):\n    return email\n');
    writeFileSync(join(dir, 'views.sarif'), SARIF);
    const result = await harden(dir, [VIEWS_PATH, '--sarif', 'views.sarif']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^seccoder: SARIF alert py\/sql-injection points to line 12 of app\/views\.py, which has 2 lines \(/);
  });
});

describe('seccoder harden --progress', () => {
  const MANY = ['import os', '', ...[1, 2, 3, 4].flatMap((n) => [`def f${n}(path):`, `    return os.system("rm " + path + "${n}")`, ''])].join('\n');

  it('prints [i/n] path:function on stderr for each of more than 3 targets, and nothing without a terminal or --progress', async () => {
    const dir = project();
    writeFileSync(join(dir, 'app', 'many.py'), MANY);
    const result = await harden(dir, ['app/many.py', '--progress']);
    expect(result.code).toBe(0);
    const lines = stderrLines(result);
    expect(lines).toHaveLength(4);
    lines.forEach((line, index) => expect(line).toMatch(new RegExp(`^\\[${index + 1}/4\\] app/many\\.py:f[1-4]$`)));
    expect(new Set(lines.map((line) => line.split(':')[1]))).toEqual(new Set(['f1', 'f2', 'f3', 'f4']));

    expect((await harden(dir, ['app/many.py'])).stderr).toBe('');
    // Three targets or fewer: no progress even when asked.
    expect((await harden(dir, [VIEWS_PATH, '--progress'])).stderr).toBe('');
  });
});

describe('seccoder harden --patch and --write', () => {
  let server: LocalServer;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    server = await startLocalServer((_req, body, res) => {
      const fn = functionAsked(body);
      if (fn === 'user_by_email') return sendJson(res, 200, chatCompletion(fencedReply(ORIGINAL_FUNCTION.replace(VULNERABLE_LINE, TWO_LINE_FIX))));
      if (fn === 'order') return sendJson(res, 200, chatCompletion(fencedReply(ORDER_FUNCTION.replace(ORDER_QUERY, ORDER_FIXED_QUERY))));
      sendJson(res, 404, { error: { message: `no reply for ${fn}` } });
    });
  });
  afterAll(async () => {
    await server.close();
    nock.enableNetConnect();
  });

  const run = (dir: string, extra: string[]) => harden(dir, [VIEWS_PATH, '--model-url', server.baseUrl, '--model', 'test-model', '--samples', '1', ...extra]);

  it('--patch writes one patch of every suggestion that git apply takes', async () => {
    const dir = repository(TWO);
    const result = await run(dir, ['--patch', 'fix.patch']);
    expect(result.code).toBe(0);
    expect(lastLine(result.stdout)).toBe('2 targets, 2 suggestions from test-model, 0 skipped.');
    expect(result.stderr).toBe('wrote a patch of 2 suggestions to fix.patch (git apply fix.patch)\n');
    // The file itself is untouched.
    expect(readFileSync(join(dir, VIEWS_PATH), 'utf8')).toBe(TWO);
    git(dir, 'apply', '--check', 'fix.patch');
    git(dir, 'apply', 'fix.patch');
    expect(readFileSync(join(dir, VIEWS_PATH), 'utf8')).toBe(FIXED_TWO);
  });

  it('--write applies every suggestion in place, bottom-up so the line numbers hold, keeping the file mode', async () => {
    const dir = project(TWO);
    const path = join(dir, VIEWS_PATH);
    const { chmodSync } = await import('node:fs');
    chmodSync(path, 0o640);
    const result = await run(dir, ['--write']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('wrote 2 suggestions to app/views.py\n');
    expect(readFileSync(path, 'utf8')).toBe(FIXED_TWO);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    // No temp file left beside it.
    expect(
      execFileSync('ls', ['-a', join(dir, 'app')], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .sort(),
    ).toEqual(['.', '..', 'views.py']);
  });
});
