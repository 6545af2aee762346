// A closed pull request as growth knows it: the merged fix whose functions may join the corpus, or
// SecCoder's own proposal pull request on the corpus repository (growth.mode: pull-request), whose
// merge admits the proposed entries and whose close refuses them.
import type { MergedPull } from './merged-functions.js';

/** The branch of the corpus repository SecCoder proposes entries from; one branch, one open pull request. */
export const PROPOSAL_BRANCH = 'seccoder/growth';

export interface GrowthPull extends MergedPull {
  /** Who opened the pull request. */
  author: { login: string; type?: string };
  /** Who merged it (the webhook's `merged_by`). */
  mergedBy: { login: string } | null;
  /** Its page on GitHub (the webhook's `html_url`), for the audit trail. */
  htmlUrl?: string;
  /** The branch it came from (`head.ref`): `seccoder/growth` for a proposal. */
  headRef?: string;
  /** False for a pull request closed without merging (only proposals are handled then). Absent: merged. */
  merged?: boolean;
  /** Who closed it (the webhook's `sender`), for a proposal closed without merging. */
  closedBy?: { login: string };
}

/** A closed pull request as webhooks and the REST API give it: the fields growth reads. */
export interface MergedPullPayload {
  number: number;
  merge_commit_sha: string;
  base: { sha: string };
  head: { sha: string; ref?: string };
  labels: readonly { name: string }[];
  user: { login: string; type?: string };
  merged_by?: { login: string } | null;
  merged?: boolean | null;
  html_url?: string;
}

export function growthPullOf(pull: MergedPullPayload, closedBy?: { login: string }): GrowthPull {
  return {
    number: pull.number,
    mergeCommitSha: pull.merge_commit_sha,
    baseSha: pull.base.sha,
    headSha: pull.head.sha,
    labels: pull.labels.map((label) => label.name),
    author: { login: pull.user.login, ...(pull.user.type ? { type: pull.user.type } : {}) },
    mergedBy: pull.merged_by ? { login: pull.merged_by.login } : null,
    ...(pull.html_url ? { htmlUrl: pull.html_url } : {}),
    ...(pull.head.ref ? { headRef: pull.head.ref } : {}),
    ...(pull.merged === false ? { merged: false } : {}),
    ...(closedBy ? { closedBy: { login: closedBy.login } } : {}),
  };
}

/**
 * Whether a closed pull request may be one of SecCoder's proposals: from the proposal branch and
 * opened by a bot. Webhook routing asks this without knowing the App's login; growth checks the
 * author is the App's own bot before acting on it.
 */
export function mayBeProposal(pull: { head: { ref?: string }; user: { type?: string } }): boolean {
  return pull.head.ref === PROPOSAL_BRANCH && pull.user.type === 'Bot';
}

/** Whether the pull request is SecCoder's proposal: from the proposal branch and opened by the App's bot. */
export function isProposal(pull: GrowthPull, botLogin: string): boolean {
  return pull.headRef === PROPOSAL_BRANCH && pull.author.login === botLogin;
}

/** The pull request's page: the webhook's `html_url`, or its github.com address. */
export function pullUrl(owner: string, repo: string, pull: Pick<GrowthPull, 'number' | 'htmlUrl'>): string {
  return pull.htmlUrl ?? `https://github.com/${owner}/${repo}/pull/${pull.number}`;
}
