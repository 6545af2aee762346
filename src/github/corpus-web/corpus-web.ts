// The corpus page's routes put together for the App's server: access checks with the App's own
// clients, each org's corpus from the App's corpus provider, and the page from src/governance.
import type { CorpusPageHandler, CorpusPageOptions } from '../../governance/page-types.js';
import type { Logger } from '../../log/logger.js';
import type { CorpusProvider } from '../corpus-provider.js';
import { OrgAccess, type AppClient } from './org-access.js';
import { OrgCorpora } from './org-corpus.js';
import { createCorpusWebRoutes, type CorpusWebRoutes } from './routes.js';
import type { CorpusWebSettings } from './settings.js';

export interface CorpusWebOptions {
  settings: CorpusWebSettings;
  /** The App's clients: as itself (`app.auth()`), and as one installation (`app.auth(id)`). */
  github: { app: () => Promise<AppClient>; installation: (installationId: number) => Promise<AppClient> };
  corpus: CorpusProvider;
  page: (options: CorpusPageOptions) => CorpusPageHandler;
  log: Logger;
  /** Default: the clock. */
  now?: () => Date;
}

export function createCorpusWeb(options: CorpusWebOptions): CorpusWebRoutes {
  const { settings } = options;
  const { now } = options;
  const millis = now ? () => now().getTime() : Date.now;
  return createCorpusWebRoutes({
    settings,
    access: new OrgAccess({
      appClient: options.github.app,
      installationClient: options.github.installation,
      ...(settings.adminTeam ? { adminTeam: settings.adminTeam } : {}),
      now: millis,
    }),
    corpora: new OrgCorpora({ corpus: options.corpus, ...(settings.localCorpusOwner ? { localCorpusOwner: settings.localCorpusOwner } : {}), now: millis }),
    page: options.page,
    log: options.log,
    ...(now ? { now } : {}),
  });
}
