// A webhook's payload → the job it asks for, or why it asks for none. Pure, and no GitHub client
// needed: the webhook server calls it straight after the signature check (answering fast), and the
// probot handlers call it too. The fields read are validated with zod: a payload that lacks them
// is ignored with the reason, not a crash half-way through a handler.
import { z } from 'zod';
import { growthGuard, reviewGuard } from './event-guards.js';
import { growthPullOf, mayBeProposal } from './growth/grow-corpus.js';
import type { Job } from './queue/job.js';
import { CHECK_RUN_NAME } from './review/check-run.js';
import { feedbackCheckForEvent } from './review/feedback-check.js';

const repositorySchema = z.object({ name: z.string(), owner: z.object({ login: z.string() }), default_branch: z.string() });
const installationSchema = z.object({ id: z.number().int() });
const userSchema = z.object({ login: z.string(), type: z.string().optional() });

const pullRequestEventSchema = z.object({
  action: z.string(),
  installation: installationSchema,
  repository: repositorySchema,
  pull_request: z.object({
    number: z.number().int(),
    state: z.string(),
    head: z.object({ sha: z.string(), ref: z.string().optional() }),
    base: z.object({ ref: z.string(), sha: z.string() }),
    html_url: z.string().optional(),
    merged: z.boolean().nullish(),
    merge_commit_sha: z.string().nullish(),
    labels: z.array(z.object({ name: z.string() })).default([]),
    user: userSchema,
    merged_by: userSchema.nullish(),
  }),
  sender: userSchema.optional(),
});

const checkRunEventSchema = z.object({
  action: z.string(),
  installation: installationSchema,
  repository: repositorySchema,
  check_run: z.object({ id: z.number(), name: z.string(), head_sha: z.string(), pull_requests: z.array(z.object({ number: z.number().int() })) }),
});

export type EventJob = { job: Job } | { ignored: string };

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `the payload is not one SecCoder can read (${issue ? `${issue.path.join('.') || 'payload'}: ${issue.message}` : 'invalid'})`;
}

function pullRequestJob(payload: unknown, deliveryId: string): EventJob {
  const parsed = pullRequestEventSchema.safeParse(payload);
  if (!parsed.success) return { ignored: firstIssue(parsed.error) };
  const { action, installation, repository, pull_request: pull } = parsed.data;
  const where = { installationId: installation.id, owner: repository.owner.login, repo: repository.name, pullNumber: pull.number, deliveryId };
  if (action === 'closed') {
    // SecCoder's proposal on the corpus repository (growth.mode: pull-request): its merge or close is recorded.
    if (mayBeProposal(pull)) {
      return {
        job: { kind: 'growth', ...where, pull: growthPullOf({ ...pull, merge_commit_sha: pull.merge_commit_sha ?? pull.head.sha }, parsed.data.sender) },
      };
    }
    const guard = growthGuard(pull, repository.default_branch);
    if (!guard.ok) return { ignored: `not growing the corpus: ${guard.reason}` };
    return { job: { kind: 'growth', ...where, pull: growthPullOf({ ...pull, merge_commit_sha: guard.mergeCommitSha }) } };
  }
  const guard = reviewGuard(action, pull);
  if (!guard.ok) return { ignored: `not reviewing: ${guard.reason}` };
  return { job: { kind: 'review', ...where, headSha: pull.head.sha, rerun: false } };
}

function checkRunJob(payload: unknown, deliveryId: string): EventJob {
  const parsed = checkRunEventSchema.safeParse(payload);
  if (!parsed.success) return { ignored: firstIssue(parsed.error) };
  const { action, installation, repository, check_run: run } = parsed.data;
  if (action !== 'rerequested') return { ignored: `check run ${action}: only a re-requested SecCoder check is reviewed` };
  if (run.name !== CHECK_RUN_NAME) return { ignored: 'not reviewing: another check run' };
  const pullNumber = run.pull_requests[0]?.number;
  if (pullNumber === undefined) return { ignored: 'not reviewing: the check run belongs to no pull request of this repository' };
  const where = { installationId: installation.id, owner: repository.owner.login, repo: repository.name, pullNumber, deliveryId };
  return { job: { kind: 'review', ...where, headSha: run.head_sha, rerun: true } };
}

/** The job a delivery of `event` asks for. Events SecCoder does not act on (`installation`, `ping`, …) are ignored. */
export function jobForEvent(event: string, payload: unknown, deliveryId: string): EventJob {
  if (event === 'pull_request') return pullRequestJob(payload, deliveryId);
  if (event === 'check_run') return checkRunJob(payload, deliveryId);
  return { ignored: `${event} events start no job` };
}

/**
 * Every job a delivery asks for: the one `jobForEvent` names, and the check of what became of the
 * app's suggestions when a pull request is closed or a review thread resolved (a merged pull
 * request asks for both). Ignored, with why, when it asks for none.
 */
export function jobsForEvent(event: string, payload: unknown, deliveryId: string): { jobs: Job[] } | { ignored: string } {
  const main = jobForEvent(event, payload, deliveryId);
  const feedback = feedbackCheckForEvent(event, payload, deliveryId);
  const jobs: Job[] = [...('job' in main ? [main.job] : []), ...('check' in feedback ? [{ kind: 'feedback' as const, ...feedback.check }] : [])];
  if (jobs.length > 0) return { jobs };
  // A review thread only ever asks for the check: its reason says why not; otherwise the main job's does.
  if (event === 'pull_request_review_thread' && 'ignored' in feedback) return { ignored: feedback.ignored };
  return { ignored: 'ignored' in main ? main.ignored : `${event} events start no job` };
}
