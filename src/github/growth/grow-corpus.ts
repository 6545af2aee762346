// Growing the org's secure corpus from one merged pull request: read the config → guard (disabled,
// redelivered, written by the bot, author or merger without write access) → the functions the merge
// contributes → gate each (parses, fits, new, analyzers clean) → append with provenance, and the
// fixed code's vulnerable version as labelled examples for the CWE classifier → extend the index →
// comment once. Every function left out is logged with its reason: the corpus is the
// trust anchor of every later suggestion, so nothing joins it by default.
import { gateProblem, secureGate } from '../../analyze/secure-gate.js';
import type { Analyzer } from '../../analyze/types.js';
import type { CorpusEntry } from '../../corpus/entry.js';
import { EntryRejectedError } from '../../corpus/errors.js';
import { DEFAULT_MAX_ENTRY_CHARS, prepareEntry } from '../../corpus/prepare-entry.js';
import { parseUnifiedDiff } from '../../detect/diff.js';
import { cweExamplesOfFix, type CweExample } from '../../corpus/cwe-examples.js';
import { corpusLocation, ignoreGlobs } from '../../config/options.js';
import type { SecCoderConfig } from '../../config/schema.js';
import type { CorpusProvider, OrgCorpus } from '../corpus-provider.js';
import type { RecentDeliveries } from '../deliveries.js';
import { diffFromPatches, type GitHubClient } from '../review/gather.js';
import { blobUrl, GROWTH_MARKER, renderGrowthComment } from './growth-comment.js';
import { mergedFunctions, type MergedFunction, type MergedPull } from './merged-functions.js';
import { readRepositoryConfig } from '../../config/read-config.js';
import { resolveValue } from '../resolve-value.js';
import type { Logger } from '../../log/logger.js';
import { hasWriteAccess } from '../write-access.js';
import { qualifiedName } from '../../detect/qualified-name.js';

export interface GrowthPull extends MergedPull {
  /** Who opened the pull request. */
  author: { login: string; type?: string };
  /** Who merged it (the webhook's `merged_by`). */
  mergedBy: { login: string } | null;
}

/** A merged pull request as webhooks and the REST API give it: the fields growth reads. */
export interface MergedPullPayload {
  number: number;
  merge_commit_sha: string;
  base: { sha: string };
  head: { sha: string };
  labels: readonly { name: string }[];
  user: { login: string; type?: string };
  merged_by?: { login: string } | null;
}

export function growthPullOf(pull: MergedPullPayload): GrowthPull {
  return {
    number: pull.number,
    mergeCommitSha: pull.merge_commit_sha,
    baseSha: pull.base.sha,
    headSha: pull.head.sha,
    labels: pull.labels.map((label) => label.name),
    author: { login: pull.user.login, ...(pull.user.type ? { type: pull.user.type } : {}) },
    mergedBy: pull.merged_by ? { login: pull.merged_by.login } : null,
  };
}

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
}

/** A function that did not join, with why. */
export interface Rejection {
  path: string;
  function?: string;
  reason: string;
}

export type GrowthResult = { status: 'skipped'; reason: string } | { status: 'grown'; added: CorpusEntry[]; rejected: Rejection[]; commented: boolean };

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

/** The corpus's gate (src/analyze/secure-gate.ts), the same `seccoder corpus add` and the seed builder run. */
async function analyzerProblem(fn: MergedFunction, analyzers: readonly Analyzer[]): Promise<string | undefined> {
  return gateProblem(await secureGate({ code: fn.function.code, language: fn.language, fileName: fn.path.split('/').at(-1) }, analyzers));
}

async function toEntries(
  request: GrowthRequest,
  functions: readonly MergedFunction[],
  corpus: OrgCorpus,
  deps: GrowthDependencies,
): Promise<{ entries: CorpusEntry[]; fixes: Map<string, MergedFunction>; rejected: Rejection[]; joinedEarlier: CorpusEntry[] }> {
  const { owner, repo, pull } = request;
  const stored = new Map((await corpus.store.read()).entries.map((entry) => [entry.sha256, entry]));
  const known = new Set(stored.keys());
  /** Functions of this very pull request already in the corpus: an earlier run added them (and may have died before its comment). */
  const joinedEarlier: CorpusEntry[] = [];
  const entries: CorpusEntry[] = [];
  /** The merged function of each entry, by its hash. */
  const fixes = new Map<string, MergedFunction>();
  const rejected: Rejection[] = [];
  for (const fn of functions) {
    const name = qualifiedName(fn.function);
    const reject = (reason: string) => rejected.push({ path: fn.path, function: name, reason });
    let entry: CorpusEntry;
    try {
      entry = await prepareEntry({
        code: fn.function.code,
        label: `${fn.path}:${name}`,
        path: fn.path,
        language: fn.language,
        cwe: fn.cwe,
        origin: 'merged-fix',
        maxChars: deps.maxEntryChars ?? DEFAULT_MAX_ENTRY_CHARS,
        now: (deps.now ?? (() => new Date()))(),
        source: {
          repo: `${owner}/${repo}`,
          commit: pull.mergeCommitSha,
          path: fn.path,
          function: name,
          url: blobUrl(owner, repo, pull.mergeCommitSha, fn.path, fn.function.startLine, fn.function.endLine),
          pullRequest: pull.number,
          ...(pull.mergedBy ? { mergedBy: pull.mergedBy.login } : {}),
        },
      });
    } catch (error) {
      if (!(error instanceof EntryRejectedError)) throw error;
      reject(error.reason);
      continue;
    }
    if (known.has(entry.sha256)) {
      const earlier = stored.get(entry.sha256);
      if (earlier && earlier.source.repo === `${owner}/${repo}` && earlier.source.pullRequest === pull.number) joinedEarlier.push(earlier);
      else reject('already in the corpus');
      continue;
    }
    const problem = await analyzerProblem(fn, deps.analyzers);
    if (problem) {
      reject(problem);
      continue;
    }
    known.add(entry.sha256);
    entries.push(entry);
    fixes.set(entry.sha256, fn);
  }
  return { entries, fixes, rejected, joinedEarlier };
}

/**
 * What the fixes of alerts teach the CWE classifier: each function as it was before the fix (the
 * kind of code reviews ask about), its lines up to the fix and the lines the fix added, labelled
 * with the alert's CWE. Functions without a CWE teach it nothing.
 */
function examplesOf(added: readonly CorpusEntry[], fixes: ReadonlyMap<string, MergedFunction>, maxChars: number): CweExample[] {
  return added.flatMap((entry) => {
    const fix = fixes.get(entry.sha256);
    if (!fix?.before) return [];
    const { repo, commit, path } = entry.source;
    return cweExamplesOfFix(
      {
        language: fix.language,
        cwe: fix.cwe,
        before: fix.before.code,
        after: fix.function.code,
        source: { ...(repo ? { repo } : {}), ...(commit ? { commit } : {}), ...(path ? { path } : {}) },
      },
      maxChars,
    );
  });
}

async function grow(request: GrowthRequest, config: SecCoderConfig, deps: GrowthDependencies): Promise<GrowthResult> {
  const { octokit, owner, repo, pull } = request;
  const where = { owner, repo, pull: pull.number };
  const listed = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pull.number, per_page: 100 });
  const diff = parseUnifiedDiff(diffFromPatches(listed));
  const found = await mergedFunctions(octokit, { owner, repo }, pull, diff, {
    labelled: pull.labels.includes(config.growth.label),
    ignore: ignoreGlobs(config),
    log: deps.log,
  });
  if (found.alertsUnavailable)
    deps.log.info({ ...where, reason: found.alertsUnavailable }, 'code-scanning alerts unavailable; only a labelled pull request can add functions');

  const corpus = deps.corpus.corpusFor(corpusLocation(config, owner), octokit);
  const { entries, fixes, rejected, joinedEarlier } = await toEntries(request, found.functions, corpus, deps);
  rejected.push(
    ...found.unusable.map((unusable) => ({ path: unusable.path, ...(unusable.function ? { function: unusable.function } : {}), reason: unusable.reason })),
  );
  for (const rejection of rejected)
    deps.log.info({ ...where, path: rejection.path, function: rejection.function, reason: rejection.reason }, 'not added to the corpus');

  const { added, duplicates } = entries.length > 0 ? await corpus.store.append(entries) : { added: [], duplicates: [] };
  // Another writer added the same code between the read and the append.
  for (const entry of duplicates) {
    rejected.push({ path: entry.source.path ?? '', ...(entry.source.function ? { function: entry.source.function } : {}), reason: 'already in the corpus' });
  }
  const joined = [...joinedEarlier, ...added];
  if (joined.length === 0) return { status: 'grown', added, rejected, commented: false };

  if (added.length > 0) {
    deps.log.info({ ...where, added: added.length, corpus: corpus.store.location }, 'added merged functions to the corpus');
    const examples = await corpus.store.appendExamples(examplesOf(added, fixes, deps.maxEntryChars ?? DEFAULT_MAX_ENTRY_CHARS));
    if (examples.length > 0) deps.log.info({ ...where, examples: examples.length }, 'added labelled examples of the fixed code for the CWE classifier');
    // The entries are safe in the corpus; an index that cannot be extended now is rebuilt on the next review.
    await corpus.retrieval().catch((error: unknown) => deps.log.warn({ ...where, err: error }, 'could not extend the index after the append'));
  }
  // One comment per pull request, whichever run gets here: a run that died after the append left it to this one.
  if (await hasGrowthComment(request, await resolveValue(deps.botLogin))) {
    deps.log.info(where, 'the growth comment is already on the pull request');
    return { status: 'grown', added, rejected, commented: false };
  }
  await octokit.rest.issues.createComment({ owner, repo, issue_number: pull.number, body: renderGrowthComment(joined, corpus.store.location) });
  return { status: 'grown', added, rejected, commented: true };
}

/** Whether the bot's growth comment (its hidden marker) is on the pull request. */
async function hasGrowthComment(request: GrowthRequest, botLogin: string): Promise<boolean> {
  const { octokit, owner, repo, pull } = request;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pull.number, per_page: 100 });
  return comments.some((comment) => comment.user?.login === botLogin && (comment.body ?? '').includes(GROWTH_MARKER));
}

/** Adds what a merged pull request fixed to the org's corpus. Guards are the caller's: merged, into the default branch. */
export async function growCorpusFromMerge(request: GrowthRequest, deps: GrowthDependencies): Promise<GrowthResult> {
  const where = { owner: request.owner, repo: request.repo, pull: request.pull.number, delivery: request.deliveryId };
  const skip = (reason: string): GrowthResult => {
    deps.log.info(where, `not growing the corpus: ${reason}`);
    return { status: 'skipped', reason };
  };
  if (deps.deliveries && !deps.deliveries.claim(request.deliveryId)) return skip('delivery already handled');
  try {
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
