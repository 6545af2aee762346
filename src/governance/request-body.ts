// The body of a write (a form's retire/restore, or the JSON API's), read only as far as it
// deserves: a declared length over the cap is refused unread, and a body that grows past it is cut
// off. A reason is a sentence, so 16 KiB is plenty.
import type { IncomingMessage } from 'node:http';

export const MAX_BODY_BYTES = 16 * 1024;

export type BodyResult = { ok: true; text: string } | { ok: false; status: 400 | 413; message: string };

export async function readBody(request: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<BodyResult> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes)
    return { ok: false, status: 413, message: `the body is ${declared} bytes, over the ${maxBytes}-byte limit` };
  const chunks: Buffer[] = [];
  // Events rather than `for await`: leaving an async iterator destroys the socket, and the sender
  // of an oversized body should still get its 413 before the connection closes.
  return new Promise<BodyResult>((resolve) => {
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      request.pause();
      chunks.length = 0;
      resolve({ ok: false, status: 413, message: `the body is over the ${maxBytes}-byte limit` });
    };
    request.on('data', onData);
    request.once('end', () => resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    request.once('error', (error) => resolve({ ok: false, status: 400, message: `the body could not be read: ${error.message}` }));
  });
}
