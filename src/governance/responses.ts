// Every answer of the page goes out through here, so every one carries the same headers: a
// Content-Security-Policy that allows nothing but the page's own inline style and forms posting
// back to itself (no script can run even if markup slipped through), no framing, no sniffing, no
// referrer to other sites, and no caching (the corpus changes under a retire, and a shared cache
// must never keep one org's corpus).
import type { IncomingMessage, ServerResponse } from 'node:http';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

function send(request: IncomingMessage, response: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(body, 'utf8');
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': String(bytes.length), ...headers });
  // HEAD answers what GET would, without the body.
  response.end(request.method === 'HEAD' ? undefined : bytes);
}

export function sendHtml(request: IncomingMessage, response: ServerResponse, status: number, page: string, headers?: Record<string, string>): void {
  send(request, response, status, 'text/html; charset=utf-8', page, headers);
}

export function sendJson(request: IncomingMessage, response: ServerResponse, status: number, value: unknown, headers?: Record<string, string>): void {
  send(request, response, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`, headers);
}

/** 303 See Other: after a form's POST, the browser GETs `location`. */
export function sendRedirect(request: IncomingMessage, response: ServerResponse, location: string): void {
  send(request, response, 303, 'text/plain; charset=utf-8', `See ${location}\n`, { location });
}
