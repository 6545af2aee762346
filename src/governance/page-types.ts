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
  /** Shown to readers who may not write: why not, and what would let them (e.g. `--corpus DIR` for `corpus serve`). */
  readOnlyNote?: string;
  /**
   * Told of every failure the page answered 500 for (the corpus unreadable, a bug), so the server
   * can log it; the reader sees only a one-line message. Default: nothing.
   */
  onError?: (error: unknown) => void;
  /**
   * A cheap token that changes whenever the corpus, its audit trail or its feedback changes (for a
   * folder: each file's size, modification time and inode, see store-version.ts). With it the page
   * keeps the last snapshot it read and reads again only when the token differs: parsing a
   * 10,000-entry corpus (each entry validated, its hash checked) is most of a request's time.
   * Default: none, so every request reads.
   */
  version?: () => Promise<string>;
}

/**
 * Answers one request under the page's base path (`subPath` is what follows it, e.g. `/entries`,
 * `/api/coverage`); answers 404 for paths it does not know.
 */
export type CorpusPageHandler = (request: IncomingMessage, response: ServerResponse, access: PageAccess, subPath: string) => Promise<void>;
