// The processes of an end-to-end run, each on a free loopback port: a throwaway redis-server (no
// persistence), the App's webhook server (`dist/src/github/main.js`) and its workers
// (`dist/src/github/worker-main.js`), started from the built `dist/` with the environment the App
// reads, their output kept in a log file per process, and stopped (or SIGKILLed) by their own pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (where package.json is), found from this file in bench/ or dist/bench/. */
export function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const APP_ENTRY = 'dist/src/github/main.js';
export const WORKER_ENTRY = 'dist/src/github/worker-main.js';
export const REDIS_SERVER = '/usr/bin/redis-server';

/** A port free on 127.0.0.1 right now (the OS's pick for port 0). */
export async function freePort(): Promise<number> {
  return new Promise<number>((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolveSleep) => setTimeout(resolveSleep, ms));

/** Polls `check` every `everyMs` until it returns true; throws `what` after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** One process started here, its output appended to `logFile`. */
export class ManagedProcess {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    const log = createWriteStream(logFile, { flags: 'a' });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    this.exited = new Promise((resolveExit) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        // Let the pipes drain before the log closes.
        setTimeout(() => log.end(), 50);
        resolveExit({ code, signal });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.#exit === undefined;
  }

  /** The process's output so far. */
  output(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** The last `lines` lines of output, for an error message. */
  tail(lines = 40): string {
    return this.output().trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** SIGKILL now (a crash: no shutdown handler runs); resolves once it has exited. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** A folder for the run's logs (and anything else it writes); `cleanup` removes it. */
export function runFolder(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Resolves once a TCP connection to 127.0.0.1:`port` succeeds (or throws after `timeoutMs`). */
async function waitForPort(port: number, process: ManagedProcess, timeoutMs: number): Promise<void> {
  await waitUntil(
    () => {
      if (!process.running) throw new Error(`${process.name} exited before listening on ${port}:\n${process.tail()}`);
      return new Promise<boolean>((answer) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          answer(true);
        });
        socket.once('error', () => answer(false));
      });
    },
    `${process.name} to listen on ${port}`,
    timeoutMs,
    50,
  );
}

export interface RedisServer {
  url: string;
  port: number;
  process: ManagedProcess;
  /** Sends one command; resolves with the first line of the reply (`+OK`, `:1`, `-ERR ...`). */
  command(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** One Redis command over a fresh connection, in RESP; the first line of the reply. */
function redisCommand(port: number, args: readonly string[]): Promise<string> {
  return new Promise<string>((answer, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error(`redis on ${port} did not answer ${args[0] ?? ''}`)));
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      const end = reply.indexOf('\r\n');
      if (end === -1) return;
      socket.end();
      answer(reply.slice(0, end));
    });
    socket.write(`*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`);
  });
}

/** A redis-server on a free loopback port, without persistence (`--save '' --appendonly no`). */
export async function startRedis(logDir: string, options: { binary?: string } = {}): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn(
    options.binary ?? REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', logDir, '--protected-mode', 'yes'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const process = new ManagedProcess('redis-server', child, join(logDir, `redis-${port}.log`));
  await waitForPort(port, process, 15_000);
  return { url: `redis://127.0.0.1:${port}`, port, process, command: (...args) => redisCommand(port, args), stop: () => process.stop(5_000) };
}

/** What every App process is given (`main.js` and `worker-main.js`). */
export interface AppEnvironment {
  appId: number;
  privateKey: string;
  /** The stand-in GitHub's `host` (`127.0.0.1:<port>`); the protocol is http. */
  githubHost: string;
  modelUrl: string;
  modelName: string;
  redisUrl: string;
  corpusDir: string;
  /** `SECCODER_JOB_LOCK_MS`: how long a job's lock lasts without renewal. Default: the App's. */
  jobLockMs?: number;
  /** Default `info`. */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** More variables, passed as they are. */
  extra?: Record<string, string>;
  /** Options for node itself, before the script (e.g. `--cpu-prof`, which NODE_OPTIONS does not take). */
  nodeArgs?: string[];
}

function environment(settings: AppEnvironment, port: number, workers: number): NodeJS.ProcessEnv {
  // Only what the App needs from this process's environment: no stray GITHUB_* or proxies.
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'NODE_OPTIONS'];
  const inherited = Object.fromEntries(keep.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]));
  return {
    ...inherited,
    APP_ID: String(settings.appId),
    PRIVATE_KEY: settings.privateKey,
    PORT: String(port),
    GHE_HOST: settings.githubHost,
    GHE_PROTOCOL: 'http',
    SECCODER_MODEL_URL: settings.modelUrl,
    SECCODER_MODEL: settings.modelName,
    // The stand-in model needs no key; an empty name turns a preset's key variable off.
    SECCODER_MODEL_API_KEY_ENV: '',
    REDIS_URL: settings.redisUrl,
    SECCODER_WORKERS: String(workers),
    SECCODER_CORPUS: settings.corpusDir,
    LOG_LEVEL: settings.logLevel ?? 'info',
    LOG_FORMAT: 'json',
    ...(settings.jobLockMs !== undefined ? { SECCODER_JOB_LOCK_MS: String(settings.jobLockMs) } : {}),
    ...settings.extra,
  };
}

export interface AppProcess {
  name: string;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  process: ManagedProcess;
}

function startNode(name: string, entry: string, env: NodeJS.ProcessEnv, logDir: string, nodeArgs: readonly string[] = []): ManagedProcess {
  const root = repositoryRoot();
  const script = resolve(root, entry);
  if (!existsSync(script)) throw new Error(`${entry} is not built: run \`npm run build\` first`);
  const child = spawn(process.execPath, [...nodeArgs, script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new ManagedProcess(name, child, join(logDir, `${name}.log`));
}

/** The App's webhook server (`node dist/src/github/main.js`) with SECCODER_WORKERS=`workers` (default 0: only enqueue). */
export async function startApp(
  name: string,
  settings: AppEnvironment & { webhookSecret: string },
  logDir: string,
  options: { workers?: number } = {},
): Promise<AppProcess> {
  const port = await freePort();
  const env = { ...environment(settings, port, options.workers ?? 0), WEBHOOK_SECRET: settings.webhookSecret };
  const process = startNode(name, APP_ENTRY, env, logDir, settings.nodeArgs);
  return { name, port, url: `http://127.0.0.1:${port}`, process };
}

/** A worker (`node dist/src/github/worker-main.js`) taking `workers` jobs at once (default 1). */
export async function startWorker(name: string, settings: AppEnvironment, logDir: string, options: { workers?: number } = {}): Promise<AppProcess> {
  const port = await freePort();
  const process = startNode(name, WORKER_ENTRY, environment(settings, port, options.workers ?? 1), logDir, settings.nodeArgs);
  return { name, port, url: `http://127.0.0.1:${port}`, process };
}

/** GET `url` once; the status, or undefined when nothing answers. */
async function status(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

/**
 * Resolves once the process answers GET /readyz with 200. A process that exits first, or is not
 * ready within `timeoutMs`, throws with the tail of its output. A worker that serves no HTTP at all
 * is taken as ready when its output has a line matching `readyLine` (when given).
 */
export async function waitForReady(app: AppProcess, timeoutMs = 90_000, readyLine?: RegExp): Promise<void> {
  try {
    await waitUntil(
      async () => {
        if (!app.process.running) throw new Error(`${app.name} exited before it was ready`);
        if ((await status(`${app.url}/readyz`)) === 200) return true;
        return readyLine !== undefined && readyLine.test(app.process.output());
      },
      `${app.name} to be ready (GET ${app.url}/readyz)`,
      timeoutMs,
      100,
    );
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- ${app.name} output ---\n${app.process.tail()}`, { cause: error });
  }
}

/** The JSON log lines of a process (LOG_FORMAT=json); other lines are skipped. */
export function logLines(process: ManagedProcess): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of process.output().split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A line cut off mid-write.
    }
  }
  return lines;
}

/** Jobs in the shared queue by state, from the process's /metrics (`seccoder_queue_jobs{state}`); undefined when it does not report them. */
export async function queueDepth(app: AppProcess): Promise<Record<string, number> | undefined> {
  let text: string;
  try {
    const response = await fetch(`${app.url}/metrics`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) return undefined;
    text = await response.text();
  } catch {
    return undefined;
  }
  const depth: Record<string, number> = {};
  for (const match of text.matchAll(/^seccoder_queue_jobs\{state="(\w+)"\} (\d+(?:\.\d+)?)$/gm)) depth[match[1] ?? ''] = Number(match[2]);
  return Object.keys(depth).length > 0 ? depth : undefined;
}

/**
 * Resolves once the queue has no job waiting, running or delayed (a retry waiting out its backoff
 * is delayed), as `app`'s /metrics reports it, and stays so for `quietMs`. Returns false at once
 * when the process reports no queue depth (nothing to wait on), true once drained.
 */
export async function waitForQueueDrained(app: AppProcess, timeoutMs = 120_000, quietMs = 1_000): Promise<boolean> {
  if ((await queueDepth(app)) === undefined) return false;
  let idleSince: number | undefined;
  await waitUntil(
    async () => {
      const depth = await queueDepth(app);
      const idle = depth !== undefined && Object.values(depth).every((count) => count === 0);
      if (!idle) idleSince = undefined;
      else idleSince ??= Date.now();
      return idleSince !== undefined && Date.now() - idleSince >= quietMs;
    },
    `${app.name}'s queue to drain`,
    timeoutMs,
    200,
  );
  return true;
}
