// The outcome check outside a review: when a pull request is closed (merged or not: the last 👎s
// come in then) and when a review thread is resolved (`pull_request_review_thread`, action
// `resolved`: a thread of the app's resolved without its lines in the code is a dismissal). The
// webhook's payload says which pull request, and for a thread which comments; the check itself
// (feedback-outcomes.ts) reads the rest. Reviews check on every push themselves
// (review-pull-request.ts), so `synchronize` needs nothing here.
import { z } from 'zod';
import { corpusLocation } from '../../config/options.js';
import { readRepositoryConfig } from '../../config/read-config.js';
import type { Logger } from '../../log/logger.js';
import type { CorpusProvider } from '../corpus-provider.js';
import { resolveValue } from '../resolve-value.js';
import { checkSuggestionOutcomes, type OutcomeCheckResult } from './feedback-outcomes.js';
import type { GitHubClient } from './gather.js';

/** What a closed pull request or a resolved review thread asks: check the app's suggestions there. Plain JSON (a queue stores it). */
export interface FeedbackCheck {
  installationId: number;
  owner: string;
  repo: string;
  pullNumber: number;
  /** The `X-GitHub-Delivery` id of the webhook (for logs). */
  deliveryId: string;
  trigger: 'closed' | 'thread-resolved';
  /** thread-resolved: the ids of the thread's comments, and who resolved it. */
  thread?: { commentIds: number[]; resolvedBy?: string };
}

const where = {
  installation: z.object({ id: z.number().int() }),
  repository: z.object({ name: z.string(), owner: z.object({ login: z.string() }) }),
  pull_request: z.object({ number: z.number().int() }),
};

const closedSchema = z.object({ action: z.literal('closed'), ...where });

const threadSchema = z.object({
  action: z.string(),
  ...where,
  thread: z.object({
    comments: z.array(z.object({ id: z.number().int(), body: z.string().nullish(), user: z.object({ type: z.string().optional() }).nullish() })),
  }),
  sender: z.object({ login: z.string() }).optional(),
});

/** SecCoder's fingerprint marker, which every suggestion comment of the app ends with (fingerprint.ts). */
const MARKER = '<!-- seccoder:v1 ';

/**
 * The check a delivery asks for, or why none. Pure: the webhook server calls it straight after
 * the signature check. A resolved thread without a comment by a bot carrying SecCoder's marker is
 * someone else's (the check confirms the bot's login before trusting a marker).
 */
export function feedbackCheckForEvent(event: string, payload: unknown, deliveryId: string): { check: FeedbackCheck } | { ignored: string } {
  if (event === 'pull_request') {
    const parsed = closedSchema.safeParse(payload);
    if (!parsed.success) return { ignored: 'not checking suggestions: not a closed pull request' };
    const { installation, repository, pull_request: pull } = parsed.data;
    return {
      check: { installationId: installation.id, owner: repository.owner.login, repo: repository.name, pullNumber: pull.number, deliveryId, trigger: 'closed' },
    };
  }
  if (event !== 'pull_request_review_thread') return { ignored: `${event} events check no suggestion` };
  const parsed = threadSchema.safeParse(payload);
  if (!parsed.success) return { ignored: 'not checking suggestions: the payload is not a review thread SecCoder can read' };
  const { action, installation, repository, pull_request: pull, thread, sender } = parsed.data;
  if (action !== 'resolved') return { ignored: `review thread ${action}: only a resolved thread is checked` };
  if (!thread.comments.some((comment) => comment.user?.type === 'Bot' && (comment.body ?? '').includes(MARKER))) {
    return { ignored: 'not checking suggestions: the resolved thread holds no SecCoder suggestion' };
  }
  return {
    check: {
      installationId: installation.id,
      owner: repository.owner.login,
      repo: repository.name,
      pullNumber: pull.number,
      deliveryId,
      trigger: 'thread-resolved',
      thread: { commentIds: thread.comments.map((comment) => comment.id), ...(sender ? { resolvedBy: sender.login } : {}) },
    },
  };
}

export interface FeedbackCheckDependencies {
  octokit: GitHubClient;
  /** Reads the parsed `.github/seccoder.yml` (null or undefined: no file): it names the corpus. */
  readConfig: () => Promise<unknown>;
  corpus: CorpusProvider;
  botLogin: string | (() => Promise<string>);
  log: Logger;
  /** Default: the clock. */
  now?: () => Date;
}

export type FeedbackCheckResult = ({ status: 'checked' } & OutcomeCheckResult) | { status: 'skipped'; reason: string };

/**
 * Runs one check: the config names the corpus, its feedback log says which suggestions of the pull
 * request are left (none: nothing else is read), and the check reads the pull request's head only then.
 */
export async function runFeedbackCheck(check: FeedbackCheck, deps: FeedbackCheckDependencies): Promise<FeedbackCheckResult> {
  const { owner, repo, pullNumber } = check;
  const parsed = await readRepositoryConfig(deps.readConfig);
  if (!parsed.ok) {
    deps.log.info({ owner, repo, pull: pullNumber, delivery: check.deliveryId }, 'not checking suggestions: invalid .github/seccoder.yml');
    return { status: 'skipped', reason: 'invalid .github/seccoder.yml' };
  }
  const store = deps.corpus.corpusFor(corpusLocation(parsed.config, owner), deps.octokit).store;
  if (store.readOnly) {
    deps.log.info({ owner, repo, pull: pullNumber, delivery: check.deliveryId }, `not checking suggestions: ${store.readOnly}`);
    return { status: 'skipped', reason: store.readOnly };
  }
  const result = await checkSuggestionOutcomes({
    octokit: deps.octokit,
    store,
    owner,
    repo,
    pullNumber,
    headSha: async () => (await deps.octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber })).data.head.sha,
    botLogin: await resolveValue(deps.botLogin),
    ...(check.thread ? { resolved: { commentIds: check.thread.commentIds, ...(check.thread.resolvedBy ? { by: check.thread.resolvedBy } : {}) } } : {}),
    applyCommits: true,
    now: deps.now ?? (() => new Date()),
    log: deps.log,
  });
  return { status: 'checked', ...result };
}
