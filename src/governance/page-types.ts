// The contract between the corpus page (this folder: HTML and JSON over one corpus store) and
// whoever serves it: `seccoder corpus serve` on 127.0.0.1 for one operator, or the App behind
// GitHub sign-in. The server decides who is asking and what they may do; the page never does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorpusStore } from '../corpus/types.js';

/** Who is asking and what they may do, as the server decided it. */
export interface PageAccess {
  /** A GitHub login, or `cli:<os user>` for `corpus serve`; recorded in the audit trail for writes. */
  actor: string;
  /** May retire and restore. Readers without it see no write controls, and a write answers 403. */
  canWrite: boolean;
  /**
   * The token every write must carry (form field `csrf`, or header `x-csrf-token` on the JSON API),
   * bound to the session; a write without it answers 403.
   */
  csrfToken: string;
}

export interface CorpusPageOptions {
  store: CorpusStore;
  /** Path the page is mounted under, without a trailing slash: '' for `corpus serve`, `/corpus/acme` in the App. */
  basePath: string;
  /** Shown in the title (e.g. the org). */
  title?: string;
  /** Default: the clock. */
  now?: () => Date;
}

/**
 * Answers one request under the page's base path (`subPath` is what follows it, e.g. `/entries`,
 * `/api/coverage`); answers 404 for paths it does not know.
 */
export type CorpusPageHandler = (request: IncomingMessage, response: ServerResponse, access: PageAccess, subPath: string) => Promise<void>;
