// `seccoder review --repo o/r --pr N`: the App's review of one pull request, run from a terminal
// with a token. `--dry-run` only reads from GitHub and prints the review it would post (body,
// suggestion comments, outdated replies, check-run summary); without it the review and the check
// run are posted, as the App posts them (a check run needs a GitHub App or Actions token).
import type { Command } from 'commander';
import { defaultAnalyzers } from '../../analyze/registry.js';
import { CONFIG_PATH } from '../../config/seccoder-config.js';
import { readConfigFromApi } from '../../github/config-from-api.js';
import { createOctokit } from '../../github/octokit.js';
import { reviewPullRequestByNumber, type ReviewResult } from '../../github/review/review-pull-request.js';
import { modelTargetConfig } from '../../model/presets.js';
import { openIndexForCli, retrieverFor } from '../open-retriever.js';

interface ReviewOptions {
  repo: string;
  pr: string;
  tokenEnv: string;
  apiUrl?: string;
  modelUrl?: string;
  model?: string;
  apiKeyEnv?: string;
  dryRun?: boolean;
  botLogin: string;
  json?: boolean;
  corpus?: string;
  embedder: string;
}

const REPOSITORY = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/;

/** Logs for a terminal: one line on stderr per warning or error, details left out (they may hold code). */
const terminalLog = {
  info: () => undefined,
  warn: (_details: object, message: string) => console.error(`warning: ${message}`),
  error: (_details: object, message: string) => console.error(`error: ${message}`),
};

/**
 * Octokit's request log, quieted: it reports every failed request (a 404 for an absent config
 * file is expected) as an error, while the command reports the failures that matter once.
 */
const octokitLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.error(`warning: ${message}`),
  error: () => undefined,
};

function printResult(result: ReviewResult, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  if (result.status === 'skipped') {
    console.log(`not reviewed: ${result.reason}`);
    return;
  }
  if (result.status === 'invalid-config') {
    console.log(`${CONFIG_PATH} is invalid:`);
    for (const problem of result.problems) console.log(`  ${problem.key}: ${problem.message}`);
    return;
  }
  const { preview } = result;
  console.log(`# Check run (${preview.checkRun.conclusion}): ${preview.checkRun.title}\n\n${preview.checkRun.summary}\n`);
  console.log(`# Review body\n\n${preview.body}\n`);
  for (const comment of preview.comments) {
    const lines = comment.start_line !== undefined ? `${comment.start_line}-${comment.line}` : `${comment.line}`;
    console.log(`# Comment on ${comment.path}:${lines}\n\n${comment.body}\n`);
  }
  for (const outdated of preview.outdated) console.log(`# Outdated reply on the earlier suggestion for ${outdated.fn} in ${outdated.path}\n`);
}

export function registerReviewCommand(program: Command): void {
  program
    .command('review')
    .description("review a pull request as the GitHub App does; --dry-run prints the review instead of posting it")
    .requiredOption('--repo <owner/name>', 'the repository')
    .requiredOption('--pr <number>', 'the pull request number')
    .option('--dry-run', 'only read from GitHub; print what would be posted')
    .option('--token-env <var>', 'environment variable holding the GitHub token', 'GITHUB_TOKEN')
    .option('--api-url <url>', 'GitHub API root (GitHub Enterprise Server: https://HOST/api/v3)')
    .option('--model-url <url>', 'OpenAI-compatible endpoint or preset; or $SECCODER_MODEL_URL (default: precedent mode)')
    .option('--model <name>', 'model name at that endpoint; or $SECCODER_MODEL')
    .option('--api-key-env <var>', 'environment variable holding the model API key')
    .option('--bot-login <login>', "whose earlier comments hold the fingerprints of earlier suggestions", 'seccoder[bot]')
    .option('--json', 'print the result as JSON')
    .option('--corpus <dir>', 'corpus folder (default: ./corpus, $SECCODER_CORPUS, or the bundled seed)')
    .option('--embedder <name>', 'default | onnx:<folder>', 'default')
    .action(async (options: ReviewOptions) => {
      const repository = REPOSITORY.exec(options.repo);
      if (!repository) throw new Error(`invalid --repo ${JSON.stringify(options.repo)}: use owner/name`);
      const [, owner = '', repo = ''] = repository;
      const pullNumber = Number(options.pr);
      if (!Number.isInteger(pullNumber) || pullNumber <= 0) throw new Error(`invalid --pr ${JSON.stringify(options.pr)}: use the pull request's number`);
      const token = process.env[options.tokenEnv];
      if (!token) throw new Error(`no GitHub token: set ${options.tokenEnv} (or name another variable with --token-env)`);

      const octokit = createOctokit({ auth: token, log: octokitLog, ...(options.apiUrl ? { baseUrl: options.apiUrl } : {}) });
      const url = options.modelUrl ?? process.env.SECCODER_MODEL_URL;
      const name = options.model ?? process.env.SECCODER_MODEL;
      const target = url ? modelTargetConfig(url) : undefined;
      const apiKeyEnv = options.apiKeyEnv ?? target?.apiKeyEnv;
      const index = await openIndexForCli(options);
      const result = await reviewPullRequestByNumber(
        {
          octokit,
          owner,
          repo,
          pullNumber,
          deliveryId: `cli-${Date.now()}`,
          dryRun: options.dryRun === true,
          // The same file, org fallback and `_extends` as the App's `context.config`.
          readConfig: () => readConfigFromApi(octokit, owner, repo),
        },
        {
          demonstrations: { source: retrieverFor(index, 'cwe-aware'), corpusSize: index.entries.length },
          ...(target ? { model: { settings: { url: target.baseUrl, ...(name ? { name } : {}), ...(apiKeyEnv ? { apiKeyEnv } : {}), environment: 'repository' as const } } } : {}),
          analyzers: defaultAnalyzers(),
          botLogin: options.botLogin,
          log: terminalLog,
        },
      );
      printResult(result, options.json === true);
    });
}
