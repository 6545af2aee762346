// Webhook deliveries as GitHub sends them to the App: a `pull_request` payload for a stand-in pull
// request, signed with the webhook secret (`x-hub-signature-256: sha256=<hmac of the body>`), with
// `x-github-event` and `x-github-delivery`, and the time the App took to answer.
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StoredPullRequest } from './github.js';

export interface Delivery {
  /** `x-github-delivery`: the same id again is a redelivery. */
  id: string;
  /** `x-github-event` */
  name: string;
  payload: object;
}

export interface DeliveryResult {
  id: string;
  status: number;
  /** Milliseconds from sending the first byte to the end of the answer. */
  ms: number;
  body: string;
}

/** `x-hub-signature-256` of `body` under `secret`. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A `pull_request` event for a stand-in pull request, as GitHub would send it (the fields the App reads, and a few more). */
export function pullRequestEvent(
  pull: StoredPullRequest,
  action: 'opened' | 'synchronize' | 'reopened' | 'ready_for_review' | 'closed',
  installationId: number,
  options: { before?: string } = {},
): object {
  const repository = {
    id: 100_000,
    name: pull.repo,
    full_name: `${pull.owner}/${pull.repo}`,
    private: true,
    owner: { login: pull.owner, id: 1, type: 'Organization' },
    default_branch: 'main',
  };
  return {
    action,
    number: pull.number,
    ...(action === 'synchronize' ? { before: options.before ?? pull.baseSha, after: pull.headSha } : {}),
    pull_request: {
      id: pull.number * 10_007,
      number: pull.number,
      state: pull.state,
      draft: pull.draft,
      merged: false,
      merge_commit_sha: null,
      title: pull.title,
      user: pull.author,
      head: { ref: pull.headRef, sha: pull.headSha, repo: repository },
      base: { ref: 'main', sha: pull.baseSha, repo: repository },
    },
    repository,
    sender: pull.author,
    installation: { id: installationId, node_id: `MDIzOkludGVncmF0aW9u${installationId}` },
  };
}

/** A new delivery of an event (a fresh delivery id unless one is given). */
export function delivery(name: string, payload: object, id: string = randomUUID()): Delivery {
  return { id, name, payload };
}

/** POSTs one signed delivery to the App's webhook URL; resolves with the answer (never rejects on an HTTP status). */
export function deliver(webhookUrl: string, secret: string, event: Delivery): Promise<DeliveryResult> {
  const body = JSON.stringify(event.payload);
  const url = new URL(webhookUrl);
  return new Promise<DeliveryResult>((resolve, reject) => {
    const started = performance.now();
    const request = httpRequest(
      {
        hostname: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        // A fresh connection per delivery, as GitHub's senders do.
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'GitHub-Hookshot/stand-in',
          'x-github-event': event.name,
          'x-github-delivery': event.id,
          'x-hub-signature-256': signature(secret, body),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ id: event.id, status: response.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Warms this process's HTTP client (two bursts of `count` deliveries to a sink that answers 202 at
 * once), so that a measured burst times the App, not the first use of the sender's code paths.
 * Measured cold, the sender alone adds ~80 ms to the p99 of 50 concurrent deliveries.
 */
export async function warmUpSender(count = 50, rounds = 2): Promise<void> {
  const sink = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(202).end());
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const { port } = sink.address() as AddressInfo;
  try {
    for (let round = 0; round < rounds; round += 1) {
      await Promise.all(
        Array.from({ length: count }, (_, i) => deliver(`http://127.0.0.1:${port}/`, 'warm-up', delivery('ping', { zen: 'Keep it logically awesome.', i }))),
      );
    }
  } finally {
    await new Promise<void>((resolve) => sink.close(() => resolve()));
  }
}
