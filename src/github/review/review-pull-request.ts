// One review of one pull request, as the App runs it: read the config → guard (invalid, disabled,
// draft, redelivered) → open a check run → gather → select targets → harden → plan → post one
// review and the "outdated" replies → complete the check run. Any error completes the check run
// as a failure before it is thrown on: never a silent green. A dry run (the CLI's `--dry-run`)
// only reads: the result's preview holds what would have been written.
import type { Analyzer } from '../../analyze/types.js';
import type { AlertSource, SkippedTarget } from '../../detect/types.js';
import { createModelClient } from '../../model/operator-settings.js';
import type { CodeModel } from '../../model/types.js';
import type { Logger } from '../../log/logger.js';
import { hardenChange } from '../../harden/harden-change.js';
import type { CorpusRetrieval } from '../corpus-provider.js';
import { checkRunForInvalidConfig, checkRunOutput, type CheckRunOutput } from './check-summary.js';
import { corpusLocation, ignoreGlobs, modelEndpoint, toHardenOptions, toTargetOptions, type CorpusLocation, type ModelEndpoint } from '../../config/options.js';
import type { ConfigProblem } from '../../config/problems.js';
import type { SecCoderConfig } from '../../config/schema.js';
import type { OperatorModelSettings } from '../../model/operator-settings.js';
import type { RecentDeliveries } from '../deliveries.js';
import { sameSuggestion, type Fingerprint } from './fingerprint.js';
import { gatherPullRequest, type GitHubClient, type PullRequestMaterial } from './gather.js';
import { escapeMarkdown } from '../../text/markdown.js';
import { readRepositoryConfig } from '../../config/read-config.js';
import { resolveValue } from '../resolve-value.js';
import { planReview, renderOutdatedReply, renderReviewBody, standingSuggestions, type ReviewComment, type ReviewCounts } from './plan.js';

/** The check run's name on the pull request. */
export const CHECK_RUN_NAME = 'SecCoder';

/** The demonstrations the pipeline retrieves from, and how many secure examples the corpus holds. */

/** The operator's code model: its settings, and how a client is made for an endpoint. */
export interface ModelDependency {
  settings: OperatorModelSettings;
  /** Default: the OpenAI-compatible client with the endpoint's settings and its own defaults. */
  create?: (endpoint: ModelEndpoint) => CodeModel;
}

export interface ReviewDependencies {
  /**
   * Retrieval over the corpus, or how to open it for the corpus a repository's config names
   * (`corpus.store` and `corpus.location`; the caller keeps what it opened).
   */
  retrieval: CorpusRetrieval | ((location: CorpusLocation) => Promise<CorpusRetrieval>);
  /** Absent: precedent mode for every repository (demonstrations, no rewrites). */
  model?: ModelDependency;
  /** Analyzers judging the samples; `[]` runs none. */
  analyzers: readonly Analyzer[];
  /**
   * Where the alerts come from instead of GitHub's code-scanning API (the Action's `sarif` input).
   * Default: the code-scanning alerts of the pull request's merge ref.
   */
  alerts?: AlertSource;
  /** The app's bot login (`<slug>[bot]`), or how to find it. */
  botLogin: string | (() => Promise<string>);
  /** Delivery ids already handled; absent: redeliveries are not detected. */
  deliveries?: RecentDeliveries;
  log: Logger;
  /** Default: the clock. */
  now?: () => Date;
}

export interface PullRequestInfo {
  number: number;
  headSha: string;
  draft: boolean;
  /** False for a closed (or merged) pull request, which is not reviewed. Default true. */
  open?: boolean;
}

export interface ReviewRequest {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  pull: PullRequestInfo;
  /** The `X-GitHub-Delivery` id of the webhook. */
  deliveryId: string;
  /**
   * Reads the parsed `.github/seccoder.yml` (null or undefined: no file), e.g.
   * `() => context.config('seccoder.yml')`. A YAML syntax error is reported as an invalid config.
   */
  readConfig: () => Promise<unknown>;
  /**
   * Write nothing to GitHub (no check run, review or reply), only read; the result's `preview`
   * shows what would have been written. Default false.
   */
  dryRun?: boolean;
}

/** What a review writes (or, in a dry run, would write) on the pull request. */
export interface ReviewPreview {
  /** The review's body. The review is only posted when it has something new (`counts.inline + counts.inBody > 0`). */
  body: string;
  /** The review's inline suggestion comments. */
  comments: ReviewComment[];
  /** Earlier suggestions answered with an "outdated" reply. */
  outdated: Fingerprint[];
  /** The completed check run's output. */
  checkRun: CheckRunOutput;
}

export type ReviewResult =
  | { status: 'skipped'; reason: string }
  | { status: 'invalid-config'; problems: ConfigProblem[] }
  | { status: 'reviewed'; conclusion: CheckRunOutput['conclusion']; posted: boolean; counts: ReviewCounts; preview: ReviewPreview };

/** The check run of one review: created once, completed once; in a dry run, neither. */
class CheckRun {
  #id: number | undefined;

  constructor(
    private readonly request: ReviewRequest,
    private readonly now: () => Date,
  ) {}

  async start(): Promise<void> {
    if (this.request.dryRun) return;
    const { octokit, owner, repo, pull } = this.request;
    const { data } = await octokit.rest.checks.create({
      owner,
      repo,
      name: CHECK_RUN_NAME,
      head_sha: pull.headSha,
      status: 'in_progress',
      started_at: this.now().toISOString(),
    });
    this.#id = data.id;
  }

  async complete(output: CheckRunOutput): Promise<void> {
    if (this.request.dryRun) return;
    const { octokit, owner, repo, pull } = this.request;
    const fields = {
      owner,
      repo,
      status: 'completed' as const,
      conclusion: output.conclusion,
      completed_at: this.now().toISOString(),
      output: { title: output.title, summary: output.summary, ...(output.text !== undefined ? { text: output.text } : {}) },
    };
    if (this.#id === undefined) await octokit.rest.checks.create({ ...fields, name: CHECK_RUN_NAME, head_sha: pull.headSha });
    else await octokit.rest.checks.update({ ...fields, check_run_id: this.#id });
  }
}

function failureOutput(error: unknown): CheckRunOutput {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    title: 'SecCoder failed',
    summary: `SecCoder could not finish reviewing this pull request:\n\n${escapeMarkdown(message.split('\n')[0] ?? '')}\n\nRe-run the check to try again.`,
    conclusion: 'failure',
  };
}

/** The model for this repository's config, or why there is none. */
function modelFor(config: SecCoderConfig, dependency: ModelDependency | undefined): { model?: CodeModel; note?: string } {
  if (!dependency) return {};
  const endpoint = modelEndpoint(config, dependency.settings);
  if (!endpoint.ok) return { note: endpoint.reason };
  const create =
    dependency.create ??
    ((e: ModelEndpoint) =>
      createModelClient(
        { url: e.baseUrl, name: e.model, ...(e.apiKeyEnv ? { apiKeyEnv: e.apiKeyEnv } : {}) },
        { temperature: e.temperature, samples: e.samples },
      ));
  return { model: create(endpoint.endpoint) };
}

const FILE_SKIP_DETAIL: Record<PullRequestMaterial['skippedFiles'][number]['reason'], [SkippedTarget['reason'], string]> = {
  'too-large': ['too-large', 'file too large to read'],
  binary: ['unsupported-file', 'binary file'],
  'not-a-file': ['unsupported-file', 'not a regular file'],
};

/** Selection's skips, with "content not provided" replaced by why the file could not be read. */
function mergeSkips(material: PullRequestMaterial, selected: readonly SkippedTarget[]): SkippedTarget[] {
  const unread = new Map(material.skippedFiles.map((file) => [file.path, file.reason]));
  const skipped = selected.filter((skip) => !(skip.reason === 'unsupported-file' && unread.has(skip.path) && skip.detail === 'file content not provided'));
  for (const [path, reason] of unread) {
    if (skipped.some((skip) => skip.path === path)) continue;
    const [kind, detail] = FILE_SKIP_DETAIL[reason];
    skipped.push({ path, reason: kind, detail });
  }
  return skipped;
}

type Reviewed = Extract<ReviewResult, { status: 'reviewed' }>;

async function run(request: ReviewRequest, config: SecCoderConfig, deps: ReviewDependencies): Promise<{ output: CheckRunOutput; result: Reviewed }> {
  const { octokit, owner, repo, pull } = request;
  const material = await gatherPullRequest(
    octokit,
    { owner, repo, pullNumber: pull.number, headSha: pull.headSha },
    {
      botLogin: await resolveValue(deps.botLogin),
      ignore: ignoreGlobs(config),
      ...(config.languages ? { languages: config.languages } : {}),
      log: deps.log,
      ...(deps.alerts ? { alerts: deps.alerts } : {}),
    },
  );
  const { model, note } = modelFor(config, deps.model);
  if (note) deps.log.warn({ owner, repo, reason: note }, 'running without a model');
  const retrieval = typeof deps.retrieval === 'function' ? await deps.retrieval(corpusLocation(config, owner)) : deps.retrieval;
  const {
    outcomes,
    alreadySuggested,
    skipped: selectionSkips,
  } = await hardenChange(
    { files: material.files, diff: material.diff, alerts: material.alerts, standing: standingSuggestions(material.existing) },
    { demonstrations: retrieval.retriever, ...(model ? { model } : {}), analyzers: deps.analyzers },
    { ...toHardenOptions(config), targets: toTargetOptions(config) },
  );
  const skipped = mergeSkips(material, selectionSkips);
  const plan = planReview({ outcomes, diff: material.diff, existing: material.existing, headSha: pull.headSha, alreadySuggested: alreadySuggested.length });
  // The repository's `dryRun: true` still writes the check run (it shows what would be posted); the request's writes nothing.
  const dryRun = config.dryRun || request.dryRun === true;
  const post = !dryRun;
  const body = renderReviewBody(plan, { skipped, targetsFound: outcomes.length + alreadySuggested.length });

  if (post && !plan.nothingNew) {
    await octokit.rest.pulls.createReview({
      owner,
      repo,
      pull_number: pull.number,
      commit_id: plan.commitId,
      event: 'COMMENT',
      body,
      comments: plan.comments,
    });
  }
  if (post) {
    for (const fp of plan.outdated) {
      const thread = material.earlierComments.find((comment) => comment.fingerprints.some((earlier) => sameSuggestion(earlier, fp)));
      if (!thread) {
        deps.log.info({ path: fp.path, function: fp.fn }, 'outdated suggestion was in a review body; no thread to reply to');
        continue;
      }
      await octokit.rest.pulls.createReplyForReviewComment({
        owner,
        repo,
        pull_number: pull.number,
        comment_id: thread.commentId,
        body: renderOutdatedReply(fp),
      });
    }
  }

  const output = checkRunOutput({
    outcomes,
    alreadySuggested,
    skipped,
    config,
    ...(model ? { model: model.name } : {}),
    ...(note ? { modelNotUsed: note } : {}),
    corpusSize: retrieval.corpusSize,
    alertsAvailable: material.alertsAvailable,
    ...(material.alertsUnavailableReason ? { alertsUnavailableReason: material.alertsUnavailableReason } : {}),
    dryRun,
    review: plan.counts,
  });
  if (note) output.summary += `\n- Model not used: ${escapeMarkdown(note)}`;
  return {
    output,
    result: {
      status: 'reviewed',
      conclusion: output.conclusion,
      posted: post && !plan.nothingNew,
      counts: plan.counts,
      preview: { body, comments: plan.comments, outdated: plan.outdated, checkRun: output },
    },
  };
}

/**
 * Reviews one pull request at its head commit. Returns what happened; throws GitHub's or the
 * pipeline's error after completing the check run as a failure.
 */
export async function reviewPullRequest(request: ReviewRequest, deps: ReviewDependencies): Promise<ReviewResult> {
  const where = { owner: request.owner, repo: request.repo, pull: request.pull.number, delivery: request.deliveryId };
  const skip = (reason: string): ReviewResult => {
    deps.log.info(where, `not reviewing: ${reason}`);
    return { status: 'skipped', reason };
  };
  if (deps.deliveries && !deps.deliveries.claim(request.deliveryId)) return skip('delivery already handled');
  if (request.pull.open === false) return skip('pull request is closed');

  const checkRun = new CheckRun(request, deps.now ?? (() => new Date()));
  try {
    const parsed = await readRepositoryConfig(request.readConfig);
    if (!parsed.ok) {
      deps.log.warn({ ...where, problems: parsed.problems }, 'invalid .github/seccoder.yml');
      await checkRun.complete(checkRunForInvalidConfig(parsed.problems));
      return { status: 'invalid-config', problems: parsed.problems };
    }
    const { config } = parsed;
    if (!config.enabled) return skip('disabled by enabled: false in .github/seccoder.yml');
    if (request.pull.draft && !config.drafts) return skip('draft pull request (set drafts: true to review drafts)');

    await checkRun.start();
    const { output, result } = await run(request, config, deps);
    await checkRun.complete(output);
    deps.log.info({ ...where, conclusion: result.conclusion, counts: result.counts }, 'reviewed pull request');
    return result;
  } catch (error) {
    deps.deliveries?.release(request.deliveryId);
    deps.log.error({ ...where, err: error }, 'review failed');
    // In a dry run `complete` writes nothing.
    await checkRun
      .complete(failureOutput(error))
      .catch((checkError: unknown) => deps.log.error({ ...where, err: checkError }, 'could not mark the check run failed'));
    throw error;
  }
}

/** The pull request's number, head commit and draft state, read from GitHub (for a re-requested check run). */
export async function readPullRequestInfo(octokit: GitHubClient, owner: string, repo: string, pullNumber: number): Promise<PullRequestInfo> {
  const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber });
  return { number: data.number, headSha: data.head.sha, draft: data.draft ?? false, open: data.state === 'open' };
}

/** `reviewPullRequest` for a pull request known by number only: its head commit and draft state are read first. */
export async function reviewPullRequestByNumber(
  request: Omit<ReviewRequest, 'pull'> & { pullNumber: number },
  deps: ReviewDependencies,
): Promise<ReviewResult> {
  const { pullNumber, ...rest } = request;
  const pull = await readPullRequestInfo(request.octokit, request.owner, request.repo, pullNumber);
  return reviewPullRequest({ ...rest, pull }, deps);
}
