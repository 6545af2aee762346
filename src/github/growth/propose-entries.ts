// Human-approved growth (growth.mode: pull-request, repository store): the functions that passed the
// gates are put on the proposal branch of the corpus repository instead of its default branch, the
// audit trail records each as `proposed` (and each refusal), and the one proposal pull request is
// opened or brought up to date. Nothing joins the corpus until a person merges that pull request
// (proposal-resolution.ts records it then).
//
// A `proposed` record's `via` is the merged fix the entry came from (its repository, number and
// page), like every other record of that fix: `via.url` is that fix's page, not the proposal's,
// since a record's `via` names one pull request. The proposal pull request is the one open from
// `seccoder/growth` on the corpus repository (PROPOSAL_BRANCH); its merge or close is recorded with
// its own `via` when it ends.
import { readAudit } from '../../corpus/audit.js';
import type { CorpusEntry } from '../../corpus/entry.js';
import { DEFAULT_MAX_ENTRY_CHARS } from '../../corpus/prepare-entry.js';
import type { GitHubRepoCorpusStore } from '../../corpus/repo-store.js';
import type { Octokit } from '@octokit/rest';
import { duplicateRejection, type Rejection } from './gated-functions.js';
import { appendOnce, proposedRecord, refusedRecord } from './growth-audit.js';
import type { GatedRun, ProposalRef } from './growth-types.js';
import { examplesOf } from './labelled-examples.js';
import { ProposalBranch } from './proposal-branch.js';
import { syncProposalPullRequest } from './proposal-pull.js';
import { refusedProposals } from './proposal-status.js';

export interface Proposed {
  /** Entries this run put on the proposal branch. */
  proposed: CorpusEntry[];
  /** Every function of the pull request in the proposal now (an earlier run's too). */
  listed: CorpusEntry[];
  rejected: Rejection[];
  /** The proposal pull request, when the proposal holds anything. */
  proposal?: ProposalRef;
}

export async function proposeEntries(run: GatedRun, store: GitHubRepoCorpusStore): Promise<Proposed> {
  const { request, deps, gated, where } = run;
  const rejected = [...run.rejected];
  const branch = new ProposalBranch({
    octokit: request.octokit as Octokit,
    owner: store.owner,
    repo: store.repo,
    corpusPath: store.path,
    examplesPath: store.examplesPath,
    ...deps.proposals,
  });
  const fixes = new Map(gated.passed.map((passed) => [passed.entry.sha256, passed.fix]));
  const gatesOf = new Map(gated.passed.map((passed) => [passed.entry.sha256, passed.gates]));
  const result = await branch.add(
    gated.passed.map((passed) => passed.entry),
    (entries) => examplesOf(entries, fixes, deps.maxEntryChars ?? DEFAULT_MAX_ENTRY_CHARS),
    async () => refusedProposals((await readAudit(store)).records),
  );
  const source = `${request.owner}/${request.repo}`;
  const ofThisPull = (entry: CorpusEntry) => entry.source.repo === source && entry.source.pullRequest === request.pull.number;
  // A redelivery finds this pull request's entries on the branch already; another fix's are duplicates.
  const earlier = result.alreadyProposed.filter(ofThisPull);
  for (const entry of result.alreadyProposed.filter((entry) => !ofThisPull(entry))) {
    rejected.push(duplicateRejection(entry, 'already proposed for the corpus', gatesOf.get(entry.sha256)));
  }
  for (const entry of result.inCorpus) rejected.push(duplicateRejection(entry, 'already in the corpus', gatesOf.get(entry.sha256)));
  const listed = [...earlier, ...result.proposed];
  if (result.proposed.length > 0)
    deps.log.info({ ...where, proposed: result.proposed.length, corpus: branch.repository }, 'proposed merged functions for the corpus');

  // Before the pull request: its description shows the gate results these records hold.
  await appendOnce(store, [
    ...listed.flatMap((entry) => {
      const gates = gatesOf.get(entry.sha256);
      return gates ? [proposedRecord(entry, gates, run.audit)] : [];
    }),
    ...rejected.map((rejection) => refusedRecord(rejection, run.audit)),
  ]);
  const pull = result.pending.length > 0 ? await syncProposalPullRequest(branch, store, store.path) : undefined;
  return {
    proposed: result.proposed,
    listed,
    rejected,
    ...(pull ? { proposal: { repository: branch.repository, number: pull.number, url: pull.url } } : {}),
  };
}
