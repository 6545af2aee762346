// The GitHub App: which webhooks SecCoder answers, each handler a guard clause or two and one call.
// Collaborators (corpora, model, analyzers) come in as parameters; `productionDependencies` builds
// the real ones from the operator's environment.
import type { Context, Probot } from 'probot';
import { defaultAnalyzers } from '../analyze/registry.js';
import type { Analyzer } from '../analyze/types.js';
import { resolveCorpusDir } from '../corpus/location.js';
import { CONFIG_FILE_NAME } from '../config/schema.js';
import { createCorpusProvider, type CorpusProvider } from './corpus-provider.js';
import { RecentDeliveries } from './deliveries.js';
import { growthGuard, REVIEWED_PULL_REQUEST_ACTIONS, reviewGuard } from './event-guards.js';
import { growCorpusFromMerge, growthPullOf } from './growth/grow-corpus.js';
import { CHECK_RUN_NAME, reviewPullRequest, reviewPullRequestByNumber, type ModelDependency, type ReviewDependencies } from './review/review-pull-request.js';
import type { Logger } from '../log/logger.js';
import { readOperatorModelSettings } from '../model/operator-settings.js';

export interface AppDependencies {
  /**
   * The corpora: reviews retrieve demonstrations from, and merged fixes are added to, the one a
   * repository's config names (default: the operator's corpus folder).
   */
  corpus: CorpusProvider;
  /** The operator's code model. Absent: precedent mode (demonstrations, no rewrites). */
  model?: ModelDependency;
  /** Analyzers judging the samples, and the functions of merged fixes before they join the corpus; `[]` runs none. */
  analyzers: readonly Analyzer[];
  /** The app's bot login (`<slug>[bot]`). Default: asked of GitHub (`GET /app`) once. */
  botLogin?: string;
  /** Default: each webhook's own probot logger. */
  log?: Logger;
  /** Delivery ids already handled. Default: a fresh memory of the last 1000. */
  deliveries?: RecentDeliveries;
}

/** A function of no arguments whose promise is kept once it resolves (and forgotten when it rejects). */
function once<T>(open: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= open().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

type Octokit = Parameters<CorpusProvider['corpusFor']>[1];

/** What every handler hands on: the installation's client, the repository, the delivery and how to read its config. */
function fromEvent(context: Context<'pull_request'> | Context<'check_run'>) {
  return {
    octokit: context.octokit,
    owner: context.payload.repository.owner.login,
    repo: context.payload.repository.name,
    deliveryId: context.id,
    readConfig: () => context.config(CONFIG_FILE_NAME),
  };
}

export function createApp(deps: AppDependencies) {
  return (app: Probot): void => {
    const deliveries = deps.deliveries ?? new RecentDeliveries();
    const botLogin =
      deps.botLogin ??
      once(async () => {
        const octokit = await app.auth();
        const { data } = await octokit.rest.apps.getAuthenticated();
        if (!data?.slug) throw new Error('GitHub did not say which app this is (GET /app has no slug)');
        return `${data.slug}[bot]`;
      });
    const reviewDeps = (log: Logger, octokit: Octokit): ReviewDependencies => ({
      retrieval: (location) => deps.corpus.corpusFor(location, octokit).retrieval(),
      ...(deps.model ? { model: deps.model } : {}),
      analyzers: deps.analyzers,
      botLogin,
      deliveries,
      log: deps.log ?? log,
    });

    app.on(
      REVIEWED_PULL_REQUEST_ACTIONS.map((action) => `pull_request.${action}` as const),
      async (context) => {
        const pull = context.payload.pull_request;
        const guard = reviewGuard(context.payload.action, pull);
        if (!guard.ok) {
          context.log.info({ pull: pull.number }, `not reviewing: ${guard.reason}`);
          return;
        }
        await reviewPullRequest(
          { ...fromEvent(context), pull: { number: pull.number, headSha: pull.head.sha, draft: pull.draft ?? false } },
          reviewDeps(context.log, context.octokit),
        );
      },
    );

    app.on('pull_request.closed', async (context) => {
      const pull = context.payload.pull_request;
      const guard = growthGuard(pull, context.payload.repository.default_branch);
      if (!guard.ok) {
        context.log.info({ pull: pull.number }, `not growing the corpus: ${guard.reason}`);
        return;
      }
      await growCorpusFromMerge(
        { ...fromEvent(context), pull: growthPullOf({ ...pull, merge_commit_sha: guard.mergeCommitSha }) },
        { corpus: deps.corpus, analyzers: deps.analyzers, botLogin, deliveries, log: deps.log ?? context.log },
      );
    });

    app.on('check_run.rerequested', async (context) => {
      const run = context.payload.check_run;
      if (run.name !== CHECK_RUN_NAME) {
        context.log.info({ checkRun: run.name }, 'not reviewing: another check run');
        return;
      }
      const pullNumber = run.pull_requests[0]?.number;
      if (pullNumber === undefined) {
        context.log.info({ checkRun: run.id }, 'not reviewing: the check run belongs to no pull request of this repository');
        return;
      }
      await reviewPullRequestByNumber({ ...fromEvent(context), pullNumber }, reviewDeps(context.log, context.octokit));
    });
  };
}

/**
 * The real collaborators from the operator's environment: the corpus folder (`SECCODER_CORPUS`,
 * else `./corpus`, else the bundled seed; org-repository corpora mirrored in
 * `SECCODER_CORPUS_CACHE`), indexed on first use, with the cwe-aware retriever; the
 * model from `SECCODER_MODEL_URL` (a URL or preset name), `SECCODER_MODEL` and
 * `SECCODER_MODEL_API_KEY_ENV` (the name of the variable holding the key); the default analyzers.
 */
export function productionDependencies(env: NodeJS.ProcessEnv = process.env): AppDependencies {
  const corpusDir = resolveCorpusDir(undefined, env);
  const corpus = createCorpusProvider({ root: corpusDir, ...(env.SECCODER_CORPUS_CACHE ? { cacheDir: env.SECCODER_CORPUS_CACHE } : {}) });
  const settings = readOperatorModelSettings({}, { environment: 'app', env });
  return {
    corpus,
    ...(settings ? { model: { settings } } : {}),
    analyzers: defaultAnalyzers(),
  };
}
