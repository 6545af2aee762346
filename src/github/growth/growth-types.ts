// What a growth run is asked, what it works with, and what it answers: shared by the entry point
// (grow-corpus.ts), direct growth, proposals and their resolution.
import type { Analyzer } from '../../analyze/types.js';
import type { CorpusEntry } from '../../corpus/entry.js';
import type { Logger } from '../../log/logger.js';
import type { CorpusProvider, OrgCorpus } from '../corpus-provider.js';
import type { RecentDeliveries } from '../deliveries.js';
import type { GitHubClient } from '../review/gather.js';
import type { GatedFunctions, Rejection } from './gated-functions.js';
import type { AuditContext } from './growth-audit.js';
import type { GrowthPull } from './growth-pull.js';
import type { ProposalBranchOptions } from './proposal-branch.js';

export interface GrowthRequest {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  pull: GrowthPull;
  /** The `X-GitHub-Delivery` id of the webhook. */
  deliveryId: string;
  /** Reads the parsed `.github/seccoder.yml` (null or undefined: no file). */
  readConfig: () => Promise<unknown>;
}

export interface GrowthDependencies {
  corpus: CorpusProvider;
  /** Analyzers that must find nothing in a function before it joins; `[]` runs none. */
  analyzers: readonly Analyzer[];
  /** The app's bot login (`<slug>[bot]`), or how to find it. */
  botLogin: string | (() => Promise<string>);
  deliveries?: RecentDeliveries;
  log: Logger;
  /** Longest function accepted, in characters. Default 4,000, the seed corpus's cap. */
  maxEntryChars?: number;
  /** Default: the clock. */
  now?: () => Date;
  /** How proposals retry when concurrent writers move their branch (growth.mode: pull-request). Default: 5 attempts, waits from ~200 ms. */
  proposals?: Pick<ProposalBranchOptions, 'maxAttempts' | 'sleep' | 'retryDelayMs' | 'committer'>;
}

/** The proposal pull request on the corpus repository. */
export interface ProposalRef {
  repository: string;
  number: number;
  url: string;
}

export type GrowthResult =
  | { status: 'skipped'; reason: string }
  | {
      status: 'grown';
      /** Entries that joined the corpus (a merged fix in direct mode, or a merged proposal). */
      added: CorpusEntry[];
      /** Functions left out, with the gate and why (for a closed proposal: its entries). */
      rejected: Rejection[];
      commented: boolean;
      /** Entries put up for review in the proposal pull request (growth.mode: pull-request). */
      proposed?: CorpusEntry[];
      proposal?: ProposalRef;
    };

/** One merged fix's functions after the gates, on their way into the corpus or a proposal. */
export interface GatedRun {
  request: GrowthRequest;
  deps: GrowthDependencies;
  corpus: OrgCorpus;
  gated: GatedFunctions;
  /** Functions left out so far (the gates', and candidates that could not be read). */
  rejected: Rejection[];
  /** Who, when and which pull request, for the audit trail. */
  audit: AuditContext;
  /** Where, for logs. */
  where: Record<string, unknown>;
}
