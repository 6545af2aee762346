// The corpus kept in an organization repository (by default `<org>/.seccoder`, file
// `corpus/corpus.jsonl` on the default branch), so app instances and the Action share one corpus.
//
// Appends use optimistic concurrency through the Git database API: read the branch head, build a
// blob, tree and commit on top of it, and move the branch only as a fast-forward. When another
// writer moved it first, GitHub answers 422 and the append starts over from the new head, merging
// against what that writer added. An empty repository (no commit, no branch) cannot be written
// through the Git database API (it answers 409), so the first append creates the file with the
// contents API, which makes the first commit and the branch.
import type { Octokit } from '@octokit/rest';
import type { CorpusEntry } from './entry.js';
import { parseCorpusJsonl, serializeEntry, type ParsedCorpus } from './jsonl.js';
import { CorpusRepoApi, type Committer } from './repo-api.js';
import { CorpusBranchNotFoundError, CorpusConflictError } from './repo-errors.js';
import type { AppendResult, CorpusStore } from './types.js';
import { SIDE_LOGS, type SideLog, type SideLogMerge } from './side-log.js';
import { splitNewEntries } from './dedupe.js';
import { CWE_EXAMPLES_FILE, newCweExamples, parseCweExamples, serializeCweExample, type CweExample } from './cwe-examples.js';

export { splitNewEntries };

export const DEFAULT_CORPUS_REPO = '.seccoder';
export const DEFAULT_CORPUS_REPO_PATH = 'corpus/corpus.jsonl';

export interface GitHubRepoCorpusStoreOptions {
  /** An authenticated client with `contents: read` (and `contents: write` to append) on the repository. */
  octokit: Octokit;
  /** The organization or user owning the corpus repository. */
  owner: string;
  /** Default: `.seccoder`. */
  repo?: string;
  /** Path of the JSON Lines file in the repository. Default: `corpus/corpus.jsonl`. */
  path?: string;
  /** Branch holding the corpus. Default: the repository's default branch, looked up once. */
  branch?: string;
  /** Appends tried before giving up with CorpusConflictError when concurrent writers keep winning. Default: 5. */
  maxAttempts?: number;
  /**
   * Committer of the corpus commits. Default: none, so GitHub uses the token's identity (for a
   * GitHub App, its bot) and signs the commit; a custom committer makes it unsigned.
   */
  committer?: Committer;
  /** Commit message for a batch of added entries. Default: defaultCommitMessage. */
  message?: (added: CorpusEntry[]) => string;
  /** Waits between attempts; injectable for tests. Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Wait before attempt `attempt + 1`. Default: exponential from ~200 ms, with jitter, at most 2 s. */
  retryDelayMs?: (attempt: number) => number;
}

/** `seccoder: add 2 secure functions (CWE-89, CWE-79)`. */
export function defaultCommitMessage(added: readonly CorpusEntry[]): string {
  const count = added.length === 1 ? '1 secure function' : `${added.length} secure functions`;
  const cwes = [...new Set(added.flatMap((entry) => entry.cwe))];
  if (cwes.length === 0) return `seccoder: add ${count}`;
  const shown = cwes.length > 6 ? [...cwes.slice(0, 5), `${cwes.length - 5} more`] : cwes;
  return `seccoder: add ${count} (${shown.join(', ')})`;
}

function defaultRetryDelayMs(attempt: number): number {
  const base = Math.min(2_000, 200 * 2 ** (attempt - 1));
  return base / 2 + Math.random() * (base / 2);
}

const timerSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The existing bytes verbatim (even lines that fail validation: never lose data), then the new lines. */
export function withAppended(existing: Buffer, lines: readonly string[]): Buffer {
  const separator = existing.length > 0 && existing[existing.length - 1] !== 0x0a ? '\n' : '';
  return Buffer.concat([existing, Buffer.from(separator + lines.map((line) => `${line}\n`).join(''), 'utf8')]);
}

type AttemptOutcome<R> = { kind: 'done'; result: R } | { kind: 'conflict'; githubMessage: string };

/** What to write on top of a file's current bytes: the lines to append (none: nothing to do), the result, the commit message. */
type Merge<R> = (existing: Buffer) => { result: R; lines: string[]; message: () => string };

export class GitHubRepoCorpusStore implements CorpusStore {
  readonly owner: string;
  readonly repo: string;
  readonly path: string;
  private readonly api: CorpusRepoApi;
  private readonly maxAttempts: number;
  private readonly message: (added: CorpusEntry[]) => string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly retryDelayMs: (attempt: number) => number;
  /** Appends of this instance run one after another; other writers are handled by retrying. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: GitHubRepoCorpusStoreOptions) {
    const usage = "e.g. new GitHubRepoCorpusStore({ octokit, owner: 'acme', repo: '.seccoder', path: 'corpus/corpus.jsonl' })";
    if (!options.owner) throw new TypeError(`GitHubRepoCorpusStore needs an owner: ${usage}`);
    this.owner = options.owner;
    this.repo = options.repo ?? DEFAULT_CORPUS_REPO;
    this.path = options.path ?? DEFAULT_CORPUS_REPO_PATH;
    if (this.repo === '' || this.repo.includes('/'))
      throw new TypeError(`GitHubRepoCorpusStore: repo is a name without its owner, got ${JSON.stringify(this.repo)}: ${usage}`);
    if (this.path === '' || this.path.startsWith('/') || this.path.endsWith('/')) {
      throw new TypeError(`GitHubRepoCorpusStore: path is a file path inside the repository, got ${JSON.stringify(this.path)}: ${usage}`);
    }
    this.maxAttempts = options.maxAttempts ?? 5;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new TypeError(`GitHubRepoCorpusStore: maxAttempts is a whole number of at least 1, got ${String(options.maxAttempts)}`);
    }
    this.api = new CorpusRepoApi(options.octokit, this.owner, this.repo);
    this.message = options.message ?? defaultCommitMessage;
    this.sleep = options.sleep ?? timerSleep;
    this.retryDelayMs = options.retryDelayMs ?? defaultRetryDelayMs;
  }

  /** The file on github.com (`HEAD` standing for the default branch when none is configured). */
  get location(): string {
    return `https://github.com/${this.owner}/${this.repo}/blob/${this.options.branch ?? 'HEAD'}/${this.path}`;
  }

  /**
   * The corpus on the branch. A missing file, or an empty repository, is an empty corpus; a
   * missing or invisible repository is CorpusRepoNotFoundError.
   */
  async read(): Promise<ParsedCorpus> {
    const branch = await this.branch();
    const file = await this.api.file(this.path, branch);
    if (!file) {
      // GitHub answers 404 alike for a missing file and a missing repository; the lookup tells them apart.
      await this.api.defaultBranch();
      return { entries: [], problems: [] };
    }
    return parseCorpusJsonl(file.bytes.toString('utf8'), this.location);
  }

  /**
   * The commit the corpus branch points at (`empty` in an empty repository): one request, so a
   * reader can tell the corpus has not changed without downloading it.
   */
  async version(): Promise<string> {
    const branch = await this.branch();
    const head = await this.api.headCommit(branch);
    if (head.kind === 'missing-branch') throw new CorpusBranchNotFoundError(this.api.repository, branch);
    return head.kind === 'commit' ? head.sha : 'empty';
  }

  async append(entries: CorpusEntry[]): Promise<AppendResult> {
    return this.appendToFile(this.path, (existing) => {
      const result = splitNewEntries(parseCorpusJsonl(existing.toString('utf8'), this.location).entries, entries);
      return { result, lines: result.added.map(serializeEntry), message: () => this.message(result.added) };
    });
  }

  /** The examples file beside the corpus file (`corpus/cwe-examples.jsonl`). */
  get examplesPath(): string {
    return this.besideCorpus(CWE_EXAMPLES_FILE);
  }

  async readExamples(): Promise<CweExample[]> {
    const file = await this.api.file(this.examplesPath, await this.branch());
    return file ? parseCweExamples(file.bytes.toString('utf8'), this.examplesLocation) : [];
  }

  async appendExamples(examples: CweExample[]): Promise<CweExample[]> {
    return this.appendToFile(this.examplesPath, (existing) => {
      const added = newCweExamples(parseCweExamples(existing.toString('utf8'), this.examplesLocation), examples);
      const count = added.length === 1 ? '1 labelled example' : `${added.length} labelled examples`;
      return { result: added, lines: added.map(serializeCweExample), message: () => `seccoder: add ${count} for the CWE classifier` };
    });
  }

  private get examplesLocation(): string {
    return `https://github.com/${this.owner}/${this.repo}/blob/${this.options.branch ?? 'HEAD'}/${this.examplesPath}`;
  }

  /** A file beside the corpus file (`corpus/audit.jsonl`). */
  private besideCorpus(name: string): string {
    const folder = this.path.includes('/') ? this.path.slice(0, this.path.lastIndexOf('/') + 1) : '';
    return `${folder}${name}`;
  }

  logLocation(log: SideLog): string {
    return `https://github.com/${this.owner}/${this.repo}/blob/${this.options.branch ?? 'HEAD'}/${this.besideCorpus(SIDE_LOGS[log])}`;
  }

  async readLog(log: SideLog): Promise<string> {
    const file = await this.api.file(this.besideCorpus(SIDE_LOGS[log]), await this.branch());
    return file ? file.bytes.toString('utf8') : '';
  }

  async updateLog(log: SideLog, merge: SideLogMerge): Promise<void> {
    await this.appendToFile(this.besideCorpus(SIDE_LOGS[log]), (existing) => {
      const lines = merge(existing.toString('utf8'));
      const count = lines.length === 1 ? '1 record' : `${lines.length} records`;
      return { result: undefined, lines, message: () => `seccoder: ${log}: ${count}` };
    });
  }

  /** Appends to one file: this instance's appends one after another, other writers handled by retrying. */
  private async appendToFile<R>(path: string, merge: Merge<R>): Promise<R> {
    const run = this.queue.then(() => this.appendWithRetries(path, merge));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async appendWithRetries<R>(path: string, merge: Merge<R>): Promise<R> {
    const branch = await this.branch();
    let githubMessage = '';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      if (attempt > 1) await this.sleep(this.retryDelayMs(attempt - 1));
      const outcome = await this.tryAppend(branch, path, merge);
      if (outcome.kind === 'done') return outcome.result;
      githubMessage = outcome.githubMessage;
    }
    throw new CorpusConflictError(this.api.repository, branch, this.maxAttempts, githubMessage);
  }

  /** One attempt from the current head; 'conflict' when another writer moved the branch first. */
  private async tryAppend<R>(branch: string, path: string, merge: Merge<R>): Promise<AttemptOutcome<R>> {
    const head = await this.api.headCommit(branch);
    if (head.kind === 'missing-branch') {
      await this.api.defaultBranch(); // CorpusRepoNotFoundError when it is the repository that is missing
      throw new CorpusBranchNotFoundError(this.api.repository, branch);
    }
    if (head.kind === 'empty-repository') {
      const merged = merge(Buffer.alloc(0));
      if (merged.lines.length === 0) return { kind: 'done', result: merged.result };
      const created = await this.api.createFile({
        path,
        branch,
        bytes: withAppended(Buffer.alloc(0), merged.lines),
        message: merged.message(),
        ...this.committer(),
      });
      return created.ok ? { kind: 'done', result: merged.result } : { kind: 'conflict', githubMessage: created.githubMessage };
    }

    const tree = await this.api.commitTree(head.sha);
    const existing = (await this.api.file(path, head.sha))?.bytes ?? Buffer.alloc(0);
    const merged = merge(existing);
    if (merged.lines.length === 0) return { kind: 'done', result: merged.result };

    const blob = await this.api.createBlob(withAppended(existing, merged.lines));
    const newTree = await this.api.createTree(tree, path, blob);
    const commit = await this.api.createCommit({ message: merged.message(), tree: newTree, parent: head.sha, ...this.committer() });
    const moved = await this.api.updateRef(branch, commit);
    return moved.ok ? { kind: 'done', result: merged.result } : { kind: 'conflict', githubMessage: moved.githubMessage };
  }

  private async branch(): Promise<string> {
    return this.options.branch ?? this.api.defaultBranch();
  }

  private committer(): { committer?: Committer } {
    return this.options.committer ? { committer: this.options.committer } : {};
  }
}
