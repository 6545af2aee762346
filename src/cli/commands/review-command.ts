// `seccoder review --repo o/r --pr N`: the App's review of one pull request, run from a terminal
// with a token. `--dry-run` only reads from GitHub and prints the review it would post (body,
// suggestion comments, outdated replies, check-run summary); without it the review and the check
// run are posted, as the App posts them (a check run needs a GitHub App or Actions token).
import type { Command } from 'commander';
import { defaultAnalyzers } from '../../analyze/registry.js';
import { CONFIG_PATH } from '../../config/schema.js';
import { readConfigFromApi } from '../../github/config-from-api.js';
import { createOctokit } from '../../github/octokit.js';
import { reviewPullRequestByNumber, type ReviewResult } from '../../github/review/review-pull-request.js';
import type { Logger } from '../../log/logger.js';
import { openIndexForCli, retrieverFor } from '../open-retriever.js';
import { modelSettingsOf, withIndexOptions, withModelOptions, type IndexOptions, type ModelOptions } from '../shared-options.js';
import { UsageError } from '../usage-error.js';

interface ReviewOptions extends IndexOptions, ModelOptions {
  repo: string;
  pr: string;
  tokenEnv: string;
  apiUrl?: string;
  dryRun?: boolean;
  botLogin: string;
  json?: boolean;
}

const REPOSITORY = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/;

/** Logs for a terminal: one line on stderr per warning or error, details left out (they may hold code). */
const terminalLog: Logger = {
  info: () => undefined,
  warn: (_details, message) => console.error(`warning: ${message}`),
  error: (_details, message) => console.error(`error: ${message}`),
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
  withIndexOptions(withModelOptions(program.command('review')))
    .description('review a pull request as the GitHub App does; --dry-run prints the review instead of posting it')
    .requiredOption('--repo <owner/name>', 'the repository')
    .requiredOption('--pr <number>', 'the pull request number')
    .option('--dry-run', 'only read from GitHub; print what would be posted')
    .option('--token-env <var>', 'environment variable holding the GitHub token', 'GITHUB_TOKEN')
    .option('--api-url <url>', 'GitHub API root (GitHub Enterprise Server: https://HOST/api/v3)')
    .option('--bot-login <login>', 'whose earlier comments hold the fingerprints of earlier suggestions', 'seccoder[bot]')
    .option('--json', 'print the result as JSON')
    .action(async (options: ReviewOptions) => {
      const repository = REPOSITORY.exec(options.repo);
      if (!repository) throw new UsageError(`invalid --repo ${JSON.stringify(options.repo)}: use owner/name`);
      const [, owner = '', repo = ''] = repository;
      const pullNumber = Number(options.pr);
      if (!Number.isInteger(pullNumber) || pullNumber <= 0) throw new UsageError(`invalid --pr ${JSON.stringify(options.pr)}: use the pull request's number`);
      const token = process.env[options.tokenEnv];
      if (!token) throw new UsageError(`no GitHub token: set ${options.tokenEnv} (or name another variable with --token-env)`);

      const octokit = createOctokit({ auth: token, log: octokitLog, ...(options.apiUrl ? { baseUrl: options.apiUrl } : {}) });
      const modelSettings = modelSettingsOf(options);
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
          retrieval: { retriever: retrieverFor(index, 'cwe-aware'), corpusSize: index.entries.length },
          ...(modelSettings ? { model: { settings: modelSettings } } : {}),
          analyzers: defaultAnalyzers(),
          botLogin: options.botLogin,
          log: terminalLog,
        },
      );
      printResult(result, options.json === true);
    });
}
