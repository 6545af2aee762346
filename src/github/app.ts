// The GitHub App: which webhooks SecCoder answers, each handler a guard clause or two and one call.
// Collaborators (corpora, model, analyzers) come in as parameters; `productionDependencies` builds
// the real ones from the operator's environment.
import type { Context, Probot } from 'probot';
import { defaultAnalyzers } from '../analyze/registry.js';
import type { Analyzer } from '../analyze/types.js';
import { resolveCorpusDir } from '../corpus/location.js';
import { CONFIG_FILE_NAME } from '../config/seccoder-config.js';
import { createCorpusProvider, type CorpusProvider } from './corpus-provider.js';
import { RecentDeliveries } from './deliveries.js';
import { growCorpusFromMerge, growthPullOf } from './growth/grow-corpus.js';
import {
  CHECK_RUN_NAME,
  reviewPullRequest,
  reviewPullRequestByNumber,
  type ModelDependency,
  type ReviewDependencies,
  type ReviewLog,
} from './review/review-pull-request.js';
import { modelTargetConfig } from '../model/presets.js';

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
  log?: ReviewLog;
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
    const reviewDeps = (log: ReviewLog, octokit: Octokit): ReviewDependencies => ({
      demonstrations: (location) => deps.corpus.corpusFor(location, octokit).demonstrations(),
      ...(deps.model ? { model: deps.model } : {}),
      analyzers: deps.analyzers,
      botLogin,
      deliveries,
      log: deps.log ?? log,
    });

    app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.ready_for_review'], async (context) => {
      const pull = context.payload.pull_request;
      if (pull.state !== 'open') {
        context.log.info({ pull: pull.number }, 'not reviewing: pull request is closed');
        return;
      }
      await reviewPullRequest(
        { ...fromEvent(context), pull: { number: pull.number, headSha: pull.head.sha, draft: pull.draft ?? false } },
        reviewDeps(context.log, context.octokit),
      );
    });

    app.on('pull_request.closed', async (context) => {
      const pull = context.payload.pull_request;
      const { repository } = context.payload;
      if (!pull.merged || !pull.merge_commit_sha) {
        context.log.info({ pull: pull.number }, 'not growing the corpus: closed without merging');
        return;
      }
      if (pull.base.ref !== repository.default_branch) {
        context.log.info({ pull: pull.number, base: pull.base.ref }, 'not growing the corpus: merged into a branch other than the default');
        return;
      }
      await growCorpusFromMerge(
        { ...fromEvent(context), pull: growthPullOf({ ...pull, merge_commit_sha: pull.merge_commit_sha }) },
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
  const url = env.SECCODER_MODEL_URL;
  let model: ModelDependency | undefined;
  if (url) {
    const target = modelTargetConfig(url);
    const apiKeyEnv = env.SECCODER_MODEL_API_KEY_ENV ?? target.apiKeyEnv;
    model = { settings: { url: target.baseUrl, ...(env.SECCODER_MODEL ? { name: env.SECCODER_MODEL } : {}), ...(apiKeyEnv ? { apiKeyEnv } : {}), environment: 'app' } };
  }
  return {
    corpus,
    ...(model ? { model } : {}),
    analyzers: defaultAnalyzers(),
  };
}
