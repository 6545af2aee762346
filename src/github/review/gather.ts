// Everything the review needs from one pull request, read through the installation's Octokit: the
// changed files, the diff, the changed source files at the head commit, the code-scanning alerts
// of the merge ref (when code scanning gives any, or from another alert source such as SARIF files), and the fingerprints of the bot's own earlier
// comments and reviews. Reading only: nothing here writes to GitHub.
import type { Octokit } from '@octokit/rest';
import type { AlertLogger } from '../../detect/alert-problem.js';
import { alertsInDiff } from '../../detect/alert-mapping.js';
import { AlertsUnavailableError } from '../../detect/alerts-unavailable-error.js';
import { parseUnifiedDiff, type ChangedFile } from '../../detect/diff.js';
import { GitHubAlertSource } from '../../detect/github-alerts.js';
import { firstMatchingGlob } from '../../detect/glob.js';
import type { SourceFile } from '../../detect/targets.js';
import type { Alert, AlertSource } from '../../detect/types.js';
import { languageFromPath, type Language } from '../../lang/languages.js';
import { readFingerprints, type Fingerprint } from './fingerprint.js';
import { httpStatus } from '../../errors/http-status.js';

/**
 * The part of an Octokit the gathering uses: REST methods and pagination. Probot's
 * `context.octokit` and `createOctokit()` both fit.
 */
export type GitHubClient = Pick<Octokit, 'rest' | 'paginate'>;

export interface PullRequestRef {
  owner: string;
  repo: string;
  pullNumber: number;
  /** The head commit the files are read at and the review is anchored to. */
  headSha: string;
}

export interface GatherOptions {
  /** The app's bot user (`<slug>[bot]`): only its comments and reviews are read for fingerprints. */
  botLogin: string;
  /** Files larger than this many bytes are not read. Default 512 KiB. */
  maxFileBytes?: number;
  /** Paths matching these globs are not read (the ignore list in effect). Default: none. */
  ignore?: readonly string[];
  /** Only files in these languages are read. Default: every supported language. */
  languages?: readonly Language[];
  /** Where dropped alerts are reported. Default: not logged. */
  log?: AlertLogger;
  /**
   * Where the alerts come from instead of the code-scanning API of the merge ref, e.g. the SARIF
   * files of the Action's `sarif` input. Its errors are thrown. Default: the code-scanning API.
   */
  alerts?: AlertSource;
}

export type FileSkipReason = 'binary' | 'too-large' | 'not-a-file';

export interface EarlierComment {
  /** Id of the bot's top-level review comment, to reply to. */
  commentId: number;
  fingerprints: Fingerprint[];
}

export interface PullRequestMaterial {
  diff: ChangedFile[];
  /**
   * Changed files at the head commit. Files in a language that is not supported or not
   * configured come with empty content (target selection skips them with the reason without
   * reading it); ignored and removed files are left out.
   */
  files: SourceFile[];
  /** Changed source files that could not be read, with why. */
  skippedFiles: { path: string; reason: FileSkipReason }[];
  /** Open code-scanning alerts of the merge ref in files of the diff. */
  alerts: Alert[];
  alertsAvailable: boolean;
  /** Why there are no alerts to read (code scanning off, no analysis, no permission). */
  alertsUnavailableReason?: string;
  /** Fingerprints of everything the bot posted on this pull request before. */
  existing: Fingerprint[];
  /** The bot's inline comments with their fingerprints, for "outdated" replies. */
  earlierComments: EarlierComment[];
}

export const DEFAULT_MAX_FILE_BYTES = 512 * 1024;

/** One item of `pulls.listFiles`, the fields read. */
interface ListedFile {
  filename: string;
  previous_filename?: string;
  status: string;
  patch?: string;
}

/**
 * A unified diff built from the `patch` of each listed file, for when GitHub refuses the whole
 * diff (HTTP 406: too large). Files without a patch (binary, or too large themselves) are left out.
 */
export function diffFromPatches(files: readonly ListedFile[]): string {
  const sections: string[] = [];
  for (const file of files) {
    if (file.patch === undefined) continue;
    const from = file.previous_filename ?? file.filename;
    const added = file.status === 'added';
    const removed = file.status === 'removed';
    sections.push(
      [
        `diff --git a/${from} b/${file.filename}`,
        ...(added ? ['new file mode 100644'] : removed ? ['deleted file mode 100644'] : []),
        added ? '--- /dev/null' : `--- a/${from}`,
        removed ? '+++ /dev/null' : `+++ b/${file.filename}`,
        file.patch.replace(/\n$/, ''),
      ].join('\n'),
    );
  }
  return sections.length > 0 ? `${sections.join('\n')}\n` : '';
}

async function readDiff(octokit: GitHubClient, ref: PullRequestRef, listed: readonly ListedFile[]): Promise<ChangedFile[]> {
  try {
    const response = await octokit.rest.pulls.get({
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.pullNumber,
      mediaType: { format: 'diff' },
    });
    // With the diff media type the body is the diff text, whatever the method's type says.
    return parseUnifiedDiff(response.data as unknown as string);
  } catch (error) {
    if (httpStatus(error) !== 406) throw error;
    return parseUnifiedDiff(diffFromPatches(listed));
  }
}

export type FileRead = { ok: true; content: string } | { ok: false; reason: FileSkipReason };

/** A text file of the repository at a commit, or why it cannot be read as one. */
export async function readTextFile(
  octokit: GitHubClient,
  where: { owner: string; repo: string },
  path: string,
  commit: string,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<FileRead> {
  const { data } = await octokit.rest.repos.getContent({ owner: where.owner, repo: where.repo, path, ref: commit });
  if (Array.isArray(data) || data.type !== 'file') return { ok: false, reason: 'not-a-file' };
  const file = data as { size: number; encoding?: string; content?: string };
  if (file.size > maxBytes) return { ok: false, reason: 'too-large' };
  // Files over 1 MB come without content (encoding "none").
  if (file.encoding !== 'base64' || file.content === undefined) return { ok: false, reason: file.size > 0 ? 'too-large' : 'not-a-file' };
  const bytes = Buffer.from(file.content, 'base64');
  if (bytes.includes(0)) return { ok: false, reason: 'binary' };
  return { ok: true, content: bytes.toString('utf8') };
}

async function readAlerts(
  octokit: GitHubClient,
  ref: PullRequestRef,
  diff: readonly ChangedFile[],
  log: AlertLogger | undefined,
  override: AlertSource | undefined,
): Promise<Pick<PullRequestMaterial, 'alerts' | 'alertsAvailable' | 'alertsUnavailableReason'>> {
  if (override) return { alerts: alertsInDiff(await override.alerts(), diff), alertsAvailable: true };
  const source = new GitHubAlertSource({
    // GitHubAlertSource only calls `paginate` and `rest`, which GitHubClient has.
    octokit: octokit as Octokit,
    owner: ref.owner,
    repo: ref.repo,
    ref: `refs/pull/${ref.pullNumber}/merge`,
    ...(log ? { logger: log } : {}),
  });
  try {
    return { alerts: alertsInDiff(await source.alerts(), diff), alertsAvailable: true };
  } catch (error) {
    if (!(error instanceof AlertsUnavailableError)) throw error;
    return { alerts: [], alertsAvailable: false, alertsUnavailableReason: `HTTP ${error.status}: ${error.githubMessage}` };
  }
}

interface Authored {
  body?: string | null;
  user?: { login: string; type?: string } | null;
}

const byBot = (botLogin: string) => (item: Authored) => item.user?.login === botLogin && item.user.type === 'Bot';

/** The bot's earlier suggestions on the pull request, read again right before posting (GitHub is the source of truth). */
export async function readEarlier(
  octokit: GitHubClient,
  ref: PullRequestRef,
  botLogin: string,
): Promise<Pick<PullRequestMaterial, 'existing' | 'earlierComments'>> {
  const params = { owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber, per_page: 100 };
  const [comments, reviews] = await Promise.all([
    octokit.paginate(octokit.rest.pulls.listReviewComments, params),
    octokit.paginate(octokit.rest.pulls.listReviews, params),
  ]);
  const mine = byBot(botLogin);
  const ownComments = comments.filter(mine);
  const ownReviews = reviews.filter(mine);
  const bodies = [...ownComments.map((comment) => comment.body), ...ownReviews.map((review) => review.body ?? '')];
  const earlierComments = ownComments
    .filter((comment) => comment.in_reply_to_id === undefined)
    .map((comment) => ({ commentId: comment.id, fingerprints: readFingerprints([comment.body]) }))
    .filter((comment) => comment.fingerprints.length > 0);
  return { existing: readFingerprints(bodies), earlierComments };
}

/** Reads what the review of one pull request needs. GitHub errors other than "no alerts" are thrown. */
export async function gatherPullRequest(octokit: GitHubClient, ref: PullRequestRef, options: GatherOptions): Promise<PullRequestMaterial> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const listed: ListedFile[] = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.pullNumber,
    per_page: 100,
  });
  const diff = await readDiff(octokit, ref, listed);
  const binary = new Set(diff.filter((file) => file.binary).map((file) => file.path));

  const files: SourceFile[] = [];
  const skippedFiles: PullRequestMaterial['skippedFiles'] = [];
  for (const file of listed) {
    const path = file.filename;
    const language = languageFromPath(path);
    if (file.status === 'removed') continue;
    // Target selection reports these itself (ignored path, unsupported or unconfigured language)
    // without reading the content, so they are listed without fetching it.
    if (firstMatchingGlob(path, options.ignore ?? []) !== undefined) continue;
    if (!language || (options.languages && !options.languages.includes(language))) {
      files.push({ path, content: '', language });
      continue;
    }
    if (binary.has(path)) {
      skippedFiles.push({ path, reason: 'binary' });
      continue;
    }
    const read = await readTextFile(octokit, ref, path, ref.headSha, maxBytes);
    if (read.ok) files.push({ path, content: read.content, language });
    else skippedFiles.push({ path, reason: read.reason });
  }

  const [alerts, earlier] = await Promise.all([readAlerts(octokit, ref, diff, options.log, options.alerts), readEarlier(octokit, ref, options.botLogin)]);
  return { diff, files, skippedFiles, ...alerts, ...earlier };
}
