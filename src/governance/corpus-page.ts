// The corpus page: HTML views and a JSON API over one corpus store, for whoever serves it
// (`seccoder corpus serve`, or the App behind GitHub sign-in, which decides the reader's access).
// Each request reads the corpus, its audit trail and its feedback once (a snapshot) and renders
// from that; reads answer GET and HEAD only, writes POST only, anything else 405. Unknown paths
// answer 404, and a failure answers 500 with one line (the server's onError hears the rest).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { userErrorLine } from '../errors/seccoder-error.js';
import { describeIssues } from '../text/zod-issues.js';
import type { CorpusPageHandler, CorpusPageOptions, PageAccess } from './page-types.js';
import { entryJson } from './api-json.js';
import { auditQueryInput, auditQuerySchema, selectAudit } from './audit-query.js';
import { auditView } from './audit-view.js';
import { coverageReport } from './coverage.js';
import { coverageView } from './coverage-view.js';
import { entriesView } from './entries-view.js';
import { entryQueryInput, entryQuerySchema, PAGE_SIZE, selectEntries } from './entry-query.js';
import { entryHistory, entrySuggestions, entryView } from './entry-view.js';
import { html, type SafeHtml } from './html.js';
import { layout, type Section } from './layout.js';
import { pendingProposals } from './pending.js';
import { pendingView } from './pending-view.js';
import { sendHtml, sendJson } from './responses.js';
import { readSnapshot, NO_ACCEPTANCE, type CorpusSnapshot } from './snapshot.js';
import { handleWrite, type WriteAction } from './writes.js';

type Route =
  | { kind: 'read'; view: 'coverage' | 'entries' | 'audit' | 'pending' | 'api-coverage' | 'api-entries' }
  | { kind: 'read'; view: 'entry' | 'api-entry'; id: string }
  | { kind: 'write'; id: string; action: WriteAction; api: boolean };

const STATIC_ROUTES: Record<string, Route> = {
  '/': { kind: 'read', view: 'coverage' },
  '/entries': { kind: 'read', view: 'entries' },
  '/audit': { kind: 'read', view: 'audit' },
  '/pending': { kind: 'read', view: 'pending' },
  '/api/coverage': { kind: 'read', view: 'api-coverage' },
  '/api/entries': { kind: 'read', view: 'api-entries' },
};

/** The id in a path segment; undefined when its escapes are malformed. */
function segment(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The route a path (the part after the base path, without its query) names; undefined for 404. */
export function routeOf(path: string): Route | undefined {
  const normalized = path === '' ? '/' : path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const fixed = STATIC_ROUTES[normalized];
  if (fixed) return fixed;
  const match = /^\/(api\/)?entries\/([^/]+)(?:\/(retire|restore))?$/.exec(normalized);
  const id = match?.[2] === undefined ? undefined : segment(match[2]);
  if (!match || !id) return undefined;
  const api = match[1] !== undefined;
  const action = match[3] as WriteAction | undefined;
  if (action) return { kind: 'write', id, action, api };
  return { kind: 'read', view: api ? 'api-entry' : 'entry', id };
}

interface Context {
  request: IncomingMessage;
  response: ServerResponse;
  access: PageAccess;
  options: CorpusPageOptions;
  params: URLSearchParams;
}

const isApi = (view: string) => view.startsWith('api-');

function sendPage(context: Context, status: number, heading: string, current: Section | undefined, body: SafeHtml, snapshot?: CorpusSnapshot): void {
  const { options, access } = context;
  const page = layout({
    basePath: options.basePath,
    title: options.title ?? 'SecCoder corpus',
    heading,
    ...(current ? { current } : {}),
    access,
    ...(options.readOnlyNote ? { readOnlyNote: options.readOnlyNote } : {}),
    ...(snapshot ? { snapshot } : {}),
    body,
  });
  sendHtml(context.request, context.response, status, page);
}

function sendError(context: Context, status: number, message: string, api: boolean): void {
  if (api) sendJson(context.request, context.response, status, { error: message });
  else
    sendPage(
      context,
      status,
      'Error',
      undefined,
      html`<h2>${status === 404 ? 'Not found' : 'Error'}</h2>
        <p class="error">${message}</p>`,
    );
}

/** Parses a view's query with its schema, or answers 400 and returns undefined. */
function parseQuery<T>(context: Context, schema: z.ZodType<T>, input: Record<string, string>, api: boolean): T | undefined {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  sendError(context, 400, `bad filter: ${describeIssues(parsed.error.issues)}`, api);
  return undefined;
}

async function read(context: Context, route: Extract<Route, { kind: 'read' }>, snapshot: CorpusSnapshot): Promise<void> {
  const { request, response, options, access, params } = context;
  const api = isApi(route.view);
  switch (route.view) {
    case 'coverage':
      return sendPage(context, 200, 'Coverage', 'coverage', coverageView(options.basePath, coverageReport(snapshot)), snapshot);
    case 'api-coverage':
      return sendJson(request, response, 200, coverageReport(snapshot));
    case 'entries':
    case 'api-entries': {
      const query = parseQuery(context, entryQuerySchema, entryQueryInput(params), api);
      if (!query) return;
      const page = selectEntries(snapshot, query);
      if (!api) return sendPage(context, 200, 'Entries', 'entries', entriesView(options.basePath, access, page), snapshot);
      return sendJson(request, response, 200, {
        filters: query,
        total: page.total,
        page: query.page,
        pages: page.pages,
        pageSize: PAGE_SIZE,
        entries: page.items.map(entryJson),
      });
    }
    case 'entry':
    case 'api-entry': {
      const entry = snapshot.byId.get(route.id);
      if (!entry) return sendError(context, 404, `no entry ${route.id} in this corpus`, api);
      if (!api) return sendPage(context, 200, entry.id, 'entries', entryView(options.basePath, access, snapshot, entry), snapshot);
      return sendJson(request, response, 200, {
        entry: entryJson({ entry, retired: snapshot.retired.has(entry.id), acceptance: snapshot.acceptance.get(entry.id) ?? NO_ACCEPTANCE }),
        history: entryHistory(snapshot, entry),
        suggestions: entrySuggestions(snapshot, entry),
      });
    }
    case 'audit': {
      const query = parseQuery(context, auditQuerySchema, auditQueryInput(params), false);
      if (!query) return;
      return sendPage(context, 200, 'Audit trail', 'audit', auditView(options.basePath, snapshot, selectAudit(snapshot.audit, query)), snapshot);
    }
    case 'pending':
      return sendPage(context, 200, 'Pending additions', 'pending', pendingView(pendingProposals(snapshot.audit)), snapshot);
  }
}

/**
 * The snapshot for a request: read anew, or, with a version token, the last one read while the
 * token is unchanged. The token is taken before reading, so a change during the read only makes
 * the next request read again, never serves an old snapshot under a new token.
 */
function snapshots(options: CorpusPageOptions): () => Promise<CorpusSnapshot> {
  const { version } = options;
  if (!version) return () => readSnapshot(options.store);
  let last: { token: string; snapshot: CorpusSnapshot } | undefined;
  return async () => {
    const token = await version();
    if (last?.token === token) return last.snapshot;
    const snapshot = await readSnapshot(options.store);
    last = { token, snapshot };
    return snapshot;
  };
}

export function createCorpusPage(options: CorpusPageOptions): CorpusPageHandler {
  const snapshot = snapshots(options);
  return async (request, response, access, subPath) => {
    const path = subPath.split('?')[0] ?? '';
    const route = routeOf(path);
    const api = path.startsWith('/api/');
    let params: URLSearchParams;
    try {
      params = new URL(request.url ?? '/', 'http://page.invalid').searchParams;
    } catch {
      params = new URLSearchParams();
    }
    const context: Context = { request, response, access, options, params };
    try {
      if (!route) return sendError(context, 404, `nothing at ${path || '/'}`, api);
      const method = request.method ?? 'GET';
      if (route.kind === 'write') {
        if (method !== 'POST') {
          response.setHeader('allow', 'POST');
          return sendError(context, 405, `${method} is not allowed here: POST only`, route.api);
        }
        return await handleWrite({ request, response, access, options, id: route.id, action: route.action, api: route.api });
      }
      if (method !== 'GET' && method !== 'HEAD') {
        response.setHeader('allow', 'GET, HEAD');
        return sendError(context, 405, `${method} is not allowed here: GET or HEAD only`, api);
      }
      return await read(context, route, await snapshot());
    } catch (error) {
      options.onError?.(error);
      if (response.headersSent) {
        response.destroy();
        return;
      }
      sendError(context, 500, userErrorLine(error) ?? 'the page failed (the server has logged why)', api);
    }
  };
}
