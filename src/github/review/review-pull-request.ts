// One review of one pull request, as the App runs it: read the config → guard (invalid, disabled,
// draft, redelivered) → open a check run (and complete the ones a dead process left in progress)
// → gather (and record what became of earlier suggestions) → select targets → harden, within the
// deadline → re-read what is already posted → post one review and the "outdated" replies → record
// the posted suggestions in the corpus's feedback log → complete the check run. A queued job
// checks between steps whether a newer commit superseded it, or its process is stopping, and then
// completes its check run as cancelled with why. Any error completes the check run as a failure before it is
// thrown on: never a silent green. A dry run (the CLI's `--dry-run`) only reads: the result's
// preview holds what would have been written.
import type { Analyzer } from '../../analyze/types.js';
import type { AlertSource, SkippedTarget } from '../../detect/types.js';
import { createModelClient } from '../../model/operator-settings.js';
import type { CodeModel } from '../../model/types.js';
import type { Logger } from '../../log/logger.js';
import { hardenChange } from '../../harden/harden-change.js';
import type { CorpusRetrieval } from '../corpus-provider.js';
import type { CorpusStore } from '../../corpus/types.js';
import { checkRunForInvalidConfig, checkRunOutput, type CheckRunOutput } from './check-summary.js';
import { corpusLocation, ignoreGlobs, modelEndpoint, toHardenOptions, toTargetOptions, type CorpusLocation, type ModelEndpoint } from '../../config/options.js';
import type { ConfigProblem } from '../../config/problems.js';
import type { SecCoderConfig } from '../../config/schema.js';
import type { OperatorModelSettings } from '../../model/operator-settings.js';
import type { RecentDeliveries } from '../deliveries.js';
import { sameSuggestion, type Fingerprint } from './fingerprint.js';
import { gatherPullRequest, type GitHubClient, type PullRequestMaterial } from './gather.js';
import { CheckRun, completeStrandedCheckRuns, type CheckRunOwner } from './check-run.js';
import { postReviewOnce } from './post-review.js';
import { checkOutcomesInReview, keepingReviewComments, recordReviewFeedback, type ReviewFeedback } from './feedback-in-review.js';
import { ShutdownError, SupersededError } from '../queue/job-queue.js';
import { escapeMarkdown } from '../../text/markdown.js';
import { readRepositoryConfig } from '../../config/read-config.js';
import { resolveValue } from '../resolve-value.js';
import { planReview, renderOutdatedReply, standingSuggestions, type ReviewComment, type ReviewCounts } from './plan.js';

export { CHECK_RUN_NAME } from './check-run.js';

/** Default time a review may take before what is done is posted and the rest is cut. */
export const DEFAULT_REVIEW_DEADLINE_MS = 10 * 60 * 1000;

/** Counters a review reports to (the App's Prometheus metrics). */
export interface ReviewMetrics {
  suggestionsPosted(count: number): void;
  skipped(reason: string): void;
}

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
  /**
   * Where the suggestions a review posts, and what became of them, are recorded: the store of the
   * corpus the repository's config names (its `feedback.jsonl`), or how to open it. Absent:
   * nothing is recorded.
   */
  feedback?: CorpusStore | ((location: CorpusLocation) => CorpusStore);
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
  /** Time the hardening may take, in milliseconds; then what is done is posted. Default 10 minutes. */
  deadlineMs?: number;
  metrics?: ReviewMetrics;
}

/** What a queued job gives its review: who it is, and how to learn it must stop. */
export interface ReviewJobContext {
  /** The pull request's job key and this run's id, written on the check run. */
  owner: CheckRunOwner;
  /** Aborted when the process is shutting down: the review stops at its next step and hands the job back. */
  signal: AbortSignal;
  /** The head commit a newer review was queued for, if any (confirmed with GitHub before stopping). */
  newerHead(): Promise<string | undefined>;
  /** Whether a check run's owner is still running somewhere. */
  isLive(owner: CheckRunOwner): Promise<boolean>;
  attempt: number;
  attempts: number;
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
  /** Set when a queued job runs the review. */
  job?: ReviewJobContext;
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

function failureOutput(error: unknown, job: ReviewJobContext | undefined): CheckRunOutput {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const first = escapeMarkdown(message.split('\n')[0] ?? '');
  if (job && job.attempt < job.attempts) {
    // Not a red check for a failure the queue is about to retry: the next attempt opens its own run.
    return {
      title: `Attempt ${job.attempt} of ${job.attempts} failed; retrying`,
      summary: `SecCoder could not finish this attempt:\n\n${first}\n\nThe review is retried automatically; its new check run replaces this one.`,
      conclusion: 'cancelled',
    };
  }
  return {
    title: 'SecCoder failed',
    summary: `SecCoder could not finish reviewing this pull request:\n\n${first}\n\nRe-run the check to try again.`,
    conclusion: 'failure',
  };
}

/** The check run of a review that stopped early, and not because it failed. */
function stoppedOutput(error: SupersededError | ShutdownError): CheckRunOutput {
  if (error instanceof SupersededError) {
    return {
      title: 'Superseded by a newer commit',
      summary: `A newer commit (${error.newerSha.slice(0, 7)}) was pushed to this pull request; SecCoder reviews that one instead.`,
      conclusion: 'cancelled',
    };
  }
  return {
    title: 'Stopped: SecCoder is restarting',
    summary:
      'The process running this review shut down before it finished. With a shared queue (REDIS_URL) another worker runs the review again and its check run replaces this one; otherwise re-run this check.',
    conclusion: 'cancelled',
  };
}

/**
 * Throws when the job must stop here: its process is shutting down, or a newer head commit was
 * queued for the pull request and GitHub confirms the head has moved (deliveries can arrive out
 * of order, so the queue's word alone is not enough).
 */
async function checkpoint(request: ReviewRequest): Promise<void> {
  const { job } = request;
  if (!job) return;
  if (job.signal.aborted) throw new ShutdownError();
  const newer = await job.newerHead();
  if (newer === undefined) return;
  const current = await readPullRequestInfo(request.octokit, request.owner, request.repo, request.pull.number);
  if (current.headSha !== request.pull.headSha) throw new SupersededError(current.headSha);
}

/** Aborts when the deadline passes or the job's process is stopping, whichever comes first. */
function hardeningSignal(deadlineMs: number, job: ReviewJobContext | undefined): { signal: AbortSignal; deadlinePassed: () => boolean; dispose: () => void } {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), deadlineMs);
  timer.unref();
  const signal = job ? AbortSignal.any([deadline.signal, job.signal]) : deadline.signal;
  return { signal, deadlinePassed: () => deadline.signal.aborted, dispose: () => clearTimeout(timer) };
}

/** The model for this repository's config, or why there is none. */
function modelFor(config: SecCoderConfig, dependency: ModelDependency | undefined): { model?: CodeModel; note?: string } {
  if (!dependency) return {};
  const endpoint = modelEndpoint(config, dependency.settings);
  if (!endpoint.ok) return { note: endpoint.reason };
  return { model: (dependency.create ?? endpointModelClient)(endpoint.endpoint) };
}

/** The OpenAI-compatible client for an endpoint, with its settings and the client's own defaults. */
export function endpointModelClient(endpoint: ModelEndpoint): CodeModel {
  return createModelClient(
    { url: endpoint.baseUrl, name: endpoint.model, ...(endpoint.apiKeyEnv ? { apiKeyEnv: endpoint.apiKeyEnv } : {}) },
    { temperature: endpoint.temperature, samples: endpoint.samples },
  );
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

/** The feedback log's part in this review, or undefined when there is no log or nothing is written. */
function feedbackFor(request: ReviewRequest, config: SecCoderConfig, deps: ReviewDependencies, botLogin: string, dryRun: boolean): ReviewFeedback | undefined {
  if (!deps.feedback || dryRun) return undefined;
  const { octokit, owner, repo, pull } = request;
  const store = typeof deps.feedback === 'function' ? deps.feedback(corpusLocation(config, owner)) : deps.feedback;
  if (store.readOnly) return undefined;
  return { octokit, store, owner, repo, pullNumber: pull.number, headSha: pull.headSha, botLogin, now: deps.now ?? (() => new Date()), log: deps.log };
}

async function run(request: ReviewRequest, config: SecCoderConfig, deps: ReviewDependencies): Promise<{ output: CheckRunOutput; result: Reviewed }> {
  const { octokit, owner, repo, pull } = request;
  const botLogin = await resolveValue(deps.botLogin);
  // The repository's `dryRun: true` still writes the check run (it shows what would be posted); the request's writes nothing.
  const dryRun = config.dryRun || request.dryRun === true;
  const feedback = feedbackFor(request, config, deps, botLogin, dryRun);
  const feedbackProblems: string[] = [];
  // With a feedback log, the review comments gathered are kept for the outcome check below.
  const gathering = feedback ? keepingReviewComments(octokit) : undefined;
  const material = await gatherPullRequest(
    gathering?.octokit ?? octokit,
    { owner, repo, pullNumber: pull.number, headSha: pull.headSha },
    {
      botLogin,
      ignore: ignoreGlobs(config),
      ...(config.languages ? { languages: config.languages } : {}),
      log: deps.log,
      ...(deps.alerts ? { alerts: deps.alerts } : {}),
    },
  );
  const { model, note } = modelFor(config, deps.model);
  if (note) deps.log.warn({ owner, repo, reason: note }, 'running without a model');
  const retrieval = typeof deps.retrieval === 'function' ? await deps.retrieval(corpusLocation(config, owner)) : deps.retrieval;
  // Earlier suggestions first: the push that started this review may have applied them.
  const outcomesProblem = feedback && (await checkOutcomesInReview(feedback, { comments: gathering?.comments(), files: material.files }));
  if (outcomesProblem) feedbackProblems.push(outcomesProblem);
  await checkpoint(request);
  const deadlineMs = deps.deadlineMs ?? DEFAULT_REVIEW_DEADLINE_MS;
  const stop = hardeningSignal(deadlineMs, request.job);
  let hardened: Awaited<ReturnType<typeof hardenChange>>;
  try {
    hardened = await hardenChange(
      { files: material.files, diff: material.diff, alerts: material.alerts, standing: standingSuggestions(material.existing) },
      { demonstrations: retrieval.retriever, ...(model ? { model } : {}), analyzers: deps.analyzers },
      { ...toHardenOptions(config), targets: toTargetOptions(config), signal: stop.signal },
    );
  } finally {
    stop.dispose();
  }
  const { outcomes, alreadySuggested, skipped: selectionSkips } = hardened;
  // Cut by shutdown, not by the deadline: hand the whole job back rather than post half of it.
  const cut = stop.deadlinePassed() ? hardened.cut : [];
  if (hardened.cut.length > 0 && cut.length === 0) throw new ShutdownError();
  if (cut.length > 0) deps.log.warn({ owner, repo, pull: pull.number, cut: cut.length, deadlineMs }, 'review deadline passed; posting what is done');
  await checkpoint(request);

  const skipped = mergeSkips(material, selectionSkips);
  const post = !dryRun;
  const { plan, body, earlier, posted } = await postReviewOnce(
    {
      octokit,
      ref: { owner, repo, pullNumber: pull.number, headSha: pull.headSha },
      botLogin,
      plan: (now) => planReview({ outcomes, diff: material.diff, existing: now.existing, headSha: pull.headSha, alreadySuggested: alreadySuggested.length }),
      bodyContext: { skipped, targetsFound: outcomes.length + alreadySuggested.length },
      dryRun,
      log: deps.log,
    },
    material,
  );
  if (post) {
    if (!plan.nothingNew) deps.metrics?.suggestionsPosted(plan.counts.posted);
    for (const fp of plan.outdated) {
      const thread = earlier.earlierComments.find((comment) => comment.fingerprints.some((other) => sameSuggestion(other, fp)));
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
  const recordProblem = feedback && (await recordReviewFeedback(feedback, { outcomes, plan, posted }));
  if (recordProblem) feedbackProblems.push(recordProblem);

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
    cut,
    deadlineSeconds: Math.round(deadlineMs / 1000),
  });
  for (const skip of skipped) deps.metrics?.skipped(skip.reason);
  if (cut.length > 0) deps.metrics?.skipped('deadline');
  if (note) output.summary += `\n- Model not used: ${escapeMarkdown(note)}`;
  if (feedbackProblems.length > 0) output.summary += `\n- Feedback on suggestions not recorded: ${escapeMarkdown(feedbackProblems.join('; '))}`;
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
  const skip = (reason: string, metric: string): ReviewResult => {
    deps.log.info(where, `not reviewing: ${reason}`);
    deps.metrics?.skipped(metric);
    return { status: 'skipped', reason };
  };
  if (deps.deliveries && !deps.deliveries.claim(request.deliveryId)) return skip('delivery already handled', 'redelivery');
  if (request.pull.open === false) return skip('pull request is closed', 'closed');

  const target = {
    octokit: request.octokit,
    owner: request.owner,
    repo: request.repo,
    headSha: request.pull.headSha,
    ...(request.dryRun ? { dryRun: true } : {}),
    now: deps.now ?? (() => new Date()),
  };
  const { job } = request;
  const checkRun = new CheckRun(target, job?.owner);
  try {
    const parsed = await readRepositoryConfig(request.readConfig);
    if (!parsed.ok) {
      deps.log.warn({ ...where, problems: parsed.problems }, 'invalid .github/seccoder.yml');
      await checkRun.complete(checkRunForInvalidConfig(parsed.problems));
      return { status: 'invalid-config', problems: parsed.problems };
    }
    const { config } = parsed;
    if (!config.enabled) return skip('disabled by enabled: false in .github/seccoder.yml', 'disabled');
    if (request.pull.draft && !config.drafts) return skip('draft pull request (set drafts: true to review drafts)', 'draft');

    await checkpoint(request);
    await checkRun.start();
    if (job) await completeStrandedCheckRuns({ target, own: checkRun, isLive: (owner) => job.isLive(owner), log: deps.log });
    const { output, result } = await run(request, config, deps);
    await checkRun.complete(output);
    deps.log.info({ ...where, conclusion: result.conclusion, counts: result.counts }, 'reviewed pull request');
    return result;
  } catch (error) {
    deps.deliveries?.release(request.deliveryId);
    const stopped = error instanceof SupersededError || error instanceof ShutdownError;
    if (stopped) deps.log.info({ ...where, reason: error.message }, 'review stopped');
    else deps.log.error({ ...where, err: error }, 'review failed');
    // A superseded review that opened no check run leaves nothing behind; in a dry run `complete` writes nothing.
    if (stopped && checkRun.id === undefined) {
      if (error instanceof SupersededError) return skip(error.message, 'superseded');
      throw error;
    }
    await checkRun
      .complete(stopped ? stoppedOutput(error) : failureOutput(error, job))
      .catch((checkError: unknown) => deps.log.error({ ...where, err: checkError }, 'could not complete the check run'));
    if (error instanceof SupersededError) return skip(error.message, 'superseded');
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
