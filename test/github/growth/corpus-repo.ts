// An org corpus repository (`acme/.seccoder`) as GitHub's REST API serves it, mocked with nock at the
// HTTP level and kept in memory: the Git database (refs, commits, trees, blobs, with fast-forward
// checks on ref updates), the contents API, and pull requests (list by head, create with GitHub's 422
// when one is open from the branch already, update). Answers are shaped like GitHub's. Proposals
// need several writers, a moving branch and merges, which fixed per-route mocks cannot follow.
// Every request is recorded, so a test can say what was (not) written.
import { createHash } from 'node:crypto';
import nock from 'nock';
import { parseAudit, type AuditRecord } from '../../../src/corpus/audit.js';
import type { CorpusEntry } from '../../../src/corpus/entry.js';
import { parseCorpusJsonl } from '../../../src/corpus/jsonl.js';

export const API = 'https://api.github.com';
export const CORPUS_OWNER = 'acme';
export const CORPUS_REPO = '.seccoder';
const BASE = `/repos/${CORPUS_OWNER}/${CORPUS_REPO}`;
export const CORPUS_PATH = 'corpus/corpus.jsonl';
export const EXAMPLES_PATH = 'corpus/cwe-examples.jsonl';
export const AUDIT_PATH = 'corpus/audit.jsonl';

type Json = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  path: string;
  body: Json | undefined;
}

export interface FakePull {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  merged: boolean;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  user: { login: string; type: 'Bot' | 'User' };
  merge_commit_sha: string | null;
  merged_by: { login: string } | null;
}

interface Commit {
  tree: string;
  parents: string[];
  message: string;
}

function sha1(text: string | Buffer): string {
  return createHash('sha1').update(text).digest('hex');
}

function reply(status: number, body: unknown): [number, unknown] {
  return [status, body];
}

function validationFailed(message: string): [number, unknown] {
  return reply(422, {
    message: 'Validation Failed',
    errors: [{ resource: 'PullRequest', code: 'custom', message }],
    documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
    status: '422',
  });
}

export class FakeCorpusRepo {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, Map<string, string>>();
  readonly commits = new Map<string, Commit>();
  readonly refs = new Map<string, string>();
  readonly pulls: FakePull[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Runs once before a pull request is created (to let a concurrent writer in first). */
  beforeCreatePull: (() => void) | undefined;
  /** Runs before each branch creation or move (to let a concurrent writer in first); it unsets itself when done. */
  beforeRefWrite: ((branch: string) => void) | undefined;
  private nextPull = 7;
  private clock = 0;

  constructor(
    files: Record<string, string>,
    readonly botLogin: string,
  ) {
    const tree = this.tree(new Map(Object.entries(files).map(([path, text]) => [path, this.blob(Buffer.from(text))])));
    this.refs.set('main', this.commit({ tree, parents: [], message: 'Initial corpus' }));
    this.mock();
  }

  private blob(bytes: Buffer): string {
    const sha = sha1(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]));
    this.blobs.set(sha, bytes);
    return sha;
  }

  private tree(files: Map<string, string>): string {
    const sha = sha1(`tree ${JSON.stringify([...files].sort())}`);
    this.trees.set(sha, files);
    return sha;
  }

  private commit(commit: Commit): string {
    this.clock += 1;
    const sha = sha1(`commit ${JSON.stringify(commit)} ${this.clock}`);
    this.commits.set(sha, commit);
    return sha;
  }

  /** A branch name or a commit id, as the contents API takes `ref`. */
  private resolve(ref: string): string | undefined {
    return this.refs.get(ref) ?? (this.commits.has(ref) ? ref : undefined);
  }

  private isAncestor(ancestor: string, of: string): boolean {
    const seen = new Set<string>();
    const stack = [of];
    while (stack.length > 0) {
      const sha = stack.pop() as string;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      stack.push(...(this.commits.get(sha)?.parents ?? []));
    }
    return false;
  }

  /** The text of `path` at a branch or commit, undefined when it is not there. */
  file(ref: string, path: string): string | undefined {
    const sha = this.resolve(ref);
    const blob = sha ? this.trees.get(this.commits.get(sha)?.tree ?? '')?.get(path) : undefined;
    return blob ? this.blobs.get(blob)?.toString('utf8') : undefined;
  }

  entries(ref: string): CorpusEntry[] {
    return parseCorpusJsonl(this.file(ref, CORPUS_PATH) ?? '', CORPUS_PATH).entries;
  }

  audit(): AuditRecord[] {
    const { records, problems } = parseAudit(this.file('main', AUDIT_PATH) ?? '', AUDIT_PATH);
    if (problems.length > 0) throw new Error(`invalid audit lines: ${JSON.stringify(problems)}`);
    return records;
  }

  /** Ref writes (created or moved) per branch. */
  refWrites(branch: string): RecordedRequest[] {
    const encoded = `heads%2F${branch.split('/').join('%2F')}`;
    return this.requests.filter(
      (request) =>
        (request.method === 'PATCH' && request.path === `${BASE}/git/refs/${encoded}`) ||
        (request.method === 'POST' && request.path === `${BASE}/git/refs` && request.body?.ref === `refs/heads/${branch}`),
    );
  }

  /** Commits written to the default branch (corpus or examples changed there). */
  corpusCommitsOnMain(): string[] {
    const shas: string[] = [];
    let sha = this.refs.get('main');
    while (sha) {
      const commit = this.commits.get(sha) as Commit;
      const parent = commit.parents[0];
      const before = parent ? this.trees.get(this.commits.get(parent)?.tree ?? '') : undefined;
      const after = this.trees.get(commit.tree);
      if (parent && (before?.get(CORPUS_PATH) !== after?.get(CORPUS_PATH) || before?.get(EXAMPLES_PATH) !== after?.get(EXAMPLES_PATH))) shas.push(sha);
      sha = parent;
    }
    return shas;
  }

  /** Another writer commits `files` on top of `branch` (created from the default branch when missing). */
  push(branch: string, files: Record<string, string>, message = 'edit'): string {
    const head = this.refs.get(branch) ?? (this.refs.get('main') as string);
    const base = this.trees.get(this.commits.get(head)?.tree ?? '') as Map<string, string>;
    const next = new Map(base);
    for (const [path, text] of Object.entries(files)) next.set(path, this.blob(Buffer.from(text)));
    const sha = this.commit({ tree: this.tree(next), parents: [head], message });
    this.refs.set(branch, sha);
    return sha;
  }

  /**
   * Merges the pull request with a merge commit: the default branch's files, with those the
   * proposal changes (the corpus and its examples) taken from its head; then the event GitHub sends.
   */
  merge(number: number, merger: string): Json {
    this.refreshHeads();
    const pull = this.pull(number);
    const main = this.refs.get('main') as string;
    const files = new Map(this.trees.get(this.commits.get(main)?.tree ?? ''));
    const head = this.trees.get(this.commits.get(pull.head.sha)?.tree ?? '') as Map<string, string>;
    for (const path of [CORPUS_PATH, EXAMPLES_PATH]) {
      const blob = head.get(path);
      if (blob) files.set(path, blob);
    }
    const sha = this.commit({
      tree: this.tree(files),
      parents: [main, pull.head.sha],
      message: `Merge pull request #${number} from ${CORPUS_OWNER}/${pull.head.ref}`,
    });
    this.refs.set('main', sha);
    Object.assign(pull, { state: 'closed', merged: true, merge_commit_sha: sha, merged_by: { login: merger } });
    return this.closedEvent(pull, merger);
  }

  /** Closes the pull request without merging; the event GitHub sends. */
  close(number: number, closer: string): Json {
    this.refreshHeads();
    const pull = this.pull(number);
    Object.assign(pull, { state: 'closed', merge_commit_sha: sha1(`test merge ${number}`) });
    return this.closedEvent(pull, closer);
  }

  pull(number: number): FakePull {
    const pull = this.pulls.find((candidate) => candidate.number === number);
    if (!pull) throw new Error(`no pull request #${number}`);
    return pull;
  }

  private pullJson(pull: FakePull): Json {
    return {
      url: `${API}${BASE}/pulls/${pull.number}`,
      id: 100000 + pull.number,
      number: pull.number,
      html_url: `https://github.com/${CORPUS_OWNER}/${CORPUS_REPO}/pull/${pull.number}`,
      state: pull.state,
      title: pull.title,
      body: pull.body,
      user: { login: pull.user.login, id: 9, type: pull.user.type },
      head: { label: `${CORPUS_OWNER}:${pull.head.ref}`, ref: pull.head.ref, sha: pull.head.sha },
      base: { label: `${CORPUS_OWNER}:${pull.base.ref}`, ref: pull.base.ref, sha: pull.base.sha },
      merged: pull.merged,
      merge_commit_sha: pull.merge_commit_sha,
      merged_by: pull.merged_by ? { login: pull.merged_by.login, id: 3, type: 'User' } : null,
      labels: [],
    };
  }

  private closedEvent(pull: FakePull, sender: string): Json {
    return {
      action: 'closed',
      number: pull.number,
      pull_request: this.pullJson(pull),
      repository: {
        id: 4242,
        name: CORPUS_REPO,
        full_name: `${CORPUS_OWNER}/${CORPUS_REPO}`,
        private: true,
        owner: { login: CORPUS_OWNER, id: 1, type: 'Organization' },
        default_branch: 'main',
      },
      sender: { login: sender, id: 3, type: 'User' },
      installation: { id: 4242 },
    };
  }

  private route(method: string, uri: string, body: Json | undefined): [number, unknown] {
    const url = new URL(uri, API);
    const path = url.pathname.slice(BASE.length);
    this.requests.push({ method, path: url.pathname, body });
    const notFound = reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
    let match: RegExpExecArray | null;
    if (method === 'GET' && path === '') {
      return reply(200, { id: 4242, name: CORPUS_REPO, full_name: `${CORPUS_OWNER}/${CORPUS_REPO}`, private: true, default_branch: 'main' });
    }
    if (method === 'GET' && (match = /^\/git\/ref\/(.+)$/.exec(path))) {
      const ref = decodeURIComponent(match[1] as string);
      const sha = this.refs.get(ref.replace(/^heads\//, ''));
      if (!sha) return notFound;
      return reply(200, {
        ref: `refs/${ref}`,
        node_id: 'REF_1',
        url: `${API}${BASE}/git/refs/${ref}`,
        object: { sha, type: 'commit', url: `${API}${BASE}/git/commits/${sha}` },
      });
    }
    if (method === 'GET' && (match = /^\/git\/commits\/([0-9a-f]+)$/.exec(path))) {
      const sha = match[1] as string;
      const commit = this.commits.get(sha);
      if (!commit) return notFound;
      return reply(200, {
        sha,
        message: commit.message,
        tree: { sha: commit.tree, url: `${API}${BASE}/git/trees/${commit.tree}` },
        parents: commit.parents.map((parent) => ({ sha: parent })),
      });
    }
    if (method === 'GET' && (match = /^\/contents\/(.+)$/.exec(path))) {
      const file = decodeURIComponent(match[1] as string);
      const text = this.file(url.searchParams.get('ref') ?? 'main', file);
      if (text === undefined) return notFound;
      const bytes = Buffer.from(text);
      return reply(200, {
        type: 'file',
        encoding: 'base64',
        size: bytes.length,
        name: file.split('/').at(-1),
        path: file,
        content: bytes.toString('base64'),
        sha: this.blob(bytes),
      });
    }
    if (method === 'POST' && path === '/git/blobs') {
      return reply(201, { sha: this.blob(Buffer.from(String(body?.content), 'base64')), url: `${API}${BASE}/git/blobs/x` });
    }
    if (method === 'POST' && path === '/git/trees') {
      const files = new Map(this.trees.get(String(body?.base_tree)) ?? []);
      for (const item of body?.tree as { path: string; sha: string }[]) files.set(item.path, item.sha);
      return reply(201, { sha: this.tree(files), url: `${API}${BASE}/git/trees/x`, tree: [] });
    }
    if (method === 'POST' && path === '/git/commits') {
      const sha = this.commit({ tree: String(body?.tree), parents: body?.parents as string[], message: String(body?.message) });
      return reply(201, { sha, tree: { sha: body?.tree }, parents: (body?.parents as string[]).map((parent) => ({ sha: parent })) });
    }
    if ((method === 'PATCH' && path.startsWith('/git/refs/')) || (method === 'POST' && path === '/git/refs')) {
      this.beforeRefWrite?.(
        method === 'POST' ? String(body?.ref).replace(/^refs\/heads\//, '') : decodeURIComponent(path.slice('/git/refs/'.length)).replace(/^heads\//, ''),
      );
    }
    if (method === 'PATCH' && (match = /^\/git\/refs\/(.+)$/.exec(path))) {
      const branch = decodeURIComponent(match[1] as string).replace(/^heads\//, '');
      const current = this.refs.get(branch);
      if (!current) return reply(422, { message: 'Reference does not exist', status: '422' });
      if (!body?.force && !this.isAncestor(current, String(body?.sha))) return reply(422, { message: 'Update is not a fast forward', status: '422' });
      this.refs.set(branch, String(body?.sha));
      return reply(200, { ref: `refs/heads/${branch}`, object: { sha: body?.sha, type: 'commit' } });
    }
    if (method === 'POST' && path === '/git/refs') {
      const branch = String(body?.ref).replace(/^refs\/heads\//, '');
      if (this.refs.has(branch)) return reply(422, { message: 'Reference already exists', status: '422' });
      this.refs.set(branch, String(body?.sha));
      return reply(201, { ref: body?.ref, object: { sha: body?.sha, type: 'commit' } });
    }
    if (method === 'GET' && path === '/pulls') {
      const head = url.searchParams.get('head');
      const state = url.searchParams.get('state') ?? 'open';
      const listed = this.pulls.filter((pull) => (!head || `${CORPUS_OWNER}:${pull.head.ref}` === head) && (state === 'all' || pull.state === state));
      return reply(
        200,
        listed.map((pull) => this.pullJson(pull)),
      );
    }
    if (method === 'POST' && path === '/pulls') {
      this.beforeCreatePull?.();
      this.beforeCreatePull = undefined;
      const head = String(body?.head);
      const sha = this.refs.get(head);
      if (!sha) return validationFailed(`head ${head} is not a branch`);
      if (this.pulls.some((pull) => pull.state === 'open' && pull.head.ref === head))
        return validationFailed(`A pull request already exists for ${CORPUS_OWNER}:${head}.`);
      const pull: FakePull = {
        number: this.nextPull++,
        title: String(body?.title),
        body: String(body?.body),
        state: 'open',
        merged: false,
        head: { ref: head, sha },
        base: { ref: String(body?.base), sha: this.refs.get(String(body?.base)) as string },
        user: { login: this.botLogin, type: 'Bot' },
        merge_commit_sha: null,
        merged_by: null,
      };
      this.pulls.push(pull);
      return reply(201, this.pullJson(pull));
    }
    if (method === 'PATCH' && (match = /^\/pulls\/(\d+)$/.exec(path))) {
      const pull = this.pull(Number(match[1]));
      if (typeof body?.title === 'string') pull.title = body.title;
      if (typeof body?.body === 'string') pull.body = body.body;
      return reply(200, this.pullJson(pull));
    }
    return reply(404, { message: `the fake corpus repository has no route for ${method} ${url.pathname}` });
  }

  /** Pull requests follow their branch: a head is the branch's tip whenever it is read. */
  private refreshHeads(): void {
    for (const pull of this.pulls) if (pull.state === 'open') pull.head.sha = this.refs.get(pull.head.ref) ?? pull.head.sha;
  }

  private mock(): void {
    const inRepo = (path: string) => path === BASE || path.startsWith(`${BASE}/`) || path.startsWith(`${BASE}?`);
    for (const method of ['get', 'post', 'patch'] as const) {
      const scope = nock(API).persist();
      scope[method](inRepo)
        .query(true)
        .optionally()
        .reply((uri, body) => {
          this.refreshHeads();
          const result = this.route(method.toUpperCase(), uri, typeof body === 'object' && body !== null ? (body as Json) : undefined);
          this.refreshHeads();
          return result as [number, nock.Body];
        });
    }
  }
}
