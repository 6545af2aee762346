// The workflow event the Action runs on, read from GITHUB_EVENT_PATH and parsed with a schema that
// checks only the fields it reads: a pull request (review it, or grow the corpus when it was
// merged) or a push (grow the corpus from the pull request the pushed commit merged).
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { describeIssues } from '../text/zod-issues.js';
import { ActionInputError } from './action-input-error.js';

const repositorySchema = z.object({
  name: z.string().min(1),
  owner: z.object({ login: z.string().min(1) }),
  default_branch: z.string().min(1),
});

/** A pull request as the webhook payload and `pulls.get` give it, the fields read. */
export const pullSchema = z.object({
  number: z.int().positive(),
  state: z.string(),
  draft: z.boolean().optional(),
  merged: z.boolean().nullable().optional(),
  merged_at: z.string().nullable().optional(),
  merge_commit_sha: z.string().nullable().optional(),
  head: z.object({ sha: z.string().min(1) }),
  base: z.object({ sha: z.string().min(1), ref: z.string().min(1) }),
  labels: z.array(z.object({ name: z.string() })).default([]),
  user: z.object({ login: z.string(), type: z.string().optional() }),
  merged_by: z.object({ login: z.string() }).nullable().optional(),
});
export type PullPayload = z.infer<typeof pullSchema>;
type Repository = z.infer<typeof repositorySchema>;

const pullRequestEventSchema = z.object({ action: z.string(), pull_request: pullSchema, repository: repositorySchema });
const pushEventSchema = z.object({ ref: z.string(), after: z.string(), deleted: z.boolean().optional(), repository: repositorySchema });

export type ActionEvent =
  | { kind: 'pull_request'; name: string; action: string; pull: PullPayload; repository: Repository }
  | { kind: 'push'; name: 'push'; ref: string; after: string; deleted: boolean; repository: Repository }
  | { kind: 'other'; name: string };

/** The pull-request events the Action treats alike. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

/** Reads the event the workflow runs on; ActionInputError when the file is missing or does not fit its event. */
export async function readEvent(env: NodeJS.ProcessEnv): Promise<ActionEvent> {
  const name = env.GITHUB_EVENT_NAME;
  const path = env.GITHUB_EVENT_PATH;
  if (!name || !path) throw new ActionInputError('event', 'GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set; the Action runs in a GitHub Actions workflow');
  if (!PULL_REQUEST_EVENTS.has(name) && name !== 'push') return { kind: 'other', name };
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ActionInputError('event', `cannot read the ${name} event from ${path}: ${(error as Error).message}`);
  }
  if (name === 'push') {
    const parsed = pushEventSchema.safeParse(payload);
    if (!parsed.success) throw new ActionInputError('event', `not a push event: ${describeIssues(parsed.error.issues)}`);
    const { ref, after, deleted, repository } = parsed.data;
    return { kind: 'push', name, ref, after, deleted: deleted ?? false, repository };
  }
  const parsed = pullRequestEventSchema.safeParse(payload);
  if (!parsed.success) throw new ActionInputError('event', `not a pull_request event: ${describeIssues(parsed.error.issues)}`);
  return { kind: 'pull_request', name, action: parsed.data.action, pull: parsed.data.pull_request, repository: parsed.data.repository };
}
