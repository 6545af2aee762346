// A stand-in OpenAI-compatible code model on a loopback port: POST /v1/chat/completions answers
// `n` choices after a set latency, each written by a reply function from the function SecCoder
// asked it to harden. Built-in replies: `secure` (the SQL query parameterized, the rest of the
// function unchanged: what a good model answers for the Flask fixture) and `hostile` (code outside
// the function, the decorators deleted, a helper added: what the App must never suggest). It
// counts requests and how many were in flight at once, and lets a test wait for the n-th request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a reply function is given: the request, and the function to harden as the prompt quotes it. */
export interface ModelRequest {
  /** 1-based, in order of arrival. */
  number: number;
  model: string;
  messages: { role: string; content: string }[];
  n: number;
  /** The function quoted under "The function:" in the last user message, or undefined. */
  functionCode: string | undefined;
  /** The name in "- Function: `name`", or undefined. */
  functionName: string | undefined;
}

/** The assistant's content for choice `index` (0-based) of a request. */
export type ReplyFunction = (request: ModelRequest, index: number) => string;

export interface StandInModelOptions {
  /** Milliseconds before each answer. Default 0. */
  latencyMs?: number;
  /** `secure`, `hostile`, or a function. Default `secure`. */
  reply?: 'secure' | 'hostile' | ReplyFunction;
}

export interface ModelStats {
  /** Requests received (answered or not). */
  requests: number;
  /** Requests answered (a client that went away mid-request is not answered). */
  answered: number;
  /** In flight now. */
  inFlight: number;
  /** Most requests in flight at once so far. */
  maxConcurrent: number;
}

export interface StandInModel {
  /** `http://127.0.0.1:<port>/v1`, the App's `SECCODER_MODEL_URL`. */
  url: string;
  stats(): ModelStats;
  /** Every request in order of arrival. */
  readonly received: ModelRequest[];
  /** Resolves once `count` requests have arrived (default 1); rejects after `timeoutMs` (default 60 s). */
  waitForRequests(count?: number, timeoutMs?: number): Promise<void>;
  setLatency(ms: number): void;
  setReply(reply: NonNullable<StandInModelOptions['reply']>): void;
  /** Zeroes the counters (not `received`). */
  resetStats(): void;
  close(): Promise<void>;
}

/** The function under "The function:" in a SecCoder prompt (the fenced block right after it). */
export function quotedFunction(prompt: string): string | undefined {
  const at = prompt.lastIndexOf('The function:');
  if (at === -1) return undefined;
  const rest = prompt.slice(at).split('\n');
  const open = rest.findIndex((line) => /^(`{3,}|~{3,})/.test(line));
  if (open === -1) return undefined;
  const fence = /^(`{3,}|~{3,})/.exec(rest[open] ?? '')?.[1] ?? '```';
  const close = rest.findIndex((line, index) => index > open && line === fence);
  if (close === -1) return undefined;
  return rest.slice(open + 1, close).join('\n');
}

/**
 * The function with every query built by concatenating a value between quotes
 * (`"... = '" + email + "'"`) parameterized (`"... = ?", (email,)`); anything else unchanged.
 */
export function parameterizeQueries(code: string): string {
  return code.replace(/"([^"\n]*?)'"\s*\+\s*([^+\n]+?)\s*\+\s*"'"\)/g, (_match, query: string, value: string) => `"${query}?", (${value.trim()},))`);
}

/** A reply as models write it: prose around one fenced python block. */
export function fencedPython(code: string): string {
  return `Here is the hardened function:\n\n\`\`\`python\n${code}\n\`\`\`\n\nThe query is parameterized now.`;
}

/** The secure rewrite: the same function with its queries parameterized. */
export const secureReply: ReplyFunction = (request) => fencedPython(parameterizeQueries(request.functionCode ?? ''));

/**
 * A rewrite no reviewer should be offered: an import and a helper outside the function, the
 * decorators deleted, the query still fixed (so only the shape is wrong).
 */
export const hostileReply: ReplyFunction = (request) => {
  const body = parameterizeQueries(request.functionCode ?? '')
    .split('\n')
    .filter((line) => !/^\s*@/.test(line))
    .join('\n');
  return fencedPython(`import os\n\n${body}\n\n\ndef run_anything(command):\n    return os.system(command)\n`);
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseRequest(raw: string, number: number): ModelRequest | undefined {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { model, messages, n } = body as Record<string, unknown>;
  if (!Array.isArray(messages)) return undefined;
  const chat = messages.filter(
    (message): message is { role: string; content: string } => typeof message?.role === 'string' && typeof message?.content === 'string',
  );
  const lastUser = [...chat].reverse().find((message) => message.role === 'user')?.content ?? '';
  return {
    number,
    model: typeof model === 'string' ? model : '',
    messages: chat,
    n: typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 1,
    functionCode: quotedFunction(lastUser),
    functionName: /^- Function: `([^`]+)`/m.exec(lastUser)?.[1],
  };
}

export async function startStandInModel(options: StandInModelOptions = {}): Promise<StandInModel> {
  let latencyMs = options.latencyMs ?? 0;
  const pick = (reply: NonNullable<StandInModelOptions['reply']>): ReplyFunction =>
    reply === 'secure' ? secureReply : reply === 'hostile' ? hostileReply : reply;
  let reply = pick(options.reply ?? 'secure');
  const received: ModelRequest[] = [];
  const stats: ModelStats = { requests: 0, answered: 0, inFlight: 0, maxConcurrent: 0 };
  const waiters: { count: number; resolve: () => void }[] = [];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (request.method !== 'POST' || path !== '/v1/chat/completions') {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${request.method} ${path}` } }));
      return;
    }
    const parsed = parseRequest(await readBody(request), received.length + 1);
    if (!parsed) {
      response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'the body is not a chat request' } }));
      return;
    }
    received.push(parsed);
    stats.requests += 1;
    stats.inFlight += 1;
    stats.maxConcurrent = Math.max(stats.maxConcurrent, stats.inFlight);
    for (const waiter of waiters.filter((w) => received.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    try {
      await sleep(latencyMs);
      if (response.destroyed || request.socket.destroyed) return;
      const choices = Array.from({ length: parsed.n }, (_, index) => ({
        index,
        message: { role: 'assistant', content: reply(parsed, index) },
        finish_reason: 'stop',
      }));
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `chatcmpl-standin-${parsed.number}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: parsed.model,
          choices,
          usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        }),
      );
      stats.answered += 1;
    } finally {
      stats.inFlight -= 1;
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `stand-in model bug: ${error instanceof Error ? error.message : String(error)}` } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    stats: () => ({ ...stats }),
    received,
    waitForRequests(count = 1, timeoutMs = 60_000) {
      if (received.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`the stand-in model got ${received.length} of ${count} requests within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    setReply: (next) => {
      reply = pick(next);
    },
    resetStats: () => {
      Object.assign(stats, { requests: 0, answered: 0, maxConcurrent: stats.inFlight });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
