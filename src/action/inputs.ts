// The Action's inputs (action.yml), read with @actions/core and checked before anything is asked of
// GitHub or the model: a bad input fails the step with a message naming it, not a failed check run.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import * as core from '@actions/core';
import { CONFIG_PATH } from '../config/schema.js';
import { readOperatorModelSettings, type OperatorModelEndpoint } from '../model/operator-settings.js';
import { ActionInputError } from './action-input-error.js';

/** The variable the model client reads the `model-api-key` input from (set in this process by `run`). */
export const MODEL_API_KEY_ENV = 'SECCODER_MODEL_API_KEY';

/** Where the corpus is: a folder (empty input: the workspace's `corpus/`, else the bundled seed), or an org repository. */
export type CorpusInput = { kind: 'folder'; dir?: string } | { kind: 'repository'; owner: string; repo: string };

export interface ActionInputs {
  /** `github-token`: the token every GitHub request uses. */
  githubToken: string;
  /** `sarif`: absolute path of a SARIF file or folder; absent: alerts from the code-scanning API. */
  sarif?: string;
  /**
   * `model-url` (a URL or preset, default `github-models`) and `model` (absent: the config's
   * `model.name`, else precedent mode), read in the repository's environment; the key is read
   * from `MODEL_API_KEY_ENV`.
   */
  model: OperatorModelEndpoint;
  /** `model-api-key`: the model's key (default: the workflow token). */
  modelApiKey?: string;
  /** `config`: the config file's path in the repository. */
  configPath: string;
  corpus: CorpusInput;
  /** `max-targets`: overrides the config's `maxTargets` when set. */
  maxTargets?: number;
  /** `dry-run`: write nothing to GitHub; the job summary and the report show what would be posted. */
  dryRun: boolean;
  /** `bot-login`: whose earlier comments hold the fingerprints of earlier suggestions. */
  botLogin: string;
}

const REPOSITORY = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/;

function optional(name: string): string | undefined {
  const value = core.getInput(name);
  return value === '' ? undefined : value;
}

function readCorpus(value: string | undefined, workspace: string): CorpusInput {
  if (value === undefined) return { kind: 'folder' };
  const dir = resolve(workspace, value);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new ActionInputError('corpus', `${value} is a file; give the folder holding corpus.jsonl`);
    return { kind: 'folder', dir };
  }
  const repository = isAbsolute(value) ? null : REPOSITORY.exec(value);
  if (!repository) throw new ActionInputError('corpus', `no folder ${value} in the workspace, and not a repository as owner/repo`);
  return { kind: 'repository', owner: repository[1] ?? '', repo: repository[2] ?? '' };
}

function readMaxTargets(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 50) throw new ActionInputError('max-targets', `${JSON.stringify(value)} is not a whole number from 1 to 50`);
  return n;
}

function readBoolean(name: string): boolean {
  if (optional(name) === undefined) return false;
  try {
    return core.getBooleanInput(name);
  } catch {
    throw new ActionInputError(name, `${JSON.stringify(core.getInput(name))} is not true or false`);
  }
}

/**
 * The model the inputs name. Only inputs count: the runner's SECCODER_MODEL_* variables are not
 * read, so a workflow gets the model its `with:` says. The key always comes from `MODEL_API_KEY_ENV`.
 */
function readModel(): OperatorModelEndpoint {
  const values = { url: optional('model-url') ?? 'github-models', name: optional('model'), apiKeyEnv: MODEL_API_KEY_ENV };
  let settings: OperatorModelEndpoint | undefined;
  try {
    settings = readOperatorModelSettings(values, { environment: 'repository', env: {} });
  } catch (error) {
    throw new ActionInputError('model-url', (error as Error).message);
  }
  if (!settings) throw new ActionInputError('model-url', 'is empty; leave it out for github-models');
  return settings;
}

/** Reads and checks every input; `workspace` is where relative paths start (`GITHUB_WORKSPACE`). */
export function readInputs(workspace: string): ActionInputs {
  const githubToken = optional('github-token');
  if (!githubToken) throw new ActionInputError('github-token', 'is empty; the default is the workflow token, ${{ github.token }}');
  core.setSecret(githubToken);

  const sarifInput = optional('sarif');
  const sarif = sarifInput === undefined ? undefined : resolve(workspace, sarifInput);
  if (sarif !== undefined && !existsSync(sarif)) {
    throw new ActionInputError('sarif', `no file or folder ${sarifInput} (relative paths start at the workspace); leave it empty to read code-scanning alerts`);
  }

  const model = readModel();
  const modelApiKey = optional('model-api-key');
  if (modelApiKey) core.setSecret(modelApiKey);
  const maxTargets = readMaxTargets(optional('max-targets'));
  return {
    githubToken,
    ...(sarif !== undefined ? { sarif } : {}),
    model,
    ...(modelApiKey !== undefined ? { modelApiKey } : {}),
    configPath: optional('config') ?? CONFIG_PATH,
    corpus: readCorpus(optional('corpus'), workspace),
    ...(maxTargets !== undefined ? { maxTargets } : {}),
    dryRun: readBoolean('dry-run'),
    botLogin: optional('bot-login') ?? 'github-actions[bot]',
  };
}
