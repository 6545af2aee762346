// The SecCoder check run of one review, and the clean-up of runs a dead process left "in progress".
// Each run carries the id of the job run that opened it (`external_id`), so a later review of the
// same commit can tell a run someone is still working on from one nobody will ever complete.
import type { Logger } from '../../log/logger.js';
import type { CheckRunOutput } from './check-summary.js';
import type { GitHubClient } from './gather.js';

/** The check run's name on the pull request. */
export const CHECK_RUN_NAME = 'SecCoder';

const EXTERNAL_ID_PREFIX = 'seccoder-run';

/** Who owns a check run: the pull request's job key and the run id of the job that opened it. */
export interface CheckRunOwner {
  key: string;
  runId: string;
}

export function externalIdOf(owner: CheckRunOwner): string {
  return `${EXTERNAL_ID_PREFIX} ${owner.runId} ${owner.key}`;
}

/** The owner written by `externalIdOf`, or undefined for any other text (an older SecCoder, another tool). */
export function ownerOfExternalId(externalId: string | null | undefined): CheckRunOwner | undefined {
  const match = /^seccoder-run (\S+) (.+)$/.exec(externalId ?? '');
  return match ? { runId: match[1] as string, key: match[2] as string } : undefined;
}

export interface CheckRunTarget {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  headSha: string;
  /** Write nothing (a dry run). */
  dryRun?: boolean;
  now: () => Date;
}

/** The check run of one review: created once, completed once; in a dry run, neither. */
export class CheckRun {
  #id: number | undefined;
  #appId: number | undefined;

  constructor(
    private readonly target: CheckRunTarget,
    private readonly owner?: CheckRunOwner,
  ) {}

  get id(): number | undefined {
    return this.#id;
  }

  /** The app that owns the run (from GitHub's answer), to tell our runs from another app's of the same name. */
  get appId(): number | undefined {
    return this.#appId;
  }

  async start(): Promise<void> {
    const { octokit, owner, repo, headSha, dryRun, now } = this.target;
    if (dryRun) return;
    const { data } = await octokit.rest.checks.create({
      owner,
      repo,
      name: CHECK_RUN_NAME,
      head_sha: headSha,
      status: 'in_progress',
      started_at: now().toISOString(),
      ...(this.owner ? { external_id: externalIdOf(this.owner) } : {}),
    });
    this.#id = data.id;
    this.#appId = data.app?.id;
  }

  async complete(output: CheckRunOutput): Promise<void> {
    const { octokit, owner, repo, headSha, dryRun, now } = this.target;
    if (dryRun) return;
    const fields = {
      owner,
      repo,
      status: 'completed' as const,
      conclusion: output.conclusion,
      completed_at: now().toISOString(),
      output: { title: output.title, summary: output.summary, ...(output.text !== undefined ? { text: output.text } : {}) },
    };
    if (this.#id === undefined) await octokit.rest.checks.create({ ...fields, name: CHECK_RUN_NAME, head_sha: headSha });
    else await octokit.rest.checks.update({ ...fields, check_run_id: this.#id });
  }
}

export interface StrandedRunsInput {
  target: CheckRunTarget;
  /** The run just opened (left alone). */
  own: CheckRun;
  /** Whether the job run owning a check run is still working somewhere. */
  isLive: (owner: CheckRunOwner) => Promise<boolean>;
  log: Logger;
}

/**
 * Completes, as cancelled with the reason, every other in-progress SecCoder check run of this
 * commit that no live job owns: its process was killed, crashed or restarted mid-review, and
 * nothing else would ever complete it. Returns how many were completed.
 */
export async function completeStrandedCheckRuns(input: StrandedRunsInput): Promise<number> {
  const { target, own, isLive, log } = input;
  const { octokit, owner, repo, headSha, now } = target;
  if (target.dryRun) return 0;
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    owner,
    repo,
    ref: headSha,
    check_name: CHECK_RUN_NAME,
    status: 'in_progress',
    // GitHub's default (`latest`) lists only the newest run of each name: the one just opened.
    filter: 'all',
    ...(own.appId !== undefined ? { app_id: own.appId } : {}),
    per_page: 100,
  });
  let completed = 0;
  for (const run of runs) {
    if (run.id === own.id || run.status === 'completed') continue;
    const runOwner = ownerOfExternalId(run.external_id);
    if (runOwner && (await isLive(runOwner))) continue;
    await octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: run.id,
      status: 'completed',
      conclusion: 'cancelled',
      completed_at: now().toISOString(),
      output: {
        title: 'SecCoder stopped before finishing',
        summary: `The process running this review stopped (a restart, a deploy or a crash) before it finished. A new review of this commit is running${own.id !== undefined ? ` (check run ${own.id})` : ''}; its result replaces this one.`,
      },
    });
    log.info({ owner, repo, checkRun: run.id, headSha }, 'completed a stranded check run as cancelled');
    completed += 1;
  }
  return completed;
}
