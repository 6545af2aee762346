// `seccoder corpus serve` as a user runs it, in its own process: it prints the URL it serves,
// writes to a corpus of the user's and shows the bundled seed read-only, refuses a non-loopback
// --host in one line, and stops cleanly (exit 0) on SIGINT and SIGTERM. The command is bundled
// with esbuild into node_modules/.cache, so its imports resolve as they do in the package.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dir.js';
import { ROOT } from '../helpers/cli.js';
import { ENTRIES, writeFixture } from './fixture.js';
import { send } from './http.js';

const tempDir = useTempDirs();
const BUNDLE = join(ROOT, 'node_modules', '.cache', 'seccoder-governance-tests', `serve-cli-${process.pid}.mjs`);

beforeAll(async () => {
  mkdirSync(join(BUNDLE, '..'), { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'test', 'governance', 'serve-cli-entry.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: BUNDLE,
    logLevel: 'error',
  });
});
afterAll(() => rmSync(BUNDLE, { force: true }));

interface Running {
  child: ChildProcess;
  url: Promise<string>;
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function serveCli(args: string[], cwd: string): Running {
  const env = { ...process.env };
  delete env.SECCODER_CORPUS;
  const child = spawn(process.execPath, [BUNDLE, 'corpus', 'serve', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let found: (url: string) => void = () => {};
  const url = new Promise<string>((resolve) => (found = resolve));
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const match = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout);
    if (match?.[1]) found(match[1]);
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, url, exit };
}

describe('seccoder corpus serve', () => {
  it('serves a corpus of the user’s with write controls, prints its URL, and stops on SIGINT with exit 0', async () => {
    const dir = tempDir();
    writeFixture(dir);
    const running = serveCli(['--corpus', dir, '--port', '0'], tempDir());
    const base = await running.url;
    const page = await send(base, `/entries/${ENTRIES.sqlSeed.id}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<form class="write"');
    expect(page.body).toMatch(/cli(?::[^ <]+)? · may retire and restore/);
    running.child.kill('SIGINT');
    const { code, stdout, stderr } = await running.exit;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`corpus page for ${join(dir, 'corpus.jsonl')}: ${base}/`);
    expect(stdout).toContain('stopped (SIGINT)');
  });

  it('shows the bundled seed read-only, with the reason on the page, and stops on SIGTERM', async () => {
    const running = serveCli(['--port', '0'], tempDir());
    const base = await running.url;
    const page = await send(base, '/entries');
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('<form class="write"');
    expect(page.body).toMatch(/<p class="note">Read-only: no corpus to add to: .*--corpus DIR/);
    const coverage = await send(base, '/api/coverage');
    expect(JSON.parse(coverage.body).liveEntries).toBeGreaterThan(500);
    running.child.kill('SIGTERM');
    const { code, stdout } = await running.exit;
    expect(code).toBe(0);
    expect(stdout).toMatch(/corpus page for .*corpus\.jsonl \(read-only\): http/);
    expect(stdout).toContain('stopped (SIGTERM)');
  });

  it('refuses a non-loopback --host and a port that is none, in one line each', async () => {
    const host = await serveCli(['--host', '0.0.0.0', '--port', '0'], tempDir()).exit;
    expect(host.code).toBe(1);
    expect(host.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^seccoder: --host 0\.0\.0\.0 is not a loopback address/)]);
    const port = await serveCli(['--port', 'http'], tempDir()).exit;
    expect(port.code).toBe(1);
    expect(port.stderr.trim()).toBe('seccoder: --port must be an integer from 0 to 65535, got http');
  });
});
