// The one proposal pull request, from `seccoder/growth` into the corpus repository's default branch:
// found by its head branch, opened when there is none (a concurrent run that opened it first makes
// GitHub answer 422 "A pull request already exists", and the open one is read back), and its title
// and description rewritten from what the branch and the audit trail hold now. The rewrite repeats
// until a fresh read renders what the pull request already says, so when runs race, the last
// description written is never an older run's.
import { readAudit } from '../../corpus/audit.js';
import type { CorpusPullRequest } from '../../corpus/repo-api.js';
import type { CorpusStore } from '../../corpus/types.js';
import { PROPOSAL_BRANCH } from './growth-pull.js';
import type { ProposalBranch } from './proposal-branch.js';
import { proposalTitle, renderProposalBody } from './proposal-body.js';
import { ProposalError } from './proposal-error.js';
import { proposalStatuses, refusedProposals } from './proposal-status.js';

/** Rewrites of the description before settling for the last one. */
const MAX_ROUNDS = 5;

async function openOrFind(branch: ProposalBranch, base: string, title: string, body: string): Promise<CorpusPullRequest> {
  const [open] = await branch.api.openPullRequestsFrom(PROPOSAL_BRANCH);
  if (open) return open;
  const created = await branch.api.createPullRequest({ title, body, head: PROPOSAL_BRANCH, base });
  if (created.ok) return created.pull;
  // Another run opened it between the look-up and the create.
  const [opened] = /already exists/i.test(created.githubMessage) ? await branch.api.openPullRequestsFrom(PROPOSAL_BRANCH) : [];
  if (opened) return opened;
  throw new ProposalError(branch.repository, `GitHub refused to open the pull request from ${PROPOSAL_BRANCH}: ${created.githubMessage}`);
}

/**
 * Opens or updates the proposal pull request so it lists what the branch proposes now; undefined
 * when the branch proposes nothing (no pull request is opened for an empty proposal).
 */
export async function syncProposalPullRequest(branch: ProposalBranch, store: CorpusStore, corpusPath: string): Promise<CorpusPullRequest | undefined> {
  let pull: CorpusPullRequest | undefined;
  for (let round = 1; round <= MAX_ROUNDS; round += 1) {
    const { records } = await readAudit(store);
    const snapshot = await branch.read(refusedProposals(records));
    if (snapshot.pending.length === 0) return pull ?? (await branch.api.openPullRequestsFrom(PROPOSAL_BRANCH))[0];
    const title = proposalTitle(snapshot.pending.length);
    const body = renderProposalBody(snapshot.pending, proposalStatuses(records), corpusPath);
    pull ??= await openOrFind(branch, snapshot.defaultBranch, title, body);
    if (pull.title === title && pull.body === body) return pull;
    pull = await branch.api.updatePullRequest(pull.number, { title, body });
  }
  return pull;
}
