// The GitHub Action: the App's review and corpus growth, run from a workflow with its token. Inputs
// → event → one of: review the pull request (`reviewPullRequest`, the App's own pipeline and check
// run, with a SARIF file as the alert source when given), grow the corpus from a merge
// (`growCorpusFromMerge`, the App's gates), or skip with the reason. Then the outputs, a JSON
// report and the job summary. Any failure ends in `core.setFailed`.
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { defaultAnalyzers } from '../analyze/registry.js';
import type { Analyzer } from '../analyze/types.js';
import { bundledCorpusDir, resolveCorpusDir } from '../corpus/location.js';
import { SarifAlertSource } from '../detect/sarif.js';
import { bugReport, userErrorLine } from '../errors/seccoder-error.js';
import { readConfigFromApi } from '../github/config-from-api.js';
import { createCorpusProvider, type CorpusProvider } from '../github/corpus-provider.js';
import { growthGuard, reviewGuard } from '../github/event-guards.js';
import type { GitHubClient } from '../github/review/gather.js';
import { growCorpusFromMerge, growthPullOf } from '../github/growth/grow-corpus.js';
import { createOctokit, type CreateOctokitOptions } from '../github/octokit.js';
import { reviewPullRequest } from '../github/review/review-pull-request.js';
import type { Logger } from '../log/logger.js';
import { pullSchema, readEvent, type ActionEvent, type PullPayload } from './event.js';
import { MODEL_API_KEY_ENV, readInputs, type ActionInputs } from './inputs.js';
import { copySeedCorpus } from './seed-corpus.js';
import { suggestionsOf, writeJobSummary, type ActionOutcome } from './summary.js';

export interface ActionDependencies {
  /** Analyzers judging samples and merged functions. Default: `defaultAnalyzers()` (those installed on the runner run). */
  analyzers?: readonly Analyzer[];
  /** Octokit's retry and throttling. Default: both on; tests turn them off. */
  octokit?: Pick<CreateOctokitOptions, 'retry' | 'throttle'>;
  /** The seed corpus shipped with the Action, with its prebuilt index. Default: `bundledCorpusDir()`. */
  seedCorpusDir?: string;
}

/** The workflow log: the message with its reason or error, never the other details (they may hold code). */
const actionLog: Logger = {
  info: (details, message) => core.info(withReason(details, message)),
  warn: (details, message) => core.warning(withReason(details, message)),
  error: (details, message) => core.error(withReason(details, message)),
};

function withReason(details: object, message: string): string {
  const { err, reason } = details as { err?: unknown; reason?: unknown };
  if (err instanceof Error) return `${message}: ${err.message}`;
  return typeof reason === 'string' ? `${message}: ${reason}` : message;
}

/** Octokit's own request log, quieted: expected 404s (no config file) are not errors of the run. */
const octokitLog = { debug: () => undefined, info: () => undefined, warn: (message: string) => core.warning(message), error: () => undefined };

/**
 * The corpora: a folder (reviews retrieve from it, growth appends to it), or the org repository the
 * `corpus` input names (whatever the config says). The seed corpus shipped with the Action is
 * copied to the runner's temp folder first, with the index built from it at release
 * (`copySeedCorpus`), so the Action's own files are never written and the index is not rebuilt on
 * every run.
 */
async function corpusProvider(inputs: ActionInputs, env: NodeJS.ProcessEnv, workDir: string, seedDir: string): Promise<CorpusProvider> {
  const cacheDir = join(workDir, 'repositories');
  const { corpus } = inputs;
  if (corpus.kind === 'repository') {
    const provider = createCorpusProvider({ root: join(workDir, 'corpus'), cacheDir });
    return { corpusFor: (_location, octokit) => provider.corpusFor({ store: 'repository', owner: corpus.owner, repo: corpus.repo }, octokit) };
  }
  let root = corpus.dir ?? resolveCorpusDir(undefined, env);
  // SecCoder's own seed, where the folder lookup ends, is the Action's (`seedDir`, the same folder unless a test says otherwise).
  if (resolve(root) === resolve(bundledCorpusDir())) root = seedDir;
  if (resolve(root) === resolve(seedDir)) {
    const copy = await copySeedCorpus(seedDir, join(workDir, 'seed-corpus'));
    core.info(
      copy.prebuiltIndex
        ? 'Seed corpus: using the index built with the Action (rebuilt on this runner only if it does not match the corpus)'
        : 'Seed corpus: no index shipped with the Action; building it on this runner',
    );
    root = copy.dir;
  }
  return createCorpusProvider({ root, cacheDir });
}

/** The config file's parsed YAML with the `max-targets` input in place of its `maxTargets`; a file that is not a mapping is left for validation to report. */
function withMaxTargets(raw: unknown, maxTargets: number | undefined): unknown {
  if (maxTargets === undefined) return raw;
  if (raw === undefined || raw === null) return { maxTargets };
  return typeof raw === 'object' && !Array.isArray(raw) ? { ...raw, maxTargets } : raw;
}

function repositoryOf(event: Extract<ActionEvent, { repository: unknown }>) {
  return { owner: event.repository.owner.login, repo: event.repository.name };
}

/** The pull request a push to the default branch merged: the one whose merge commit is the pushed head. */
async function mergedPullOf(octokit: GitHubClient, owner: string, repo: string, sha: string): Promise<PullPayload | undefined> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha });
  const merged = data.find((pull) => pull.merged_at && pull.merge_commit_sha === sha);
  if (!merged) return undefined;
  // The listing leaves out who merged it; the pull request itself says.
  const { data: full } = await octokit.rest.pulls.get({ owner, repo, pull_number: merged.number });
  return pullSchema.parse(full);
}

async function act(inputs: ActionInputs, event: ActionEvent, env: NodeJS.ProcessEnv, deps: ActionDependencies, workDir: string): Promise<ActionOutcome> {
  if (event.kind === 'other') return { kind: 'skipped', reason: `SecCoder does not run on ${event.name} events (only pull_request and push)` };
  const { owner, repo } = repositoryOf(event);
  const octokit = createOctokit({ ...deps.octokit, auth: inputs.githubToken, log: octokitLog, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) });
  const corpus = await corpusProvider(inputs, env, workDir, deps.seedCorpusDir ?? bundledCorpusDir());
  const analyzers = deps.analyzers ?? defaultAnalyzers();
  const deliveryId = `actions-${env.GITHUB_RUN_ID ?? 'local'}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
  const readConfig = async () => withMaxTargets(await readConfigFromApi(octokit, owner, repo, inputs.configPath), inputs.maxTargets);

  const grow = async (pull: PullPayload): Promise<ActionOutcome> => {
    const guard = growthGuard(pull, event.repository.default_branch);
    if (!guard.ok) return { kind: 'skipped', reason: `not growing the corpus: ${guard.reason}` };
    if (inputs.dryRun) return { kind: 'skipped', reason: `dry run: the corpus is not grown from pull request #${pull.number}` };
    const result = await growCorpusFromMerge(
      { octokit, owner, repo, pull: growthPullOf({ ...pull, merge_commit_sha: guard.mergeCommitSha }), deliveryId, readConfig },
      { corpus, analyzers, botLogin: inputs.botLogin, log: actionLog },
    );
    return { kind: 'growth', pull: pull.number, result };
  };

  if (event.kind === 'push') {
    const branch = `refs/heads/${event.repository.default_branch}`;
    if (event.deleted) return { kind: 'skipped', reason: 'the push deleted a branch' };
    if (event.ref !== branch) return { kind: 'skipped', reason: `not growing the corpus: the push is to ${event.ref}, not the default branch` };
    const pull = await mergedPullOf(octokit, owner, repo, event.after);
    if (!pull) return { kind: 'skipped', reason: `not growing the corpus: commit ${event.after.slice(0, 7)} is not the merge of a pull request` };
    return grow(pull);
  }

  const { pull } = event;
  if (event.action === 'closed') return grow(pull);
  const guard = reviewGuard(event.action, pull);
  if (!guard.ok) return { kind: 'skipped', reason: `not reviewing: ${guard.reason}` };

  // The model client reads the key from this variable (of this process); `core.setSecret` masks it in the log.
  process.env[MODEL_API_KEY_ENV] = inputs.modelApiKey ?? inputs.githubToken;
  const result = await reviewPullRequest(
    {
      octokit,
      owner,
      repo,
      pull: { number: pull.number, headSha: pull.head.sha, draft: pull.draft ?? false },
      deliveryId,
      readConfig,
      dryRun: inputs.dryRun,
    },
    {
      retrieval: (location) => corpus.corpusFor(location, octokit).retrieval(),
      model: { settings: inputs.model },
      analyzers,
      ...(inputs.sarif ? { alerts: new SarifAlertSource([inputs.sarif], { roots: [env.GITHUB_WORKSPACE ?? process.cwd()], logger: actionLog }) } : {}),
      botLogin: inputs.botLogin,
      log: actionLog,
    },
  );
  return { kind: 'review', pull: pull.number, dryRun: inputs.dryRun, result };
}

/** The Action's entry: never throws; a failure fails the step through `core.setFailed`. */
export async function run(deps: ActionDependencies = {}): Promise<void> {
  const env = process.env;
  try {
    const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
    const inputs = readInputs(workspace);
    const event = await readEvent(env);
    const workDir = join(env.RUNNER_TEMP ?? tmpdir(), 'seccoder');
    await mkdir(workDir, { recursive: true });
    const outcome = await act(inputs, event, env, deps, workDir);

    const reportPath = join(workDir, 'seccoder-report.json');
    await writeFile(reportPath, `${JSON.stringify({ event: event.name, ...outcome }, null, 2)}\n`);
    core.setOutput('suggestions', suggestionsOf(outcome));
    core.setOutput('report', reportPath);
    if (outcome.kind === 'skipped') core.info(outcome.reason);
    if (env.GITHUB_STEP_SUMMARY) await writeJobSummary(outcome);
  } catch (error) {
    // A SecCoderError (a bad input, an unreachable model...) is one line; anything else is a bug, with its stack.
    core.setFailed(userErrorLine(error) ?? bugReport(error));
  }
}
