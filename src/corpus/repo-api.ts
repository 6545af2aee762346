// The few GitHub REST calls the repository corpus store makes, each answer parsed with zod and each
// failure turned into a named error (repo-errors.ts). HTTP statuses that mean something to the
// store (a missing file, an empty repository, a lost race) come back as values, not errors.
import type { Octokit } from '@octokit/rest';
import { z } from 'zod';
import { isHttpFailure, type HttpFailure } from '../errors/http-status.js';
import {
  CorpusRepoAccessError,
  CorpusRepoNotFoundError,
  CorpusRepoRequestError,
  CorpusRepoResponseError,
} from './repo-errors.js';

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

export interface RemoteFile {
  /** Blob id of the file. */
  sha: string;
  /** The file's exact bytes. */
  bytes: Buffer;
}

export type HeadCommit = { kind: 'commit'; sha: string } | { kind: 'empty-repository' } | { kind: 'missing-branch' };

/** A write GitHub refused because the branch moved (or the file appeared) since we read it. */
export type WriteOutcome = { ok: true; sha: string } | { ok: false; githubMessage: string };

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
} as const;
type Route = (typeof ROUTES)[keyof typeof ROUTES];

/** A failed request, without the request (which may hold file content) or headers. */
class HttpStatus {
  constructor(
    readonly status: number,
    readonly githubMessage: string,
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
      if (expected.includes(error.status)) return new HttpStatus(error.status, githubMessage);
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

function messageOf(error: HttpFailure): string {
  const data = error.response?.data;
  if (typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string') {
    return (data as { message: string }).message;
  }
  return error.message || `HTTP ${error.status}`;
}

function isRateLimit(error: HttpFailure): boolean {
  return error.response?.headers?.['x-ratelimit-remaining'] === '0' || /rate limit/i.test(messageOf(error));
}
