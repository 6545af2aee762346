// `seccoder harden` as a user runs it: the built binary in a child process, on a Flask file in a
// temp folder, with a small temp corpus; precedent mode, a real local model server, --diff.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
    expect(lines[3]).toMatch(/^prompt it would send \(chat, ~\d+ tokens\):$/);
    expect(lines[4]).toBe('--- system ---');
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
        'Rewrites `user_by_email` to remove CWE-89.',
      ].join('\n'),
    );
    expect(lines).toContain('Rewrites `user_by_email` to remove CWE-89.');
    expect(result.stdout).not.toContain('prompt it would send');
    expect(lastLine(result.stdout)).toBe('1 targets, 1 suggestions from test-model, 0 skipped.');

    const start = lines.indexOf('--- a/app/views.py');
    const end = lines.indexOf('Rewrites `user_by_email` to remove CWE-89.');
    const patch = join(dir, 'fix.patch');
    writeFileSync(patch, `${lines.slice(start, end).join('\n')}\n`);
    execFileSync('git', ['apply', '--check', patch], { cwd: dir });
  });
});
