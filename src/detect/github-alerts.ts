// Open code-scanning alerts of a ref (usually a pull request's merge ref) from GitHub's API.
import type { Octokit } from '@octokit/rest';
import { z } from 'zod';
import { cweFromTags } from '../cwe/from-tags.js';
import type { AlertProblem } from '../sarif/problem.js';
import { describeIssues } from '../text/zod-issues.js';
import type { AlertLogger } from './alert-problem.js';
import { AlertsUnavailableError } from './alerts-unavailable-error.js';
import { toRepoPath } from './repo-path.js';
import type { Alert, AlertSource } from './types.js';
import { isHttpFailure } from '../errors/http-status.js';

/** The fields we read of an item of GET /repos/{owner}/{repo}/code-scanning/alerts. */
export const githubAlertSchema = z.object({
  number: z.number().int().positive(),
  state: z.string(),
  html_url: z.string().optional(),
  rule: z.object({
    // Documented as nullable; an alert without a rule id cannot be matched to anything.
    id: z.string().min(1).nullable().optional(),
    severity: z.string().nullable().optional(),
    security_severity_level: z.string().nullable().optional(),
    description: z.string().optional(),
    tags: z.array(z.string()).nullable().optional(),
  }),
  most_recent_instance: z.object({
    ref: z.string().optional(),
    /** The alert's state on the listed ref (`fixed` on a pull request's merge ref when the change removes it). */
    state: z.string().nullable().optional(),
    message: z.object({ text: z.string().optional() }).optional(),
    location: z.object({
      path: z.string().min(1),
      start_line: z.number().int().positive(),
      end_line: z.number().int().positive().optional(),
    }),
  }),
  tool: z.object({ name: z.string().nullable().optional() }).optional(),
});
export type GitHubAlert = z.infer<typeof githubAlertSchema>;

export function alertFromGitHub(item: GitHubAlert): Alert | undefined {
  const ruleId = item.rule.id;
  if (!ruleId) return undefined;
  const { location, message } = item.most_recent_instance;
  const severity = item.rule.security_severity_level ?? item.rule.severity ?? undefined;
  return {
    ruleId,
    message: message?.text ?? item.rule.description ?? ruleId,
    cwe: cweFromTags(item.rule.tags ?? []),
    path: toRepoPath(location.path),
    startLine: location.start_line,
    endLine: Math.max(location.start_line, location.end_line ?? location.start_line),
    ...(severity ? { severity } : {}),
    ...(item.html_url ? { url: item.html_url } : {}),
    number: item.number,
  };
}

/**
 * Which alerts a listing is for: `open` ones (the alert is open), or those `fixed` on the listed
 * ref (its most recent instance there is fixed, whatever the default branch says yet).
 */
export type AlertStateWanted = 'open' | 'fixed';

function stateOf(item: GitHubAlert, wanted: AlertStateWanted): string {
  return wanted === 'fixed' ? (item.most_recent_instance.state ?? item.state) : item.state;
}

/** Items of the API's answer as alerts, and the items that could not be used. */
export function alertsFromGitHub(
  items: readonly unknown[],
  source = 'GitHub code scanning',
  wanted: AlertStateWanted = 'open',
): { alerts: Alert[]; problems: AlertProblem[] } {
  const alerts: Alert[] = [];
  const problems: AlertProblem[] = [];
  items.forEach((raw, i) => {
    const number = (raw as { number?: unknown } | null)?.number;
    const item = typeof number === 'number' ? `alert #${number}` : `item ${i}`;
    const parsed = githubAlertSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push({ source, item, reason: describeIssues(parsed.error.issues) });
      return;
    }
    // The query asks for one state; anything else slipped through and is not ours to use.
    const state = stateOf(parsed.data, wanted);
    if (state !== wanted) {
      problems.push({ source, item, reason: `state is ${state}` });
      return;
    }
    const alert = alertFromGitHub(parsed.data);
    if (alert) alerts.push(alert);
    else problems.push({ source, item, reason: 'rule has no id' });
  });
  return { alerts, problems };
}

export interface GitHubAlertSourceOptions {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** The ref whose analysis to read, e.g. `refs/pull/12/merge` or `refs/heads/main`. */
  ref: string;
  /** Where dropped alerts are reported. Default: not logged, only kept in `problems`. */
  logger?: AlertLogger;
  /** Open alerts (default), or the alerts the ref fixed (for growing the corpus from a merge). */
  state?: AlertStateWanted;
}

/** Code-scanning alerts of one ref (open, or fixed there); AlertsUnavailableError when code scanning gives none. */
export class GitHubAlertSource implements AlertSource {
  readonly name = 'GitHub code scanning';
  /** Alerts dropped by the last `alerts()` call, with reasons. */
  problems: AlertProblem[] = [];

  constructor(private readonly options: GitHubAlertSourceOptions) {}

  async alerts(): Promise<Alert[]> {
    const { octokit, owner, repo, ref, logger } = this.options;
    const wanted = this.options.state ?? 'open';
    let items: unknown[];
    try {
      // An alert's `state` is the default branch's; fixed-on-the-ref is read from its most recent instance there.
      items = await octokit.paginate(octokit.rest.codeScanning.listAlertsForRepo, {
        owner,
        repo,
        ref,
        ...(wanted === 'open' ? { state: 'open' as const } : {}),
        per_page: 100,
      });
    } catch (error) {
      // 403: code scanning / Advanced Security off, or no permission; 404: no analysis for the ref.
      if (isHttpFailure(error) && (error.status === 403 || error.status === 404)) {
        const data = error.response?.data as { message?: unknown } | undefined;
        const message = typeof data?.message === 'string' ? data.message : error.message;
        throw new AlertsUnavailableError(error.status, message, `${owner}/${repo}`, { cause: error });
      }
      throw error;
    }
    const { alerts, problems } = alertsFromGitHub(items, this.name, wanted);
    for (const problem of problems) logger?.warn({ problem }, `dropped a code-scanning alert: ${problem.reason}`);
    this.problems = problems;
    return alerts;
  }
}
