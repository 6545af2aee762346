// The secure functions a merged pull request contributes: functions that held a code-scanning
// alert the pull request fixed (with the alert's CWE), and, for a pull request labelled as a
// security fix, every function it modified. The code is taken from the merge commit, the code
// that landed; a function is recognised there by its name and class, since the alert's lines are
// those of the base and the diff's those of the head.
import type { Octokit } from '@octokit/rest';
import type { AlertLogger } from '../../detect/alert-problem.js';
import { functionOfAlert } from '../../detect/alert-mapping.js';
import { AlertsUnavailableError } from '../../detect/alerts-unavailable-error.js';
import { changedFunctions, type ChangedFile } from '../../detect/diff.js';
import { extractFunctions } from '../../detect/functions.js';
import { GitHubAlertSource } from '../../detect/github-alerts.js';
import { firstMatchingGlob } from '../../detect/glob.js';
import type { Alert, FunctionInfo } from '../../detect/types.js';
import { languageFromPath, type Language } from '../../lang/languages.js';
import { readTextFile, type GitHubClient } from '../review/gather.js';
import { httpStatus } from '../../errors/http-status.js';
import { qualifiedName } from '../../detect/qualified-name.js';

/** A merged pull request, as the merge handler knows it from the webhook. */
export interface MergedPull {
  number: number;
  /** The commit the merge made on the base branch. */
  mergeCommitSha: string;
  baseSha: string;
  headSha: string;
  labels: readonly string[];
}

export interface MergedFunction {
  path: string;
  language: Language;
  /** The function as it is in the merge commit. */
  function: FunctionInfo;
  /** CWEs of the alerts it fixed (empty for a labelled pull request's other functions). */
  cwe: string[];
  /** The alerts it fixed. */
  alerts: Alert[];
  /** The function as it was at the base, for a fixed alert: the vulnerable code. */
  before?: FunctionInfo;
  why: 'fixed-alert' | 'labelled-fix';
}

/** A candidate that could not be read from the merge commit. */
export interface UnusableCandidate {
  path: string;
  function?: string;
  reason: string;
}

export interface MergedFunctions {
  functions: MergedFunction[];
  unusable: UnusableCandidate[];
  /** Why no alerts could be read (code scanning off, no permission). */
  alertsUnavailable?: string;
}

export interface MergedFunctionsOptions {
  /** Read the functions of the changed files when the pull request carries the growth label. */
  labelled: boolean;
  /** Paths never taken (the ignore list in effect). */
  ignore: readonly string[];
  log?: AlertLogger;
}

/** Reads files once per commit; undefined when a file is missing there or is not text. */
class CommitFiles {
  readonly #cache = new Map<string, Promise<FunctionInfo[] | undefined>>();

  constructor(
    private readonly octokit: GitHubClient,
    private readonly owner: string,
    private readonly repo: string,
  ) {}

  functions(path: string, language: Language, ref: string): Promise<FunctionInfo[] | undefined> {
    const key = `${ref}:${path}`;
    let read = this.#cache.get(key);
    if (!read) {
      read = this.read(path, ref).then((code) => (code === undefined ? undefined : extractFunctions(code, language, path)));
      this.#cache.set(key, read);
    }
    return read;
  }

  private async read(path: string, ref: string): Promise<string | undefined> {
    try {
      const read = await readTextFile(this.octokit, { owner: this.owner, repo: this.repo }, path, ref);
      return read.ok ? read.content : undefined;
    } catch (error) {
      if (httpStatus(error) === 404) return undefined;
      throw error;
    }
  }
}

async function fixedAlerts(
  octokit: GitHubClient,
  owner: string,
  repo: string,
  pull: MergedPull,
  log?: AlertLogger,
): Promise<{ alerts: Alert[]; unavailable?: string }> {
  const source = new GitHubAlertSource({
    octokit: octokit as Octokit,
    owner,
    repo,
    ref: `refs/pull/${pull.number}/merge`,
    state: 'fixed',
    ...(log ? { logger: log } : {}),
  });
  try {
    return { alerts: await source.alerts() };
  } catch (error) {
    if (!(error instanceof AlertsUnavailableError)) throw error;
    return { alerts: [], unavailable: `HTTP ${error.status}: ${error.githubMessage}` };
  }
}

/** The functions the merge contributes, at most one per (path, function), alerts merged. */
export async function mergedFunctions(
  octokit: GitHubClient,
  where: { owner: string; repo: string },
  pull: MergedPull,
  diff: readonly ChangedFile[],
  options: MergedFunctionsOptions,
): Promise<MergedFunctions> {
  const files = new CommitFiles(octokit, where.owner, where.repo);
  const unusable: UnusableCandidate[] = [];
  const found = new Map<string, MergedFunction>();
  const changed = new Map(diff.filter((file) => file.status !== 'deleted' && !file.binary).map((file) => [file.path, file]));

  const take = async (path: string, language: Language, wanted: FunctionInfo, why: MergedFunction['why'], alert?: Alert) => {
    const merged = await files.functions(path, language, pull.mergeCommitSha);
    const fn = merged?.find((candidate) => candidate.name === wanted.name && candidate.className === wanted.className);
    if (!fn) {
      unusable.push({ path, function: qualifiedName(wanted), reason: merged ? 'function not in the merge commit' : 'file not readable at the merge commit' });
      return;
    }
    const key = `${path}:${qualifiedName(fn)}`;
    const entry = found.get(key) ?? { path, language, function: fn, cwe: [], alerts: [], why };
    if (alert) {
      entry.alerts.push(alert);
      entry.cwe = [...new Set([...entry.cwe, ...alert.cwe])];
      entry.why = 'fixed-alert';
      entry.before = wanted;
    }
    found.set(key, entry);
  };

  // A fixed alert's location is where it was last seen: in a renamed file, the old path.
  const byOldPath = new Map([...changed.values()].flatMap((file) => (file.oldPath ? [[file.oldPath, file] as const] : [])));
  const { alerts, unavailable } = await fixedAlerts(octokit, where.owner, where.repo, pull, options.log);
  for (const alert of alerts) {
    const file = changed.get(alert.path) ?? byOldPath.get(alert.path);
    const language = file ? languageFromPath(file.path) : undefined;
    // Alerts in files the pull request did not change were fixed by something else.
    if (!file || !language || firstMatchingGlob(file.path, options.ignore) !== undefined) continue;
    const base = await files.functions(file.oldPath ?? file.path, language, pull.baseSha);
    const fn = base ? functionOfAlert(alert, base) : undefined;
    if (!fn) {
      unusable.push({ path: file.path, reason: `alert ${alert.ruleId} (line ${alert.startLine}) is outside any function of the base` });
      continue;
    }
    await take(file.path, language, fn, 'fixed-alert', alert);
  }

  if (options.labelled) {
    for (const file of changed.values()) {
      const language = languageFromPath(file.path);
      if (!language || firstMatchingGlob(file.path, options.ignore) !== undefined) continue;
      const head = await files.functions(file.path, language, pull.headSha);
      const touched = changedFunctions(file, head ?? []).map((changedFn) => changedFn.function);
      // A nested function is part of its outer one, which joins whole.
      const outermost = touched.filter((fn) => !touched.some((outer) => outer !== fn && outer.startLine <= fn.startLine && outer.endLine >= fn.endLine));
      for (const fn of outermost) await take(file.path, language, fn, 'labelled-fix');
    }
  }
  return { functions: [...found.values()], unusable, ...(unavailable ? { alertsUnavailable: unavailable } : {}) };
}
