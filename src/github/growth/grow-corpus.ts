// Growing the org's secure corpus from one merged pull request: read the config → guard (disabled,
// redelivered, written by the bot, author or merger without write access) → the functions the merge
// contributes → gate each (readable, fits, parses, new, analyzers clean) → add them with provenance
// (growth.mode: direct), or propose them in one pull request on the corpus repository
// (growth.mode: pull-request) → comment once. Every function left out is logged with its gate and
// reason, and the audit trail records every addition, proposal and refusal: the corpus is the trust
// anchor of every later suggestion, so nothing joins it by default.
//
// The same entry point records the end of a proposal: SecCoder's own pull request from
// `seccoder/growth`, merged (its entries join) or closed (they are refused).
import { corpusLocation, ignoreGlobs } from '../../config/options.js';
import { readRepositoryConfig } from '../../config/read-config.js';
import type { SecCoderConfig } from '../../config/schema.js';
import { GitHubRepoCorpusStore } from '../../corpus/repo-store.js';
import { parseUnifiedDiff } from '../../detect/diff.js';
import { resolveValue } from '../resolve-value.js';
import { diffFromPatches } from '../review/gather.js';
import { hasWriteAccess } from '../write-access.js';
import { growDirectly } from './direct-growth.js';
import { gateFunctions, unusableRejection, type Rejection } from './gated-functions.js';
import { pullRequestVia } from './growth-audit.js';
import { renderGrowthComment, renderProposalComment } from './growth-comment.js';
import { isProposal, PROPOSAL_BRANCH, pullUrl } from './growth-pull.js';
import type { GatedRun, GrowthDependencies, GrowthRequest, GrowthResult } from './growth-types.js';
import { mergedFunctions } from './merged-functions.js';
import { postGrowthCommentOnce } from './post-growth-comment.js';
import { proposeEntries } from './propose-entries.js';
import { resolveProposal } from './proposal-resolution.js';

export { growthPullOf, mayBeProposal, PROPOSAL_BRANCH, type GrowthPull, type MergedPullPayload } from './growth-pull.js';
export type { Rejection } from './gated-functions.js';
export type { GrowthDependencies, GrowthRequest, GrowthResult, ProposalRef } from './growth-types.js';

/** Why the people behind the pull request may not add to the corpus, or undefined when they may. */
async function peopleProblem(request: GrowthRequest, botLogin: string): Promise<string | undefined> {
  const { author, mergedBy } = request.pull;
  if (author.login === botLogin) return 'the pull request was opened by SecCoder itself';
  if (!mergedBy) return 'the webhook does not say who merged the pull request';
  for (const login of new Set([author.login, mergedBy.login])) {
    const access = await hasWriteAccess(request.octokit, request.owner, request.repo, login);
    if (!access.ok) return access.reason;
  }
  return undefined;
}

function logRejections(rejected: readonly Rejection[], deps: GrowthDependencies, where: Record<string, unknown>): void {
  for (const rejection of rejected) {
    deps.log.info({ ...where, path: rejection.path, function: rejection.function, gate: rejection.gate, reason: rejection.reason }, 'not added to the corpus');
  }
}

async function grow(request: GrowthRequest, config: SecCoderConfig, deps: GrowthDependencies): Promise<GrowthResult> {
  const { octokit, owner, repo, pull } = request;
  const where = { owner, repo, pull: pull.number };
  const corpus = deps.corpus.corpusFor(corpusLocation(config, owner), octokit);
  if (corpus.store.readOnly) {
    deps.log.info(where, `not growing the corpus: ${corpus.store.readOnly}`);
    return { status: 'skipped', reason: corpus.store.readOnly };
  }
  const proposing = config.growth.mode === 'pull-request';
  // The Action's `corpus` input can point growth at a folder whatever the config says.
  if (proposing && !(corpus.store instanceof GitHubRepoCorpusStore)) {
    const reason = `growth.mode is pull-request, but the corpus is not a repository (${corpus.store.location}); proposals are pull requests on the corpus repository`;
    deps.log.info(where, `not growing the corpus: ${reason}`);
    return { status: 'skipped', reason };
  }

  const listed = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pull.number, per_page: 100 });
  const diff = parseUnifiedDiff(diffFromPatches(listed));
  const found = await mergedFunctions(octokit, { owner, repo }, pull, diff, {
    labelled: pull.labels.includes(config.growth.label),
    ignore: ignoreGlobs(config),
    log: deps.log,
  });
  if (found.alertsUnavailable)
    deps.log.info({ ...where, reason: found.alertsUnavailable }, 'code-scanning alerts unavailable; only a labelled pull request can add functions');

  const now = (deps.now ?? (() => new Date()))();
  const gated = await gateFunctions(found.functions, {
    owner,
    repo,
    pull,
    corpus: (await corpus.store.read()).entries,
    analyzers: deps.analyzers,
    ...(deps.maxEntryChars !== undefined ? { maxEntryChars: deps.maxEntryChars } : {}),
    now,
  });
  const run: GatedRun = {
    request,
    deps,
    corpus,
    gated,
    rejected: [...gated.rejected, ...found.unusable.map(unusableRejection)],
    // Who merged the fix is who asked for its functions to join (the people guard made sure it says).
    audit: { actor: pull.mergedBy?.login ?? pull.author.login, via: pullRequestVia(`${owner}/${repo}`, pull.number, pullUrl(owner, repo, pull)), at: now },
    where,
  };

  if (proposing && corpus.store instanceof GitHubRepoCorpusStore) {
    const { proposed, listed: inProposal, rejected, proposal } = await proposeEntries(run, corpus.store);
    logRejections(rejected, deps, where);
    if (inProposal.length === 0 || !proposal) return { status: 'grown', added: [], rejected, commented: false, proposed };
    const botLogin = await resolveValue(deps.botLogin);
    const commented = await postGrowthCommentOnce(request, botLogin, renderProposalComment(inProposal, proposal));
    if (!commented) deps.log.info(where, 'the growth comment is already on the pull request');
    return { status: 'grown', added: [], rejected, commented, proposed, proposal };
  }

  const { added, joined, rejected } = await growDirectly(run);
  logRejections(rejected, deps, where);
  if (joined.length === 0) return { status: 'grown', added, rejected, commented: false };
  // One comment per pull request, whichever run gets here: a run that died after the append left it to this one.
  const commented = await postGrowthCommentOnce(request, await resolveValue(deps.botLogin), renderGrowthComment(joined, corpus.store.location));
  if (!commented) deps.log.info(where, 'the growth comment is already on the pull request');
  return { status: 'grown', added, rejected, commented };
}

/**
 * Adds (or proposes) what a merged pull request fixed to the org's corpus, or records the end of a
 * proposal. Guards are the caller's: merged into the default branch, or a closed proposal.
 */
export async function growCorpusFromMerge(request: GrowthRequest, deps: GrowthDependencies): Promise<GrowthResult> {
  const where = { owner: request.owner, repo: request.repo, pull: request.pull.number, delivery: request.deliveryId };
  const skip = (reason: string): GrowthResult => {
    deps.log.info(where, `not growing the corpus: ${reason}`);
    return { status: 'skipped', reason };
  };
  if (deps.deliveries && !deps.deliveries.claim(request.deliveryId)) return skip('delivery already handled');
  try {
    if (request.pull.headRef === PROPOSAL_BRANCH && isProposal(request.pull, await resolveValue(deps.botLogin))) return await resolveProposal(request, deps);
    if (request.pull.merged === false) return skip(`pull request #${request.pull.number} was closed without merging`);
    const parsed = await readRepositoryConfig(request.readConfig);
    if (!parsed.ok) return skip(`invalid .github/seccoder.yml (${parsed.problems.map((problem) => problem.key).join(', ')})`);
    const { config } = parsed;
    if (!config.enabled || !config.growth.enabled) return skip('growth is disabled in .github/seccoder.yml');
    const people = await peopleProblem(request, await resolveValue(deps.botLogin));
    if (people) return skip(people);
    return await grow(request, config, deps);
  } catch (error) {
    deps.deliveries?.release(request.deliveryId);
    deps.log.error({ ...where, err: error }, 'growing the corpus failed');
    throw error;
  }
}
