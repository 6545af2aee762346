// A webhook delivery's body, read only as far as it deserves: the headers are checked before any
// byte is read, a declared length over GitHub's cap is refused unread, the body is streamed into
// an HMAC while it arrives and cut off at the cap, and a body whose signature is not the webhook
// secret's is dropped before anything parses it. GitHub caps payloads at 25 MB.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** GitHub does not send webhook payloads larger than this (bytes). */
export const GITHUB_WEBHOOK_MAX_BYTES = 25 * 1024 * 1024;

export type WebhookBody = { ok: true; body: string } | { ok: false; status: 400 | 413; reason: string };

const SIGNATURE = /^sha256=[0-9a-f]{64}$/;

/** The body of a webhook POST, or the status to refuse it with and why. */
export async function readWebhookBody(request: IncomingMessage, secret: string, maxBytes = GITHUB_WEBHOOK_MAX_BYTES): Promise<WebhookBody> {
  const signature = request.headers['x-hub-signature-256'];
  if (typeof signature !== 'string' || !SIGNATURE.test(signature)) return { ok: false, status: 400, reason: 'no valid x-hub-signature-256 header' };
  if (typeof request.headers['x-github-event'] !== 'string' || typeof request.headers['x-github-delivery'] !== 'string') {
    return { ok: false, status: 400, reason: 'no x-github-event or x-github-delivery header' };
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, status: 413, reason: `declared ${declared} bytes, over ${maxBytes}` };

  const hmac = createHmac('sha256', secret);
  const chunks: Buffer[] = [];
  // Events rather than `for await`: leaving an async iterator destroys the socket, and the sender
  // of an oversized body should still get its 413 before the connection closes.
  const read = await new Promise<{ ok: true } | { ok: false; status: 400 | 413; reason: string }>((resolve) => {
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.off('data', onData);
        request.pause();
        chunks.length = 0;
        resolve({ ok: false, status: 413, reason: `over ${maxBytes} bytes` });
        return;
      }
      hmac.update(chunk);
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve({ ok: true }));
    request.once('error', (error) => resolve({ ok: false, status: 400, reason: `the body could not be read: ${error.message}` }));
  });
  if (!read.ok) return read;
  const expected = Buffer.from(`sha256=${hmac.digest('hex')}`);
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, status: 400, reason: 'signature does not match the webhook secret' };
  return { ok: true, body: Buffer.concat(chunks).toString('utf8') };
}
