// A real, throwaway redis-server for tests: on a free loopback port, without persistence, started
// as a child process of the test (not daemonized, so stopping it is certain), ready once it answers
// PING. Generic: any test (unit or end to end) may start one or several. A missing redis-server
// fails the test with how to install it; it is never skipped.
import { freePort } from '../../bench/stand-in/processes.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export const REDIS_SERVER_BINARY = '/usr/bin/redis-server';

export interface RedisServerOptions {
  /** Default /usr/bin/redis-server. */
  binary?: string;
  /** More `redis-server` arguments (`['--maxmemory', '64mb']`). */
  args?: readonly string[];
  /** How long it may take to answer PING. Default 15 s. */
  startTimeoutMs?: number;
}

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  pid: number;
  /** Sends `signal` to the server (SIGSTOP / SIGCONT freeze and thaw it). */
  signal(signal: NodeJS.Signals): void;
  /** Kills the server (SIGKILL: no persistence to flush) and resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

/** A port free on 127.0.0.1 right now (the bench's helper, shared). */
export const freeLoopbackPort = freePort;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One PING over a fresh connection that never retries; true when it answers PONG. */
async function answersPing(port: number): Promise<boolean> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 1_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * A shell loop that SIGKILLs the server once this process is gone (a test run killed by a timeout
 * or SIGKILL runs no exit hook), and ends by itself once the server is gone.
 */
const WATCHDOG = 'while kill -0 "$1" 2>/dev/null; do kill -0 "$2" 2>/dev/null || exit 0; sleep 1; done; kill -9 "$2" 2>/dev/null';

/** Every server started and not yet stopped: killed when the test process exits. */
const live = new Set<ChildProcess>();
let exitHook = false;
function killOnExit(child: ChildProcess): void {
  live.add(child);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const server of live) server.kill('SIGKILL');
  });
}

/** Starts a redis-server on a free loopback port, without persistence, and waits until it answers PING. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = options.binary ?? REDIS_SERVER_BINARY;
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: these tests need a real Redis. Install it with \`apt-get install redis-server\` (Debian/Ubuntu).`);
  }
  // Another process may take the port between the probe and redis' bind: try a few ports.
  let lastError: unknown;
  for (let tries = 0; tries < 3; tries++) {
    const port = await freeLoopbackPort();
    try {
      return await startOn(binary, port, options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOn(binary: string, port: number, options: RedisServerOptions): Promise<RedisServer> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...(options.args ?? [])];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  killOnExit(child);
  const watchdog =
    child.pid === undefined ? undefined : spawn('sh', ['-c', WATCHDOG, 'redis-watchdog', String(process.pid), String(child.pid)], { stdio: 'ignore' });
  watchdog?.on('error', () => undefined);
  watchdog?.unref();
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      spawnError = error;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      live.delete(child);
      resolve();
    });
  });
  const stop = async () => {
    if (exit === undefined && spawnError === undefined) child.kill('SIGKILL');
    await exited;
    if (watchdog?.exitCode === null && watchdog.signalCode === null) watchdog.kill('SIGKILL');
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  for (;;) {
    if (spawnError) throw new Error(`could not start ${binary}: ${spawnError.message}`, { cause: spawnError });
    if (exit) throw new Error(`${binary} on port ${port} exited (${exit.signal ?? `code ${exit.code}`}) before answering PING:\n${output.trim()}`);
    if (await answersPing(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${binary} on port ${port} did not answer PING within ${options.startTimeoutMs ?? 15_000} ms:\n${output.trim()}`);
    }
    await sleep(25);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${binary} has no pid`);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid,
    signal: (signal) => {
      if (exit === undefined) child.kill(signal);
    },
    stop,
  };
}

/**
 * A redis-server for the tests of one file: started before them, stopped after them. When it
 * cannot start (no redis-server installed), every test of the file fails with why, none is skipped.
 * Returns the server (call it inside a test or hook).
 */
export function useRedisServer(options: RedisServerOptions = {}): () => RedisServer {
  let server: RedisServer | undefined;
  let failure: unknown;
  beforeAll(async () => {
    try {
      server = await startRedisServer(options);
    } catch (error) {
      failure = error;
    }
  }, 30_000);
  beforeEach(() => {
    if (failure !== undefined) throw failure;
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (server) return server;
    throw failure instanceof Error ? failure : new Error('the redis-server of this file has not started');
  };
}
