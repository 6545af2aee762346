// The end of a proposal (growth.mode: pull-request): SecCoder's pull request from `seccoder/growth`
// on the corpus repository was merged or closed. Merged: each proposed entry its head held that is
// now in the corpus joined, and gets an `added` record (by whoever merged, with the gate results
// of its proposal). Closed without merging: each proposed entry its head held gets a
// `proposal-closed` record ("proposal closed by <login>") and is never carried into a later
// proposal. Either way, a proposed entry that is neither in the pull request's head, nor on the
// branch now, nor in the corpus was taken out of the proposal by hand, and is closed too. Entries
// put on the branch after the pull request ended stay proposed, for the next one.
import type { Octokit } from '@octokit/rest';
import { readAudit, type AuditRecord } from '../../corpus/audit.js';
import type { CorpusEntry } from '../../corpus/entry.js';
import { GitHubRepoCorpusStore } from '../../corpus/repo-store.js';
import type { GateResult } from '../../analyze/secure-gate.js';
import {
  addedRecord,
  appendOnce,
  entryFields,
  proposalClosedRecord,
  pullRequestVia,
  subjectOfRecord,
  type AuditContext,
  type AuditSubject,
} from './growth-audit.js';
import type { Rejection } from './gated-functions.js';
import { PROPOSAL_BRANCH, pullUrl } from './growth-pull.js';
import type { GrowthDependencies, GrowthRequest, GrowthResult } from './growth-types.js';
import { ProposalBranch } from './proposal-branch.js';
import { proposalStatuses } from './proposal-status.js';

/** Who closed the pull request: the webhook's sender, or what GitHub says when the event did not tell. */
async function closerOf(request: GrowthRequest): Promise<string> {
  if (request.pull.closedBy) return request.pull.closedBy.login;
  const { data } = await request.octokit.rest.issues.get({ owner: request.owner, repo: request.repo, issue_number: request.pull.number });
  return data.closed_by?.login ?? 'unknown';
}

function closedRejection(subject: AuditSubject, reason: string): Rejection {
  return {
    path: subject.path ?? '',
    ...(subject.function ? { function: subject.function } : {}),
    reason,
    gate: 'review',
    ...(subject.sha256 ? { sha256: subject.sha256 } : {}),
    ...(subject.language ? { language: subject.language } : {}),
    ...(subject.cwe ? { cwe: subject.cwe } : {}),
  };
}

/** Records the end of the proposal pull request `request.pull` on the corpus repository. */
export async function resolveProposal(request: GrowthRequest, deps: GrowthDependencies): Promise<GrowthResult> {
  const { octokit, owner, repo, pull } = request;
  const where = { owner, repo, pull: pull.number, delivery: request.deliveryId };
  const corpus = deps.corpus.corpusFor({ store: 'repository', owner, repo }, octokit);
  const { store } = corpus;
  if (!(store instanceof GitHubRepoCorpusStore)) {
    deps.log.info(where, 'not recording the proposal: its repository is not a corpus repository of this app');
    return { status: 'skipped', reason: 'the proposal is not on a corpus repository' };
  }
  const branch = new ProposalBranch({
    octokit: octokit as Octokit,
    owner,
    repo,
    corpusPath: store.path,
    examplesPath: store.examplesPath,
    ...deps.proposals,
  });
  const merged = pull.merged !== false;
  const actor = merged ? (pull.mergedBy?.login ?? 'unknown') : await closerOf(request);
  const tip = await branch.api.headCommit(PROPOSAL_BRANCH);
  const [{ records }, proposal, onTip, { entries: inCorpus }] = await Promise.all([
    readAudit(store),
    branch.entriesAt(pull.headSha),
    tip.kind === 'commit' ? branch.entriesAt(tip.sha) : Promise.resolve([]),
    store.read(),
  ]);
  const proposalByHash = new Map(proposal.map((entry) => [entry.sha256, entry]));
  const tipHashes = new Set(onTip.map((entry) => entry.sha256));
  const corpusByHash = new Map(inCorpus.map((entry) => [entry.sha256, entry]));
  const context: AuditContext = {
    actor,
    via: pullRequestVia(`${owner}/${repo}`, pull.number, pullUrl(owner, repo, pull)),
    at: (deps.now ?? (() => new Date()))(),
  };

  const added: { entry: CorpusEntry; gates?: GateResult[] }[] = [];
  const closed: { record: AuditRecord; rejection: Rejection }[] = [];
  const close = (subject: AuditSubject, reason: string) =>
    closed.push({ record: proposalClosedRecord(subject, reason, context), rejection: closedRejection(subject, reason) });
  for (const [sha256, status] of proposalStatuses(records)) {
    if (status.added || !status.proposed) continue;
    const inProposal = proposalByHash.get(sha256);
    const joined = corpusByHash.get(sha256);
    if (merged && inProposal && joined) added.push({ entry: joined, ...(status.proposed.gates ? { gates: status.proposed.gates } : {}) });
    else if (status.latest !== 'proposed') continue;
    else if (inProposal && !merged) close(entryFields(inProposal), `proposal closed by ${actor}`);
    else if (!inProposal && !tipHashes.has(sha256) && !joined) {
      close(subjectOfRecord(status.proposed), `taken out of the proposal before it was ${merged ? 'merged' : 'closed'} by ${actor}`);
    }
  }
  const written = await appendOnce(store, [...added.map(({ entry, gates }) => addedRecord(entry, gates, context)), ...closed.map(({ record }) => record)]);
  deps.log.info({ ...where, merged, added: added.length, closed: closed.length, records: written.length }, 'recorded the end of the corpus proposal');
  if (added.length > 0) {
    // The entries are safe in the corpus; an index that cannot be refreshed now is on the next review.
    await corpus.retrieval().catch((error: unknown) => deps.log.warn({ ...where, err: error }, 'could not refresh the index after the proposal was merged'));
  }
  return {
    status: 'grown',
    added: added.map(({ entry }) => entry),
    rejected: closed.map(({ rejection }) => rejection),
    commented: false,
    proposal: { repository: `${owner}/${repo}`, number: pull.number, url: pullUrl(owner, repo, pull) },
  };
}
