// Which corpus an org's page shows: the org's repository corpus (`<org>/.seccoder`, the repository
// store's default) when the App's installation on the org can read that repository; else the App's
// local corpus, but only to the one org the operator named (SECCODER_CORPUS_OWNER), since the
// local corpus is shared by every installation; else none (the page answers 404). The choice is
// kept 60 s per org.
import type { CorpusStore } from '../../corpus/types.js';
import { DEFAULT_CORPUS_REPO } from '../../corpus/repo-store.js';
import type { CorpusProvider } from '../corpus-provider.js';
import { OrgAccessError, type AppClient, type OrgInstallation } from './org-access.js';
import { ACCESS_CACHE_SECONDS } from './settings.js';
import { TtlCache } from './ttl-cache.js';

export interface OrgCorpusOptions {
  corpus: CorpusProvider;
  /** The org shown the App's local corpus when it has no readable corpus repository. */
  localCorpusOwner?: string;
  /** Default: the clock, in milliseconds. */
  now?: () => number;
}

export type OrgCorpusChoice = { kind: 'repository' | 'local'; store: CorpusStore } | { kind: 'none' };

export class OrgCorpora {
  readonly #chosen: TtlCache<OrgCorpusChoice>;

  constructor(private readonly options: OrgCorpusOptions) {
    this.#chosen = new TtlCache(ACCESS_CACHE_SECONDS * 1000, options.now ?? Date.now);
  }

  /** The corpus `org`'s page shows, read and written with its installation's client. */
  corpusOf(org: string, installation: OrgInstallation): Promise<OrgCorpusChoice> {
    // The installation is part of the key: a store holds its client.
    return this.#chosen.through(`${org.toLowerCase()}\n${installation.id}`, async () => {
      if (await this.canRead(installation.client, org)) {
        const location = { store: 'repository', owner: org, repo: DEFAULT_CORPUS_REPO } as const;
        return { kind: 'repository', store: this.options.corpus.corpusFor(location, installation.client).store };
      }
      if (this.options.localCorpusOwner?.toLowerCase() === org.toLowerCase()) {
        return { kind: 'local', store: this.options.corpus.corpusFor({ store: 'local' }, installation.client).store };
      }
      return { kind: 'none' };
    });
  }

  /** The installation sees `<org>/.seccoder` (404 and 403 mean it does not). */
  private async canRead(client: AppClient, org: string): Promise<boolean> {
    try {
      await client.request('GET /repos/{owner}/{repo}', { owner: org, repo: DEFAULT_CORPUS_REPO });
      return true;
    } catch (error) {
      const status = (error as { status?: unknown } | null)?.status;
      if (status === 404 || status === 403) return false;
      throw new OrgAccessError(
        `looking up ${org}/${DEFAULT_CORPUS_REPO} failed (${typeof status === 'number' ? `HTTP ${status}` : 'no answer'}): try again later`,
      );
    }
  }
}
