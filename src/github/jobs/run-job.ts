// What a worker does with a job from the queue: authenticate as the installation, then run the
// same review or growth the App always ran. The queue's promises (one job per pull request at a
// time, supersession, shutdown) reach the review through its job context.
import { readConfigFromApi } from '../config-from-api.js';
import type { AppDependencies } from '../app-dependencies.js';
import { growCorpusFromMerge } from '../growth/grow-corpus.js';
import type { Logger } from '../../log/logger.js';
import { jobKey, type FeedbackJob, type GrowthJob, type Job, type ReviewJob } from '../queue/job.js';
import { runFeedbackCheck } from '../review/feedback-check.js';
import type { JobControl, JobHandler } from '../queue/job-queue.js';
import type { GitHubClient } from '../review/gather.js';
import { readPullRequestInfo, reviewPullRequest, type ReviewDependencies } from '../review/review-pull-request.js';

type Octokit = GitHubClient & Parameters<typeof readConfigFromApi>[0];

export interface JobRunnerDependencies extends Omit<AppDependencies, 'botLogin' | 'log'> {
  /** The installation's client (probot's `app.auth(installationId)`). */
  auth: (installationId: number) => Promise<Octokit>;
  botLogin: string | (() => Promise<string>);
  log: Logger;
}

/** How a job ended, for the job-duration metric. */
type JobOutcome = 'done' | 'skipped' | 'superseded' | 'failed' | 'stopped';

async function runReview(job: ReviewJob, control: JobControl, octokit: Octokit, deps: JobRunnerDependencies): Promise<JobOutcome> {
  const { owner, repo } = job;
  // GitHub says what the head is now: a job for an older commit (a late or out-of-order delivery) has nothing to do.
  const pull = await readPullRequestInfo(octokit, owner, repo, job.pullNumber);
  if (pull.headSha !== job.headSha) {
    deps.log.info({ owner, repo, pull: job.pullNumber, job: job.headSha, head: pull.headSha }, 'not reviewing: a newer commit is the head now');
    deps.metrics?.skipped('superseded');
    return 'superseded';
  }
  const key = jobKey(job);
  const reviewDeps: ReviewDependencies = {
    retrieval: (location) => deps.corpus.corpusFor(location, octokit).retrieval(),
    feedback: (location) => deps.corpus.corpusFor(location, octokit).store,
    ...(deps.model ? { model: deps.model } : {}),
    analyzers: deps.analyzers,
    botLogin: deps.botLogin,
    log: deps.log,
    ...(deps.deadlineMs !== undefined ? { deadlineMs: deps.deadlineMs } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  };
  const result = await reviewPullRequest(
    {
      octokit,
      owner,
      repo,
      pull,
      deliveryId: job.deliveryId,
      readConfig: () => readConfigFromApi(octokit, owner, repo),
      job: {
        owner: { key, runId: control.runId },
        signal: control.signal,
        newerHead: () => control.newerHead(),
        isLive: (runOwner) => control.isLive(runOwner.key, runOwner.runId),
        attempt: control.attempt,
        attempts: control.attempts,
      },
    },
    reviewDeps,
  );
  if (result.status !== 'skipped') return 'done';
  return result.reason.startsWith('superseded') ? 'superseded' : 'skipped';
}

async function runGrowth(job: GrowthJob, octokit: Octokit, deps: JobRunnerDependencies): Promise<JobOutcome> {
  const result = await growCorpusFromMerge(
    {
      octokit,
      owner: job.owner,
      repo: job.repo,
      pull: job.pull,
      deliveryId: job.deliveryId,
      readConfig: () => readConfigFromApi(octokit, job.owner, job.repo),
    },
    { corpus: deps.corpus, analyzers: deps.analyzers, botLogin: deps.botLogin, log: deps.log },
  );
  return result.status === 'grown' ? 'done' : 'skipped';
}

async function runFeedback(job: FeedbackJob, octokit: Octokit, deps: JobRunnerDependencies): Promise<JobOutcome> {
  const result = await runFeedbackCheck(job, {
    octokit,
    readConfig: () => readConfigFromApi(octokit, job.owner, job.repo),
    corpus: deps.corpus,
    botLogin: deps.botLogin,
    log: deps.log,
  });
  return result.status === 'checked' ? 'done' : 'skipped';
}

export function createJobHandler(deps: JobRunnerDependencies): JobHandler {
  return async (job: Job, control: JobControl) => {
    const started = performance.now();
    let outcome: JobOutcome = 'failed';
    try {
      const octokit = await deps.auth(job.installationId);
      if (job.kind === 'review') outcome = await runReview(job, control, octokit, deps);
      else if (job.kind === 'growth') outcome = await runGrowth(job, octokit, deps);
      else outcome = await runFeedback(job, octokit, deps);
    } catch (error) {
      if (control.signal.aborted) outcome = 'stopped';
      throw error;
    } finally {
      deps.metrics?.jobFinished(job.kind, outcome, (performance.now() - started) / 1000);
    }
  };
}
