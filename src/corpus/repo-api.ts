// The few GitHub REST calls the repository corpus store makes, each answer parsed with zod and each
// failure turned into a named error (repo-errors.ts). HTTP statuses that mean something to the
// store (a missing file, an empty repository, a lost race) come back as values, not errors.
import type { Octokit } from '@octokit/rest';
import { z } from 'zod';
import { isHttpFailure, type HttpFailure } from '../errors/http-status.js';
import { CorpusRepoAccessError, CorpusRepoNotFoundError, CorpusRepoRequestError, CorpusRepoResponseError } from './repo-errors.js';

/** A git object id: SHA-1, or SHA-256 for repositories using it. */
const objectId = z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, 'expected a git object id');

/** GET /repos/{owner}/{repo}: the fields we read. */
const repositorySchema = z.object({ full_name: z.string(), default_branch: z.string().min(1) });

/**
 * GET /repos/{owner}/{repo}/contents/{path} for a file. Up to 1 MB, `content` holds the file in
 * base64; from 1 to 100 MB, `content` is empty and `encoding` is "none" and the blob API has it.
 */
const contentsFileSchema = z.object({
  type: z.literal('file'),
  sha: objectId,
  size: z.number().int().nonnegative(),
  content: z.string().optional(),
  encoding: z.string().optional(),
});

/** GET /repos/{owner}/{repo}/git/blobs/{sha}: base64 for any blob up to 100 MB. */
const blobSchema = z.object({
  sha: objectId,
  size: z.number().int().nonnegative(),
  content: z.string(),
  encoding: z.enum(['base64', 'utf-8']),
});

const refSchema = z.object({ ref: z.string(), object: z.object({ sha: objectId, type: z.string() }) });
const commitSchema = z.object({ sha: objectId, tree: z.object({ sha: objectId }) });
/** What POST blob, tree and commit answer with: at least the new object's id. */
const createdSchema = z.object({ sha: objectId });
const createdFileSchema = z.object({ commit: z.object({ sha: objectId }) });
/** GET /repos/{owner}/{repo}/git/commits/{sha} with its parents, for a commit built on another. */
const commitWithParentsSchema = commitSchema.extend({ parents: z.array(z.object({ sha: objectId })) });
/** A pull request as GET/POST/PATCH /repos/{owner}/{repo}/pulls answer: the fields proposals read. */
const pullRequestSchema = z.object({
  number: z.number().int().positive(),
  html_url: z.string().url(),
  state: z.string(),
  title: z.string(),
  body: z.string().nullable().optional(),
  head: z.object({ ref: z.string(), sha: objectId }),
  base: z.object({ ref: z.string() }),
});

export interface RemoteFile {
  /** Blob id of the file. */
  sha: string;
  /** The file's exact bytes. */
  bytes: Buffer;
}

export type HeadCommit = { kind: 'commit'; sha: string } | { kind: 'empty-repository' } | { kind: 'missing-branch' };

/** A write GitHub refused because the branch moved (or the file appeared) since we read it. */
export type WriteOutcome = { ok: true; sha: string } | { ok: false; githubMessage: string };

/** A pull request of the corpus repository, as proposals read it. */
export interface CorpusPullRequest {
  number: number;
  url: string;
  title: string;
  body: string;
  headRef: string;
  headSha: string;
  baseRef: string;
}

/** Opening a pull request: the new one, or GitHub's refusal (422: e.g. one is already open from that branch). */
export type OpenPullOutcome = { ok: true; pull: CorpusPullRequest } | { ok: false; githubMessage: string };

export interface Committer {
  name: string;
  email: string;
}

const ROUTES = {
  repository: 'GET /repos/{owner}/{repo}',
  contents: 'GET /repos/{owner}/{repo}/contents/{path}',
  putContents: 'PUT /repos/{owner}/{repo}/contents/{path}',
  blob: 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}',
  ref: 'GET /repos/{owner}/{repo}/git/ref/{ref}',
  commit: 'GET /repos/{owner}/{repo}/git/commits/{commit_sha}',
  createBlob: 'POST /repos/{owner}/{repo}/git/blobs',
  createTree: 'POST /repos/{owner}/{repo}/git/trees',
  createCommit: 'POST /repos/{owner}/{repo}/git/commits',
  updateRef: 'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
  createRef: 'POST /repos/{owner}/{repo}/git/refs',
  listPulls: 'GET /repos/{owner}/{repo}/pulls',
  createPull: 'POST /repos/{owner}/{repo}/pulls',
  updatePull: 'PATCH /repos/{owner}/{repo}/pulls/{pull_number}',
} as const;
type Route = (typeof ROUTES)[keyof typeof ROUTES];

/** A failed request, without the request (which may hold file content) or headers. */
class HttpStatus {
  constructor(
    readonly status: number,
    readonly githubMessage: string,
    /** The message with GitHub's first validation error, when it gave one. */
    readonly detailedMessage: string = githubMessage,
  ) {}
}

export class CorpusRepoApi {
  readonly repository: string;
  private repositoryInfo: Promise<{ defaultBranch: string }> | undefined;

  constructor(
    private readonly octokit: Octokit,
    private readonly owner: string,
    private readonly repo: string,
  ) {
    this.repository = `${owner}/${repo}`;
  }

  /** The repository's default branch; looked up once. CorpusRepoNotFoundError when it is not visible. */
  async defaultBranch(): Promise<string> {
    this.repositoryInfo ??= this.fetchRepository();
    try {
      return (await this.repositoryInfo).defaultBranch;
    } catch (error) {
      this.repositoryInfo = undefined;
      throw error;
    }
  }

  /** The file at `ref` (branch or commit id), or undefined when it (or the ref) does not exist. */
  async file(path: string, ref: string): Promise<RemoteFile | undefined> {
    const data = await this.call(ROUTES.contents, { path, ref }, [404]);
    if (data instanceof HttpStatus) return undefined;
    if (Array.isArray(data)) throw this.unexpected(ROUTES.contents, `${path} is a directory; point the store at the corpus file`);
    const file = this.parse(contentsFileSchema, data, ROUTES.contents);
    if (file.size === 0) return { sha: file.sha, bytes: Buffer.alloc(0) };
    if (file.encoding === 'base64' && file.content) {
      return { sha: file.sha, bytes: this.decode(file.content, file.size, ROUTES.contents) };
    }
    // Over 1 MB: the contents API leaves `content` empty ("encoding": "none"); the blob has it.
    return { sha: file.sha, bytes: await this.blob(file.sha) };
  }

  async blob(sha: string): Promise<Buffer> {
    const blob = this.parse(blobSchema, await this.call(ROUTES.blob, { file_sha: sha }), ROUTES.blob);
    return blob.encoding === 'base64' ? this.decode(blob.content, blob.size, ROUTES.blob) : Buffer.from(blob.content, 'utf8');
  }

  /** The commit `heads/<branch>` points at. The Git database API answers 409 for an empty repository. */
  async headCommit(branch: string): Promise<HeadCommit> {
    const data = await this.call(ROUTES.ref, { ref: `heads/${branch}` }, [404, 409]);
    if (data instanceof HttpStatus) return data.status === 409 ? { kind: 'empty-repository' } : { kind: 'missing-branch' };
    return { kind: 'commit', sha: this.parse(refSchema, data, ROUTES.ref).object.sha };
  }

  async commitTree(commitSha: string): Promise<string> {
    return this.parse(commitSchema, await this.call(ROUTES.commit, { commit_sha: commitSha }), ROUTES.commit).tree.sha;
  }

  async createBlob(bytes: Buffer): Promise<string> {
    const data = await this.call(ROUTES.createBlob, { content: bytes.toString('base64'), encoding: 'base64' });
    return this.parse(createdSchema, data, ROUTES.createBlob).sha;
  }

  /** A tree that is `baseTree` with `path` set to the blob `blobSha`. */
  async createTree(baseTree: string, path: string, blobSha: string): Promise<string> {
    const data = await this.call(ROUTES.createTree, { base_tree: baseTree, tree: [{ path, mode: '100644', type: 'blob', sha: blobSha }] });
    return this.parse(createdSchema, data, ROUTES.createTree).sha;
  }

  async createCommit(options: { message: string; tree: string; parent: string; committer?: Committer }): Promise<string> {
    const data = await this.call(ROUTES.createCommit, {
      message: options.message,
      tree: options.tree,
      parents: [options.parent],
      ...(options.committer ? { committer: options.committer } : {}),
    });
    return this.parse(createdSchema, data, ROUTES.createCommit).sha;
  }

  /** Moves the branch to `sha` only as a fast-forward; GitHub answers 422 when it moved meanwhile. */
  async updateRef(branch: string, sha: string): Promise<WriteOutcome> {
    const data = await this.call(ROUTES.updateRef, { ref: `heads/${branch}`, sha, force: false }, [422]);
    if (data instanceof HttpStatus) return { ok: false, githubMessage: data.githubMessage };
    return { ok: true, sha };
  }

  /**
   * Creates `path` with the contents API, the one write that works in an empty repository (the
   * Git database API answers 409 there); it makes the first commit and the branch. Without a `sha`
   * it only creates: if another writer created the file first, GitHub answers 409 or 422.
   */
  async createFile(options: { path: string; branch: string; bytes: Buffer; message: string; committer?: Committer }): Promise<WriteOutcome> {
    const data = await this.call(
      ROUTES.putContents,
      {
        path: options.path,
        branch: options.branch,
        message: options.message,
        content: options.bytes.toString('base64'),
        ...(options.committer ? { committer: options.committer } : {}),
      },
      [409, 422],
    );
    if (data instanceof HttpStatus) return { ok: false, githubMessage: data.githubMessage };
    return { ok: true, sha: this.parse(createdFileSchema, data, ROUTES.putContents).commit.sha };
  }

  /** The commit's tree and parents. */
  async commitInfo(commitSha: string): Promise<{ tree: string; parents: string[] }> {
    const commit = this.parse(commitWithParentsSchema, await this.call(ROUTES.commit, { commit_sha: commitSha }), ROUTES.commit);
    return { tree: commit.tree.sha, parents: commit.parents.map((parent) => parent.sha) };
  }

  /** A tree that is `baseTree` with each of `files` set to its blob. */
  async createTreeWith(baseTree: string, files: readonly { path: string; blobSha: string }[]): Promise<string> {
    const tree = files.map((file) => ({ path: file.path, mode: '100644', type: 'blob', sha: file.blobSha }));
    return this.parse(createdSchema, await this.call(ROUTES.createTree, { base_tree: baseTree, tree }), ROUTES.createTree).sha;
  }

  /** A commit with several parents (the first is the branch it goes on), e.g. a branch tip and the default branch's head. */
  async createCommitWithParents(options: { message: string; tree: string; parents: readonly string[]; committer?: Committer }): Promise<string> {
    const data = await this.call(ROUTES.createCommit, {
      message: options.message,
      tree: options.tree,
      parents: [...options.parents],
      ...(options.committer ? { committer: options.committer } : {}),
    });
    return this.parse(createdSchema, data, ROUTES.createCommit).sha;
  }

  /** Creates `heads/<branch>` at `sha`; GitHub answers 422 when the branch exists already (another writer created it). */
  async createRef(branch: string, sha: string): Promise<WriteOutcome> {
    const data = await this.call(ROUTES.createRef, { ref: `refs/heads/${branch}`, sha }, [422]);
    if (data instanceof HttpStatus) return { ok: false, githubMessage: data.githubMessage };
    return { ok: true, sha };
  }

  /** The open pull requests from `branch` of this repository (at most one, as GitHub allows one per head and base). */
  async openPullRequestsFrom(branch: string): Promise<CorpusPullRequest[]> {
    const data = await this.call(ROUTES.listPulls, { head: `${this.owner}:${branch}`, state: 'open', per_page: 100 });
    return this.parse(z.array(pullRequestSchema), data, ROUTES.listPulls).map(toPullRequest);
  }

  /** Opens a pull request from `head` into `base`; 422 (one is open from that branch already, or nothing to merge) comes back as a value. */
  async createPullRequest(options: { title: string; body: string; head: string; base: string }): Promise<OpenPullOutcome> {
    const data = await this.call(ROUTES.createPull, { ...options }, [422]);
    if (data instanceof HttpStatus) return { ok: false, githubMessage: data.detailedMessage };
    return { ok: true, pull: toPullRequest(this.parse(pullRequestSchema, data, ROUTES.createPull)) };
  }

  async updatePullRequest(pullNumber: number, changes: { title: string; body: string }): Promise<CorpusPullRequest> {
    const data = await this.call(ROUTES.updatePull, { pull_number: pullNumber, ...changes });
    return toPullRequest(this.parse(pullRequestSchema, data, ROUTES.updatePull));
  }

  private async fetchRepository(): Promise<{ defaultBranch: string }> {
    const data = await this.call(ROUTES.repository, {}, [404]);
    if (data instanceof HttpStatus) throw new CorpusRepoNotFoundError(this.repository);
    return { defaultBranch: this.parse(repositorySchema, data, ROUTES.repository).default_branch };
  }

  /**
   * One request. Statuses in `expected` come back as HttpStatus; 404 on the repository itself and
   * 403 become their named errors; anything else a CorpusRepoRequestError.
   */
  private async call(route: Route, params: Record<string, unknown>, expected: number[] = []): Promise<unknown> {
    try {
      const response = await this.octokit.request(route, { owner: this.owner, repo: this.repo, ...params });
      return response.data as unknown;
    } catch (error) {
      if (!isHttpFailure(error)) throw error;
      const githubMessage = messageOf(error);
      if (expected.includes(error.status)) return new HttpStatus(error.status, githubMessage, validationMessageOf(error));
      if (error.status === 404 && route === ROUTES.repository) throw new CorpusRepoNotFoundError(this.repository);
      if (error.status === 403 && !isRateLimit(error)) throw new CorpusRepoAccessError(this.repository, route, githubMessage);
      const requestId = error.response?.headers?.['x-github-request-id'];
      throw new CorpusRepoRequestError(this.repository, route, error.status, githubMessage, typeof requestId === 'string' ? requestId : undefined);
    }
  }

  private parse<T>(schema: z.ZodType<T>, data: unknown, route: Route): T {
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    // Issues name paths and expected types, never the received values.
    const reason = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
    throw this.unexpected(route, reason);
  }

  private decode(base64: string, size: number, route: Route): Buffer {
    const bytes = Buffer.from(base64.replace(/\s+/g, ''), 'base64');
    if (bytes.length !== size) throw this.unexpected(route, `content decodes to ${bytes.length} bytes but the file has ${size}`);
    return bytes;
  }

  private unexpected(route: Route, reason: string): CorpusRepoResponseError {
    return new CorpusRepoResponseError(this.repository, route, reason);
  }
}

function toPullRequest(pull: z.infer<typeof pullRequestSchema>): CorpusPullRequest {
  return {
    number: pull.number,
    url: pull.html_url,
    title: pull.title,
    body: pull.body ?? '',
    headRef: pull.head.ref,
    headSha: pull.head.sha,
    baseRef: pull.base.ref,
  };
}

function messageOf(error: HttpFailure): string {
  const data = error.response?.data;
  if (typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string') {
    return (data as { message: string }).message;
  }
  return error.message || `HTTP ${error.status}`;
}

/**
 * GitHub's message with the first of its validation `errors`: a 422 "Validation Failed" says why
 * only there ("A pull request already exists for acme:seccoder/growth.").
 */
function validationMessageOf(error: HttpFailure): string {
  const errors = (error.response?.data as { errors?: unknown } | undefined)?.errors;
  const first = Array.isArray(errors) ? (errors[0] as { message?: unknown } | undefined) : undefined;
  return typeof first?.message === 'string' ? `${messageOf(error)}: ${first.message}` : messageOf(error);
}

function isRateLimit(error: HttpFailure): boolean {
  return error.response?.headers?.['x-ratelimit-remaining'] === '0' || /rate limit/i.test(messageOf(error));
}
