// A stand-in GitHub (Enterprise Server shape: every route under `/api/v3`) on a loopback port, for
// the App's end-to-end tests and benchmark: real HTTP, real Octokit on the other side, an in-memory
// state of repositories with pull requests, and everything the App writes (check runs, reviews with
// their inline comments, replies, issue comments), served back as GitHub would (the bot's own
// comments carry `user.login = <slug>[bot]`, `user.type = Bot`). Answers follow GitHub's shapes
// closely enough for Octokit: `Link` pagination, the diff and raw media types, 404 `{ message }`,
// 422 for a review comment on a line outside the diff, check runs listed with `filter=latest`
// (the newest run of each name per commit) by default.
//
// Faults, settable at any time: latency per route, "apply this write, then answer 502" (GitHub
// timing out after doing the work), and a 403 secondary rate limit with `retry-after`. A route
// the stand-in does not know answers 404 and is recorded in `state.unknownRoutes`, so a test can
// assert the App called nothing unexpected.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { structuredPatch } from 'diff';

/** Octokit's names for the routes the stand-in answers. */
export const ROUTE_NAMES = [
  'apps.getAuthenticated',
  'apps.getInstallation',
  'apps.getRepoInstallation',
  'apps.createInstallationAccessToken',
  'repos.get',
  'repos.getContent',
  'pulls.get',
  'pulls.listFiles',
  'pulls.listReviewComments',
  'pulls.listReviews',
  'pulls.createReview',
  'pulls.createReplyForReviewComment',
  'codeScanning.listAlertsForRepo',
  'checks.create',
  'checks.update',
  'checks.get',
  'checks.listForRef',
  'issues.createComment',
  'issues.listComments',
] as const;

export type RouteName = (typeof ROUTE_NAMES)[number];

export interface StandInGitHubOptions {
  /** The App's slug: `GET /app` answers it and the bot's login is `<slug>[bot]`. Default `seccoder`. */
  appSlug?: string;
  /** The App's id, as `GET /app` answers it. Default 1. */
  appId?: number;
  /** Milliseconds waited before answering, per route (`*`: every route without its own). Default none. */
  latencyMs?: Partial<Record<RouteName | '*', number>>;
  /**
   * `GET commits/{ref}/check-runs` without `filter=all` lists only the newest run of each name for
   * the commit, as GitHub does (`filter=latest` is its default). Default true.
   */
  latestFilter?: boolean;
}

/** A user as GitHub shows it on pull requests, comments and reviews. */
export interface GitHubUser {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
}

export interface ChangedFileInput {
  path: string;
  /** The file at the head commit; undefined for a removed file. */
  content?: string;
  /** The file at the base commit; undefined for an added file. */
  before?: string;
}

export interface PullRequestInput {
  owner: string;
  repo: string;
  number: number;
  /** Default: 40 hex digits made from the repository and number. */
  headSha?: string;
  baseSha?: string;
  files: ChangedFileInput[];
  title?: string;
  draft?: boolean;
  state?: 'open' | 'closed';
  /** The installation the repository belongs to (when the repository is new). Default 1. */
  installationId?: number;
  author?: GitHubUser;
}

export interface StoredPullRequest {
  owner: string;
  repo: string;
  number: number;
  title: string;
  headSha: string;
  baseSha: string;
  headRef: string;
  draft: boolean;
  state: 'open' | 'closed';
  author: GitHubUser;
  files: ChangedFileInput[];
  /** The unified diff GitHub serves with `Accept: application/vnd.github.v3.diff`. */
  diff: string;
}

export interface StoredRepository {
  owner: string;
  repo: string;
  id: number;
  installationId: number;
  defaultBranch: string;
  /** `.github/seccoder.yml` (YAML text), or undefined: 404. */
  config?: string;
  /** Open code-scanning alerts as the API lists them, or a status the alerts route answers with (404: no analysis). */
  alerts: unknown[] | { status: number; message: string };
  /** File contents by commit sha (or branch name), then path. */
  commits: Map<string, Map<string, string>>;
  pulls: Map<number, StoredPullRequest>;
}

export interface StoredCheckRun {
  id: number;
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  external_id: string | null;
  started_at: string | null;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  details_url: string | null;
  /** Every write to the run, in order (create first). */
  history: { at: number; status: string; conclusion: string | null; external_id: string | null }[];
}

export interface StoredReview {
  id: number;
  owner: string;
  repo: string;
  pullNumber: number;
  user: GitHubUser;
  body: string;
  state: 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED' | 'PENDING';
  commit_id: string;
  submitted_at: string;
}

export interface StoredReviewComment {
  id: number;
  owner: string;
  repo: string;
  pullNumber: number;
  pull_request_review_id: number | null;
  in_reply_to_id?: number;
  user: GitHubUser;
  body: string;
  path: string;
  line: number | null;
  start_line: number | null;
  side: 'LEFT' | 'RIGHT';
  start_side: 'LEFT' | 'RIGHT' | null;
  commit_id: string;
  created_at: string;
}

export interface StoredIssueComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  user: GitHubUser;
  body: string;
  created_at: string;
}

export interface RecordedRequest {
  method: string;
  /** The path below `/api/v3`, with its query. */
  path: string;
  route: RouteName | undefined;
  status: number;
  /** Milliseconds since the stand-in started. */
  at: number;
  /** Who asked: an installation id, `app` (a JWT), or undefined (no or unknown credentials). */
  as: number | 'app' | undefined;
}

export interface StandInState {
  repositories: Map<string, StoredRepository>;
  checkRuns: StoredCheckRun[];
  reviews: StoredReview[];
  reviewComments: StoredReviewComment[];
  issueComments: StoredIssueComment[];
  /** Every request, in the order answered. */
  requests: RecordedRequest[];
  /** Requests no route matched (answered 404). */
  unknownRoutes: RecordedRequest[];
  /** Installation tokens handed out, with their installation. */
  tokens: Map<string, number>;
}

/** How a route fails once (or `times` times) before answering normally again. */
export interface Faults {
  /** Wait `ms` before answering `route` (`*`: every route without its own); 0 removes it. */
  latency(route: RouteName | '*', ms: number): void;
  /** Do what the next `times` requests to `route` ask (the write happens), then answer `status` (default 502). */
  applyThenFail(route: RouteName, options?: { status?: number; times?: number }): void;
  /** Answer the next `times` requests to `route` with a 403 secondary rate limit and `retry-after: seconds`, without doing them. */
  secondaryRateLimit(route: RouteName, options?: { retryAfterSeconds?: number; times?: number }): void;
  /** How many injected failures are still armed, per route. */
  pending(): Partial<Record<RouteName, number>>;
}

export interface StandInGitHub {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `http://127.0.0.1:<port>/api/v3`, the API root Octokit's `baseUrl` takes. */
  apiUrl: string;
  /** `127.0.0.1:<port>`, for the App's `GHE_HOST` (with `GHE_PROTOCOL=http`). */
  host: string;
  /** `<slug>[bot]` */
  botLogin: string;
  botUser: GitHubUser;
  state: StandInState;
  faults: Faults;
  /** Adds a repository (or changes an existing one's settings). */
  addRepository(input: { owner: string; repo: string; installationId?: number; config?: string; alerts?: StoredRepository['alerts'] }): StoredRepository;
  /** Adds an open pull request (its repository too when new) with its files at the head commit and its diff. */
  addPullRequest(input: PullRequestInput): StoredPullRequest;
  /** A push to the pull request: a new head commit with these files (the diff is made again against the base). */
  pushToPullRequest(owner: string, repo: string, number: number, input: { headSha: string; files: ChangedFileInput[] }): StoredPullRequest;
  pullRequest(owner: string, repo: string, number: number): StoredPullRequest | undefined;
  reviewsOf(owner: string, repo: string, number: number): StoredReview[];
  reviewCommentsOf(owner: string, repo: string, number: number): StoredReviewComment[];
  /** Check runs on the pull request's head commit (any name). */
  checkRunsOf(owner: string, repo: string, number: number): StoredCheckRun[];
  issueCommentsOf(owner: string, repo: string, number: number): StoredIssueComment[];
  /** Milliseconds since the stand-in started: the clock of `RecordedRequest.at` and check-run history. */
  elapsedMs(): number;
  close(): Promise<void>;
}

/** Thrown by a handler: answered as GitHub answers errors, `{ message, documentation_url }`. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const notFound = () => new HttpError(404, 'Not Found');

interface Request {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  accept: string;
  body: unknown;
  /** The installation of the token, or 'app' for a JWT. */
  as: number | 'app' | undefined;
  /** `http://127.0.0.1:<port>/api/v3` + path, without the query (for Link headers). */
  selfUrl: string;
}

type Answer = { status: number; json?: unknown; text?: string; contentType?: string; headers?: Record<string, string> };

interface Route {
  name: RouteName;
  method: string;
  pattern: RegExp;
  /** Who may call it: the App itself (JWT) or an installation token. */
  auth: 'app' | 'installation';
  handle(request: Request): Answer;
}

const repoKey = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();

/** A stable 40-hex sha from a seed text (for default head and base commits). */
function shaOf(seed: string): string {
  let hash = 0x811c9dc5;
  let out = '';
  for (let round = 0; out.length < 40; round += 1) {
    for (const char of `${seed}#${round}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
    out += hash.toString(16).padStart(8, '0');
  }
  return out.slice(0, 40);
}

/** The unified diff GitHub serves for these changed files. */
export function unifiedDiff(files: readonly ChangedFileInput[]): string {
  const sections: string[] = [];
  for (const file of files) {
    const added = file.before === undefined;
    const removed = file.content === undefined;
    const patch = structuredPatch(file.path, file.path, file.before ?? '', file.content ?? '', '', '', { context: 3 });
    if (patch.hunks.length === 0) continue;
    const header = [`diff --git a/${file.path} b/${file.path}`];
    if (added) header.push('new file mode 100644');
    if (removed) header.push('deleted file mode 100644');
    header.push(`index ${shaOf(file.before ?? '').slice(0, 7)}..${shaOf(file.content ?? '').slice(0, 7)}${added || removed ? '' : ' 100644'}`);
    header.push(added ? '--- /dev/null' : `--- a/${file.path}`, removed ? '+++ /dev/null' : `+++ b/${file.path}`);
    for (const hunk of patch.hunks) {
      // Unified diff: a range of length 0 starts at the line before it.
      const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
      const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
      header.push(`@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`, ...hunk.lines);
    }
    sections.push(header.join('\n'));
  }
  return sections.length > 0 ? `${sections.join('\n')}\n` : '';
}

/** The right-side (head) line numbers of each file that a review comment may be placed on. */
export function commentableLines(diff: string): Map<string, Set<number>> {
  const lines = new Map<string, Set<number>>();
  let current: Set<number> | undefined;
  let next = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const path = line === '+++ /dev/null' ? undefined : line.slice(6);
      current = path === undefined ? undefined : (lines.get(path) ?? new Set<number>());
      if (path !== undefined && current) lines.set(path, current);
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      next = Number(hunk[1]);
      continue;
    }
    if (!current || line.startsWith('diff --git') || line.startsWith('--- ') || line.startsWith('\\')) continue;
    if (line.startsWith('+') || line.startsWith(' ')) {
      current.add(next);
      next += 1;
    }
  }
  return lines;
}

/** The changed files as `GET pulls/{n}/files` lists them. */
function listedFiles(pull: StoredPullRequest) {
  return pull.files.map((file) => {
    const status = file.before === undefined ? 'added' : file.content === undefined ? 'removed' : 'modified';
    const section = unifiedDiff([file]);
    const patch = section
      .split('\n')
      .slice(section.split('\n').findIndex((line) => line.startsWith('@@')))
      .join('\n');
    const additions = patch.split('\n').filter((line) => line.startsWith('+')).length;
    const deletions = patch.split('\n').filter((line) => line.startsWith('-')).length;
    return {
      sha: shaOf(file.content ?? ''),
      filename: file.path,
      status,
      additions,
      deletions,
      changes: additions + deletions,
      blob_url: `https://github.example.test/${pull.owner}/${pull.repo}/blob/${pull.headSha}/${file.path}`,
      raw_url: `https://github.example.test/${pull.owner}/${pull.repo}/raw/${pull.headSha}/${file.path}`,
      contents_url: `https://github.example.test/api/v3/repos/${pull.owner}/${pull.repo}/contents/${file.path}?ref=${pull.headSha}`,
      patch: patch.replace(/\n$/, ''),
    };
  });
}

/** One page of `items` (GitHub's `per_page` default 30, at most 100), with the `Link` header to the next and last pages. */
function page<T>(request: Request, items: readonly T[], wrap?: (items: T[]) => unknown): Answer {
  const perPage = Math.min(100, Math.max(1, Number(request.query.get('per_page') ?? 30) || 30));
  const number = Math.max(1, Number(request.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((number - 1) * perPage, number * perPage);
  const link = (n: number, rel: string) => {
    const query = new URLSearchParams(request.query);
    query.set('page', String(n));
    return `<${request.selfUrl}?${query.toString()}>; rel="${rel}"`;
  };
  const links = [...(number < last ? [link(number + 1, 'next'), link(last, 'last')] : []), ...(number > 1 ? [link(1, 'first'), link(number - 1, 'prev')] : [])];
  return { status: 200, json: wrap ? wrap(slice) : slice, ...(links.length > 0 ? { headers: { link: links.join(', ') } } : {}) };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function requireFields(body: unknown, ...fields: string[]): Record<string, unknown> {
  if (!isObject(body)) throw new HttpError(400, 'Problems parsing JSON');
  const missing = fields.filter((field) => body[field] === undefined || body[field] === null);
  if (missing.length > 0) throw new HttpError(422, `Invalid request.\n\n${missing.map((field) => `"${field}" wasn't supplied.`).join('\n')}`);
  return body;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startStandInGitHub(options: StandInGitHubOptions = {}): Promise<StandInGitHub> {
  const slug = options.appSlug ?? 'seccoder';
  const botUser: GitHubUser = { login: `${slug}[bot]`, id: 41_898_282, type: 'Bot' };
  const latestFilter = options.latestFilter ?? true;
  const started = Date.now();
  const state: StandInState = {
    repositories: new Map(),
    checkRuns: [],
    reviews: [],
    reviewComments: [],
    issueComments: [],
    requests: [],
    unknownRoutes: [],
    tokens: new Map(),
  };
  const latency = new Map<RouteName | '*', number>(Object.entries(options.latencyMs ?? {}) as [RouteName | '*', number][]);
  const failures = new Map<
    RouteName,
    { kind: 'apply-then-fail'; status: number; times: number } | { kind: 'secondary-rate-limit'; retryAfter: number; times: number }
  >();
  let ids = 1000;
  const nextId = () => (ids += 1);
  const now = () => new Date().toISOString();

  const repository = (owner: string, repo: string): StoredRepository => {
    const found = state.repositories.get(repoKey(owner, repo));
    if (!found) throw notFound();
    return found;
  };
  const pullOf = (params: Record<string, string>): StoredPullRequest => {
    const pull = repository(params.owner ?? '', params.repo ?? '').pulls.get(Number(params.number));
    if (!pull) throw notFound();
    return pull;
  };
  /** Installation tokens only reach their own installation's repositories. */
  const allowed = (request: Request) => {
    const repo = repository(request.params.owner ?? '', request.params.repo ?? '');
    if (request.as !== repo.installationId) throw new HttpError(404, 'Not Found');
    return repo;
  };

  const repositoryJson = (repo: StoredRepository) => ({
    id: repo.id,
    name: repo.repo,
    full_name: `${repo.owner}/${repo.repo}`,
    private: true,
    owner: { login: repo.owner, id: 1, type: 'Organization' },
    default_branch: repo.defaultBranch,
  });
  const pullJson = (pull: StoredPullRequest) => {
    const repo = repositoryJson(repository(pull.owner, pull.repo));
    return {
      id: pull.number * 10_007,
      number: pull.number,
      state: pull.state,
      draft: pull.draft,
      merged: false,
      merge_commit_sha: null,
      title: pull.title,
      user: pull.author,
      head: { ref: pull.headRef, sha: pull.headSha, repo },
      base: { ref: repo.default_branch, sha: pull.baseSha, repo },
      url: `${apiUrl}/repos/${pull.owner}/${pull.repo}/pulls/${pull.number}`,
      html_url: `https://github.example.test/${pull.owner}/${pull.repo}/pull/${pull.number}`,
    };
  };
  const checkRunJson = (run: StoredCheckRun) => ({
    id: run.id,
    name: run.name,
    head_sha: run.head_sha,
    status: run.status,
    conclusion: run.conclusion,
    external_id: run.external_id,
    started_at: run.started_at,
    completed_at: run.completed_at,
    output: { ...run.output, annotations_count: 0 },
    details_url: run.details_url,
    app: { id: options.appId ?? 1, slug },
    pull_requests: [],
  });
  const reviewJson = (review: StoredReview) => ({
    id: review.id,
    node_id: `PRR_${review.id}`,
    user: review.user,
    body: review.body,
    state: review.state,
    commit_id: review.commit_id,
    submitted_at: review.submitted_at,
    html_url: `https://github.example.test/${review.owner}/${review.repo}/pull/${review.pullNumber}#pullrequestreview-${review.id}`,
    author_association: 'NONE',
  });
  const commentJson = (comment: StoredReviewComment) => ({
    id: comment.id,
    node_id: `PRRC_${comment.id}`,
    pull_request_review_id: comment.pull_request_review_id,
    ...(comment.in_reply_to_id !== undefined ? { in_reply_to_id: comment.in_reply_to_id } : {}),
    user: comment.user,
    body: comment.body,
    path: comment.path,
    line: comment.line,
    original_line: comment.line,
    start_line: comment.start_line,
    original_start_line: comment.start_line,
    side: comment.side,
    start_side: comment.start_side,
    commit_id: comment.commit_id,
    original_commit_id: comment.commit_id,
    created_at: comment.created_at,
    updated_at: comment.created_at,
    subject_type: 'line',
    html_url: `https://github.example.test/${comment.owner}/${comment.repo}/pull/${comment.pullNumber}#discussion_r${comment.id}`,
    author_association: 'NONE',
  });
  const issueCommentJson = (comment: StoredIssueComment) => ({
    id: comment.id,
    user: comment.user,
    body: comment.body,
    created_at: comment.created_at,
    updated_at: comment.created_at,
    html_url: `https://github.example.test/${comment.owner}/${comment.repo}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
  });

  const R = (name: RouteName, method: string, path: string, auth: Route['auth'], handle: Route['handle']): Route => ({
    name,
    method,
    // `{name}` is one path segment, `{+name}` the rest of the path.
    pattern: new RegExp(`^${path.replace(/\{\+(\w+)\}/g, '(?<$1>.+)').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`),
    auth,
    handle,
  });
  const REPO = '/repos/{owner}/{repo}';
  const routes: Route[] = [
    R('apps.getAuthenticated', 'GET', '/app', 'app', () => ({
      status: 200,
      json: { id: options.appId ?? 1, slug, name: 'SecCoder', owner: { login: 'acme', id: 1, type: 'Organization' }, events: [] },
    })),
    R('apps.getInstallation', 'GET', '/app/installations/{id}', 'app', (request) => ({
      status: 200,
      json: { id: Number(request.params.id), app_id: options.appId ?? 1, app_slug: slug, account: { login: 'acme', id: 1, type: 'Organization' } },
    })),
    R('apps.getRepoInstallation', 'GET', `${REPO}/installation`, 'app', (request) => ({
      status: 200,
      json: { id: repository(request.params.owner ?? '', request.params.repo ?? '').installationId, app_id: options.appId ?? 1, app_slug: slug },
    })),
    R('apps.createInstallationAccessToken', 'POST', '/app/installations/{id}/access_tokens', 'app', (request) => {
      const token = `ghs_${randomBytes(18).toString('hex')}`;
      state.tokens.set(token, Number(request.params.id));
      return {
        status: 201,
        json: {
          token,
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
          permissions: { checks: 'write', pull_requests: 'write', contents: 'read', metadata: 'read', security_events: 'read' },
          repository_selection: 'all',
        },
      };
    }),
    R('repos.get', 'GET', REPO, 'installation', (request) => ({ status: 200, json: repositoryJson(allowed(request)) })),
    R('repos.getContent', 'GET', `${REPO}/contents/{+path}`, 'installation', (request) => {
      const repo = allowed(request);
      const path = decodeURIComponent(request.params.path ?? '');
      const ref = request.query.get('ref') ?? repo.defaultBranch;
      const content = path === '.github/seccoder.yml' && repo.config !== undefined ? repo.config : repo.commits.get(ref)?.get(path);
      if (content === undefined) throw notFound();
      if (request.accept.includes('raw')) return { status: 200, text: content, contentType: 'text/plain; charset=utf-8' };
      const bytes = Buffer.from(content, 'utf8');
      return {
        status: 200,
        json: {
          type: 'file',
          encoding: 'base64',
          size: bytes.length,
          name: path.split('/').at(-1),
          path,
          sha: shaOf(content),
          // GitHub wraps base64 at 60 characters.
          content: bytes.toString('base64').replace(/.{60}/g, '$&\n'),
        },
      };
    }),
    R('pulls.get', 'GET', `${REPO}/pulls/{number}`, 'installation', (request) => {
      allowed(request);
      const pull = pullOf(request.params);
      if (request.accept.includes('diff')) return { status: 200, text: pull.diff, contentType: 'application/vnd.github.diff; charset=utf-8' };
      return { status: 200, json: pullJson(pull) };
    }),
    R('pulls.listFiles', 'GET', `${REPO}/pulls/{number}/files`, 'installation', (request) => {
      allowed(request);
      return page(request, listedFiles(pullOf(request.params)));
    }),
    R('pulls.listReviewComments', 'GET', `${REPO}/pulls/{number}/comments`, 'installation', (request) => {
      allowed(request);
      const pull = pullOf(request.params);
      return page(request, reviewCommentsOf(pull.owner, pull.repo, pull.number).map(commentJson));
    }),
    R('pulls.listReviews', 'GET', `${REPO}/pulls/{number}/reviews`, 'installation', (request) => {
      allowed(request);
      const pull = pullOf(request.params);
      return page(request, reviewsOf(pull.owner, pull.repo, pull.number).map(reviewJson));
    }),
    R('pulls.createReview', 'POST', `${REPO}/pulls/{number}/reviews`, 'installation', (request) => {
      allowed(request);
      const pull = pullOf(request.params);
      const body = isObject(request.body) ? request.body : {};
      const event = text(body.event);
      const comments = Array.isArray(body.comments) ? body.comments : [];
      const onDiff = commentableLines(pull.diff);
      const problems: string[] = [];
      for (const comment of comments) {
        if (!isObject(comment) || typeof comment.path !== 'string' || typeof comment.body !== 'string') {
          problems.push('a comment needs a path and a body');
          continue;
        }
        const lines = onDiff.get(comment.path);
        const line = Number(comment.line ?? comment.position);
        const start = comment.start_line === undefined ? line : Number(comment.start_line);
        if (!lines?.has(line) || !lines.has(start) || start > line) problems.push('Line could not be resolved');
      }
      if (problems.length > 0) throw new HttpError(422, 'Unprocessable Entity', { errors: [...new Set(problems)] });
      const review: StoredReview = {
        id: nextId(),
        owner: pull.owner,
        repo: pull.repo,
        pullNumber: pull.number,
        user: botUser,
        body: text(body.body) ?? '',
        state: event === 'APPROVE' ? 'APPROVED' : event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : event === 'COMMENT' ? 'COMMENTED' : 'PENDING',
        commit_id: text(body.commit_id) ?? pull.headSha,
        submitted_at: now(),
      };
      state.reviews.push(review);
      for (const comment of comments as Record<string, unknown>[]) {
        state.reviewComments.push({
          id: nextId(),
          owner: pull.owner,
          repo: pull.repo,
          pullNumber: pull.number,
          pull_request_review_id: review.id,
          user: botUser,
          body: text(comment.body) ?? '',
          path: text(comment.path) ?? '',
          line: Number(comment.line),
          start_line: comment.start_line === undefined ? null : Number(comment.start_line),
          side: comment.side === 'LEFT' ? 'LEFT' : 'RIGHT',
          start_side: comment.start_line === undefined ? null : comment.start_side === 'LEFT' ? 'LEFT' : 'RIGHT',
          commit_id: review.commit_id,
          created_at: review.submitted_at,
        });
      }
      return { status: 200, json: reviewJson(review) };
    }),
    R('pulls.createReplyForReviewComment', 'POST', `${REPO}/pulls/{number}/comments/{comment}/replies`, 'installation', (request) => {
      allowed(request);
      const pull = pullOf(request.params);
      const body = requireFields(request.body, 'body');
      const parent = state.reviewComments.find(
        (comment) => comment.id === Number(request.params.comment) && repoKey(comment.owner, comment.repo) === repoKey(pull.owner, pull.repo),
      );
      if (!parent || parent.pullNumber !== pull.number) throw notFound();
      const reply: StoredReviewComment = {
        ...parent,
        id: nextId(),
        in_reply_to_id: parent.in_reply_to_id ?? parent.id,
        user: botUser,
        body: text(body.body) ?? '',
        created_at: now(),
      };
      state.reviewComments.push(reply);
      return { status: 201, json: commentJson(reply) };
    }),
    R('codeScanning.listAlertsForRepo', 'GET', `${REPO}/code-scanning/alerts`, 'installation', (request) => {
      const repo = allowed(request);
      if (!Array.isArray(repo.alerts)) throw new HttpError(repo.alerts.status, repo.alerts.message);
      return page(request, repo.alerts);
    }),
    R('checks.create', 'POST', `${REPO}/check-runs`, 'installation', (request) => {
      const repo = allowed(request);
      const body = requireFields(request.body, 'name', 'head_sha');
      const conclusion = text(body.conclusion) ?? null;
      const status = conclusion !== null ? 'completed' : ((text(body.status) as StoredCheckRun['status'] | undefined) ?? 'queued');
      if (status === 'completed' && conclusion === null) throw new HttpError(422, 'Invalid request.\n\n"conclusion" wasn\'t supplied.');
      const output = isObject(body.output) ? body.output : {};
      const run: StoredCheckRun = {
        id: nextId(),
        owner: repo.owner,
        repo: repo.repo,
        name: text(body.name) ?? '',
        head_sha: text(body.head_sha) ?? '',
        status,
        conclusion,
        external_id: text(body.external_id) ?? null,
        started_at: text(body.started_at) ?? now(),
        completed_at: status === 'completed' ? (text(body.completed_at) ?? now()) : null,
        output: { title: text(output.title) ?? null, summary: text(output.summary) ?? null, text: text(output.text) ?? null },
        details_url: text(body.details_url) ?? null,
        history: [],
      };
      run.history.push({ at: Date.now() - started, status: run.status, conclusion: run.conclusion, external_id: run.external_id });
      state.checkRuns.push(run);
      return { status: 201, json: checkRunJson(run) };
    }),
    R('checks.update', 'PATCH', `${REPO}/check-runs/{id}`, 'installation', (request) => {
      const repo = allowed(request);
      const run = state.checkRuns.find(
        (candidate) => candidate.id === Number(request.params.id) && repoKey(candidate.owner, candidate.repo) === repoKey(repo.owner, repo.repo),
      );
      if (!run) throw notFound();
      const body = isObject(request.body) ? request.body : {};
      const conclusion = text(body.conclusion) ?? run.conclusion;
      const status = text(body.conclusion) !== undefined ? 'completed' : ((text(body.status) as StoredCheckRun['status'] | undefined) ?? run.status);
      if (status === 'completed' && conclusion === null) throw new HttpError(422, 'Invalid request.\n\n"conclusion" wasn\'t supplied.');
      run.status = status;
      run.conclusion = conclusion;
      if (text(body.external_id) !== undefined) run.external_id = text(body.external_id) ?? null;
      if (text(body.name) !== undefined) run.name = text(body.name) ?? run.name;
      if (status === 'completed') run.completed_at = text(body.completed_at) ?? run.completed_at ?? now();
      if (isObject(body.output)) {
        run.output = {
          title: text(body.output.title) ?? run.output.title,
          summary: text(body.output.summary) ?? run.output.summary,
          text: text(body.output.text) ?? run.output.text,
        };
      }
      run.history.push({ at: Date.now() - started, status: run.status, conclusion: run.conclusion, external_id: run.external_id });
      return { status: 200, json: checkRunJson(run) };
    }),
    R('checks.get', 'GET', `${REPO}/check-runs/{id}`, 'installation', (request) => {
      const repo = allowed(request);
      const run = state.checkRuns.find(
        (candidate) => candidate.id === Number(request.params.id) && repoKey(candidate.owner, candidate.repo) === repoKey(repo.owner, repo.repo),
      );
      if (!run) throw notFound();
      return { status: 200, json: checkRunJson(run) };
    }),
    R('checks.listForRef', 'GET', `${REPO}/commits/{ref}/check-runs`, 'installation', (request) => {
      const repo = allowed(request);
      const ref = decodeURIComponent(request.params.ref ?? '');
      const sha = [...repo.pulls.values()].find((pull) => pull.headRef === ref)?.headSha ?? ref;
      let runs = state.checkRuns.filter((run) => repoKey(run.owner, run.repo) === repoKey(repo.owner, repo.repo) && run.head_sha === sha);
      const name = request.query.get('check_name');
      if (name !== null) runs = runs.filter((run) => run.name === name);
      if (latestFilter && request.query.get('filter') !== 'all') {
        const newest = new Map<string, StoredCheckRun>();
        for (const run of runs) if ((newest.get(run.name)?.id ?? 0) < run.id) newest.set(run.name, run);
        runs = runs.filter((run) => newest.get(run.name) === run);
      }
      const status = request.query.get('status');
      if (status !== null) runs = runs.filter((run) => run.status === status);
      const sorted = [...runs].sort((a, b) => b.id - a.id).map(checkRunJson);
      return page(request, sorted, (slice) => ({ total_count: sorted.length, check_runs: slice }));
    }),
    R('issues.createComment', 'POST', `${REPO}/issues/{number}/comments`, 'installation', (request) => {
      const repo = allowed(request);
      const body = requireFields(request.body, 'body');
      const comment: StoredIssueComment = {
        id: nextId(),
        owner: repo.owner,
        repo: repo.repo,
        issueNumber: Number(request.params.number),
        user: botUser,
        body: text(body.body) ?? '',
        created_at: now(),
      };
      state.issueComments.push(comment);
      return { status: 201, json: issueCommentJson(comment) };
    }),
    R('issues.listComments', 'GET', `${REPO}/issues/{number}/comments`, 'installation', (request) => {
      const repo = allowed(request);
      return page(request, issueCommentsOf(repo.owner, repo.repo, Number(request.params.number)).map(issueCommentJson));
    }),
  ];

  const reviewsOf = (owner: string, repo: string, number: number) =>
    state.reviews.filter((review) => repoKey(review.owner, review.repo) === repoKey(owner, repo) && review.pullNumber === number);
  const reviewCommentsOf = (owner: string, repo: string, number: number) =>
    state.reviewComments.filter((comment) => repoKey(comment.owner, comment.repo) === repoKey(owner, repo) && comment.pullNumber === number);
  const issueCommentsOf = (owner: string, repo: string, number: number) =>
    state.issueComments.filter((comment) => repoKey(comment.owner, comment.repo) === repoKey(owner, repo) && comment.issueNumber === number);

  /** Who the credentials are: an installation's token, the App's JWT, or nobody. */
  const caller = (authorization: string | undefined): number | 'app' | undefined => {
    const [scheme, credential] = (authorization ?? '').split(/\s+/, 2);
    if (!credential) return undefined;
    if (scheme?.toLowerCase() === 'bearer' && credential.split('.').length === 3) return 'app';
    return state.tokens.get(credential);
  };

  const answer = (response: ServerResponse, result: Answer) => {
    const headers: Record<string, string> = { 'x-github-media-type': 'github.v3; format=json', 'x-ratelimit-remaining': '4999', ...result.headers };
    if (result.text !== undefined) {
      response.writeHead(result.status, { ...headers, 'content-type': result.contentType ?? 'text/plain; charset=utf-8' }).end(result.text);
    } else if (result.json === undefined) {
      response.writeHead(result.status, headers).end();
    } else {
      response.writeHead(result.status, { ...headers, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(result.json));
    }
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse) => {
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const method = incoming.method ?? 'GET';
    const raw = await readBody(incoming);
    const record = (route: RouteName | undefined, status: number, as: RecordedRequest['as']) => {
      const entry: RecordedRequest = { method, path: `${url.pathname.replace(/^\/api\/v3/, '')}${url.search}`, route, status, at: Date.now() - started, as };
      state.requests.push(entry);
      if (route === undefined) state.unknownRoutes.push(entry);
    };
    const as = caller(incoming.headers.authorization);
    if (!url.pathname.startsWith('/api/v3/') && url.pathname !== '/api/v3') {
      record(undefined, 404, as);
      answer(response, { status: 404, json: { message: 'Not Found' } });
      return;
    }
    const path = url.pathname.slice('/api/v3'.length) || '/';
    let matched: { route: Route; params: Record<string, string> } | undefined;
    for (const route of routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (match) {
        matched = { route, params: { ...match.groups } };
        break;
      }
    }
    if (!matched) {
      record(undefined, 404, as);
      answer(response, { status: 404, json: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } });
      return;
    }
    const { route, params } = matched;
    const wait = latency.get(route.name) ?? latency.get('*') ?? 0;
    if (wait > 0) await sleep(wait);

    let result: Answer;
    try {
      if (route.auth === 'app' && as !== 'app') throw new HttpError(401, 'A JSON web token could not be decoded');
      if (route.auth === 'installation' && typeof as !== 'number') throw new HttpError(401, 'Bad credentials');
      let body: unknown;
      try {
        body = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        throw new HttpError(400, 'Problems parsing JSON');
      }
      const fault = failures.get(route.name);
      if (fault?.kind === 'secondary-rate-limit') {
        if (--fault.times <= 0) failures.delete(route.name);
        throw new HttpError(
          403,
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          {},
          { 'retry-after': String(fault.retryAfter), 'x-ratelimit-remaining': '4000' },
        );
      }
      const request: Request = {
        method,
        params,
        query: url.searchParams,
        accept: String(incoming.headers.accept ?? ''),
        body,
        as,
        selfUrl: `${apiUrl}${path}`,
      };
      result = route.handle(request);
      if (fault?.kind === 'apply-then-fail') {
        if (--fault.times <= 0) failures.delete(route.name);
        result = { status: fault.status, text: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' };
      }
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      result = {
        status: error.status,
        json: { message: error.message, documentation_url: 'https://docs.github.com/rest', ...error.extra },
        headers: error.headers,
      };
    }
    record(route.name, result.status, as);
    answer(response, result);
  };

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ message: `stand-in GitHub bug: ${error instanceof Error ? error.message : String(error)}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const apiUrl = `${url}/api/v3`;

  const addRepository: StandInGitHub['addRepository'] = (input) => {
    const key = repoKey(input.owner, input.repo);
    const existing = state.repositories.get(key);
    const repo: StoredRepository = existing ?? {
      owner: input.owner,
      repo: input.repo,
      id: 100_000 + state.repositories.size,
      installationId: input.installationId ?? 1,
      defaultBranch: 'main',
      alerts: [],
      commits: new Map(),
      pulls: new Map(),
    };
    if (input.installationId !== undefined) repo.installationId = input.installationId;
    if (input.config !== undefined) repo.config = input.config;
    if (input.alerts !== undefined) repo.alerts = input.alerts;
    state.repositories.set(key, repo);
    return repo;
  };

  const commitFiles = (repo: StoredRepository, sha: string, files: readonly ChangedFileInput[], side: 'content' | 'before') => {
    const tree = repo.commits.get(sha) ?? new Map<string, string>();
    for (const file of files) {
      const content = file[side];
      if (content !== undefined) tree.set(file.path, content);
    }
    repo.commits.set(sha, tree);
  };

  const addPullRequest: StandInGitHub['addPullRequest'] = (input) => {
    const repo = addRepository({
      owner: input.owner,
      repo: input.repo,
      ...(input.installationId !== undefined ? { installationId: input.installationId } : {}),
    });
    const headSha = input.headSha ?? shaOf(`${input.owner}/${input.repo}#${input.number}@head`);
    const baseSha = input.baseSha ?? shaOf(`${input.owner}/${input.repo}@base`);
    const pull: StoredPullRequest = {
      owner: repo.owner,
      repo: repo.repo,
      number: input.number,
      title: input.title ?? `Pull request ${input.number}`,
      headSha,
      baseSha,
      headRef: `topic-${input.number}`,
      draft: input.draft ?? false,
      state: input.state ?? 'open',
      author: input.author ?? { login: 'octocat', id: 583_231, type: 'User' },
      files: input.files,
      diff: unifiedDiff(input.files),
    };
    commitFiles(repo, headSha, input.files, 'content');
    commitFiles(repo, baseSha, input.files, 'before');
    repo.pulls.set(input.number, pull);
    return pull;
  };

  const standIn: StandInGitHub = {
    url,
    apiUrl,
    host: `127.0.0.1:${port}`,
    botLogin: botUser.login,
    botUser,
    state,
    faults: {
      latency: (route, ms) => {
        if (ms > 0) latency.set(route, ms);
        else latency.delete(route);
      },
      applyThenFail: (route, faultOptions = {}) => {
        failures.set(route, { kind: 'apply-then-fail', status: faultOptions.status ?? 502, times: faultOptions.times ?? 1 });
      },
      secondaryRateLimit: (route, faultOptions = {}) => {
        failures.set(route, { kind: 'secondary-rate-limit', retryAfter: faultOptions.retryAfterSeconds ?? 1, times: faultOptions.times ?? 1 });
      },
      pending: () => Object.fromEntries([...failures].map(([route, fault]) => [route, fault.times])),
    },
    addRepository,
    addPullRequest,
    pushToPullRequest(owner, repo, number, input) {
      const stored = repository(owner, repo);
      const pull = stored.pulls.get(number);
      if (!pull) throw new Error(`no pull request ${owner}/${repo}#${number}`);
      pull.headSha = input.headSha;
      pull.files = input.files;
      pull.diff = unifiedDiff(input.files);
      commitFiles(stored, input.headSha, input.files, 'content');
      return pull;
    },
    pullRequest: (owner, repo, number) => state.repositories.get(repoKey(owner, repo))?.pulls.get(number),
    reviewsOf,
    reviewCommentsOf,
    checkRunsOf(owner, repo, number) {
      const pull = state.repositories.get(repoKey(owner, repo))?.pulls.get(number);
      if (!pull) return [];
      return state.checkRuns.filter((run) => repoKey(run.owner, run.repo) === repoKey(owner, repo) && run.head_sha === pull.headSha);
    },
    issueCommentsOf,
    elapsedMs: () => Date.now() - started,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return standIn;
}
