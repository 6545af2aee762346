// Retire and restore, from the page's forms (POST /entries/<id>/retire|restore, answered with 303
// to the entry page) and from the JSON API (POST /api/entries/<id>/retire|restore, answered with
// the audit record). Each guard answers on its own: 403 for a reader who may not write (before a
// byte of the body is read), 415 for another body type, 413 for a body over the cap, 403 without
// the session's CSRF token, 400 for a body zod refuses, 404 for an unknown entry and 409 for one
// already in the asked state. The change itself is retireEntry/restoreEntry, audited with the
// reader as actor.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { RetirementError, retireEntry, restoreEntry } from '../corpus/retirement.js';
import { describeIssues } from '../text/zod-issues.js';
import type { CorpusPageOptions, PageAccess } from './page-types.js';
import { csrfTokenMatches } from './csrf.js';
import { entryPath, MAX_REASON_CHARS } from './entry-card.js';
import { html } from './html.js';
import { layout } from './layout.js';
import { readBody } from './request-body.js';
import { sendHtml, sendJson, sendRedirect } from './responses.js';

export type WriteAction = 'retire' | 'restore';

const bodySchemas = {
  retire: z.object({ reason: z.string().trim().min(1, 'a reason is required: the audit trail keeps it').max(MAX_REASON_CHARS) }),
  restore: z.object({ reason: z.string().trim().max(MAX_REASON_CHARS).optional() }),
};

export interface WriteRequest {
  request: IncomingMessage;
  response: ServerResponse;
  access: PageAccess;
  options: CorpusPageOptions;
  id: string;
  action: WriteAction;
  /** The JSON API (JSON in, JSON out) rather than the page's form. */
  api: boolean;
}

const FORM_TYPE = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

const mediaType = (request: IncomingMessage) => (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

function refuse(write: WriteRequest, status: number, message: string): void {
  const { request, response, options, access, id, api } = write;
  if (api) {
    sendJson(request, response, status, { error: message });
    return;
  }
  const back = id ? html`<p><a href="${entryPath(options.basePath, id)}">back to ${id}</a></p>` : '';
  sendHtml(
    request,
    response,
    status,
    layout({
      basePath: options.basePath,
      title: options.title ?? 'SecCoder corpus',
      heading: 'Not changed',
      current: 'entries',
      access,
      body: html`<h2>Not changed</h2>
        <p class="error">${message}</p>
        ${back}`,
    }),
  );
}

/** The body's fields and the CSRF token it carries, or why it cannot be read. */
function parseBody(write: WriteRequest, text: string): { ok: true; fields: unknown; token: string | undefined } | { ok: false; message: string } {
  const header = write.request.headers['x-csrf-token'];
  const headerToken = typeof header === 'string' ? header : undefined;
  if (!write.api) {
    const params = new URLSearchParams(text);
    const reason = params.get('reason');
    return { ok: true, fields: reason === null ? {} : { reason }, token: params.get('csrf') ?? headerToken };
  }
  try {
    return { ok: true, fields: text.trim() === '' ? {} : (JSON.parse(text) as unknown), token: headerToken };
  } catch {
    return { ok: false, message: 'the body is not JSON' };
  }
}

export async function handleWrite(write: WriteRequest): Promise<void> {
  const { request, response, access, options, id, action, api } = write;
  if (!access.canWrite) {
    refuse(write, 403, `${access.actor} may read the corpus but not retire or restore entries`);
    return;
  }
  const expected = api ? JSON_TYPE : FORM_TYPE;
  if (mediaType(request) !== expected) {
    refuse(write, 415, `send the body as ${expected}`);
    return;
  }
  const body = await readBody(request);
  if (!body.ok) {
    refuse(write, body.status, body.message);
    return;
  }
  const parsed = parseBody(write, body.text);
  if (!parsed.ok) {
    refuse(write, 400, parsed.message);
    return;
  }
  if (!csrfTokenMatches(access.csrfToken, parsed.token)) {
    refuse(write, 403, api ? 'missing or wrong x-csrf-token header' : 'the form carried no valid CSRF token: reload the page and try again');
    return;
  }
  const fields = bodySchemas[action].safeParse(parsed.fields);
  if (!fields.success) {
    refuse(write, 400, describeIssues(fields.error.issues));
    return;
  }
  const change = action === 'retire' ? retireEntry : restoreEntry;
  let record;
  try {
    record = await change(options.store, {
      id,
      actor: access.actor,
      via: { kind: api ? 'api' : 'page' },
      ...(fields.data.reason ? { reason: fields.data.reason } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  } catch (error) {
    if (!(error instanceof RetirementError)) throw error;
    // Only on this path is the corpus read again, to tell "no such entry" from "already so".
    const known = (await options.store.read()).entries.some((entry) => entry.id === id);
    refuse(write, known ? 409 : 404, error.message);
    return;
  }
  if (api) sendJson(request, response, 200, { record, status: action === 'retire' ? 'retired' : 'live' });
  else sendRedirect(request, response, entryPath(options.basePath, id));
}
