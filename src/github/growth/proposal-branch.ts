// The proposal branch (`seccoder/growth`) of the corpus repository, for growth.mode: pull-request.
// Its tip is always the default branch's tree with the proposed entries appended to the corpus file
// (and their labelled examples to cwe-examples.jsonl), so the pull request's diff is exactly the
// proposal and merges without conflict whatever the default branch gained meanwhile (audit records,
// entries added by hand).
//
// Each commit is built on the branch's tip (a first parent the branch moves to as a fast-forward,
// GitHub's compare-and-swap: a concurrent writer makes the update fail with 422 and the attempt
// starts over from the new tip) and, when the tip does not descend from it yet, on the default
// branch's head as a second parent, so the pull request's merge base is that head. What the
// proposal holds is read back from the tip: the entries on it that the corpus does not have, less
// those their reviewers refused (src/github/growth/proposal-status.ts). An entry someone removed
// from the branch by hand stays out.
import type { Octokit } from '@octokit/rest';
import { newCweExamples, parseCweExamples, serializeCweExample, type CweExample } from '../../corpus/cwe-examples.js';
import type { CorpusEntry } from '../../corpus/entry.js';
import { parseCorpusJsonl, serializeEntry } from '../../corpus/jsonl.js';
import { CorpusRepoApi, type Committer } from '../../corpus/repo-api.js';
import { withAppended } from '../../corpus/repo-store.js';
import { ProposalError } from './proposal-error.js';
import { PROPOSAL_BRANCH } from './growth-pull.js';
import { plural } from '../../text/markdown.js';

export interface ProposalFiles {
  /** The corpus file in the repository (`corpus/corpus.jsonl`). */
  corpusPath: string;
  /** The labelled examples beside it (`corpus/cwe-examples.jsonl`). */
  examplesPath: string;
}

export interface ProposalBranchOptions extends ProposalFiles {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** Commits tried before giving up when concurrent writers keep moving the branch. Default 5. */
  maxAttempts?: number;
  /** Waits between attempts; injectable for tests. Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Wait before attempt `attempt + 1`. Default: exponential from ~200 ms, with jitter, at most 2 s. */
  retryDelayMs?: (attempt: number) => number;
  /** Committer of the proposal commits. Default: the token's identity (for a GitHub App, its bot; signed). */
  committer?: Committer;
}

/** The default branch and the proposal branch as they are now. */
export interface ProposalSnapshot {
  defaultBranch: string;
  /** The default branch's head commit, its tree, and its corpus and examples files. */
  base: { sha: string; tree: string; corpus: Buffer; examples: Buffer; entries: CorpusEntry[]; exampleList: CweExample[] };
  /** The proposal branch's tip, absent when there is no branch. */
  tip?: { sha: string; parents: string[] };
  /** The entries the proposal holds, in the branch's order. */
  pending: CorpusEntry[];
  /** Their labelled examples. */
  pendingExamples: CweExample[];
}

export interface ProposalAddResult {
  /** Entries this commit put on the branch. */
  proposed: CorpusEntry[];
  /** Entries the proposal held already (as the branch has them). */
  alreadyProposed: CorpusEntry[];
  /** Entries the corpus holds already. */
  inCorpus: CorpusEntry[];
  /** Everything the proposal holds now. */
  pending: CorpusEntry[];
}

function defaultRetryDelayMs(attempt: number): number {
  const delay = Math.min(2_000, 200 * 2 ** (attempt - 1));
  return delay / 2 + Math.random() * (delay / 2);
}

const timerSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Where examples came from, to leave out those of refused entries. */
function sourceKey(source: { repo?: string; commit?: string; path?: string }): string {
  return JSON.stringify([source.repo ?? '', source.commit ?? '', source.path ?? '']);
}

export class ProposalBranch {
  readonly api: CorpusRepoApi;
  readonly repository: string;
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly retryDelayMs: (attempt: number) => number;

  constructor(private readonly options: ProposalBranchOptions) {
    this.api = new CorpusRepoApi(options.octokit, options.owner, options.repo);
    this.repository = `${options.owner}/${options.repo}`;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.sleep = options.sleep ?? timerSleep;
    this.retryDelayMs = options.retryDelayMs ?? defaultRetryDelayMs;
  }

  private location(ref: string, path: string): string {
    return `https://github.com/${this.repository}/blob/${ref}/${path}`;
  }

  private async files(ref: string): Promise<{ corpus: Buffer; examples: Buffer }> {
    const [corpus, examples] = await Promise.all([this.api.file(this.options.corpusPath, ref), this.api.file(this.options.examplesPath, ref)]);
    return { corpus: corpus?.bytes ?? Buffer.alloc(0), examples: examples?.bytes ?? Buffer.alloc(0) };
  }

  /** The entries on the branch at `sha` (the tip of a proposal, or a merged proposal's head). */
  async entriesAt(sha: string): Promise<CorpusEntry[]> {
    const file = await this.api.file(this.options.corpusPath, sha);
    return file ? parseCorpusJsonl(file.bytes.toString('utf8'), this.location(sha, this.options.corpusPath)).entries : [];
  }

  /** Both branches now; `refused` are the hashes of entries their reviewers refused. */
  async read(refused: ReadonlySet<string>): Promise<ProposalSnapshot> {
    const defaultBranch = await this.api.defaultBranch();
    const head = await this.api.headCommit(defaultBranch);
    if (head.kind !== 'commit') {
      throw new ProposalError(this.repository, `its default branch ${defaultBranch} has no commit to propose changes to`, {
        hint: 'add a first commit (a README will do), or use growth.mode: direct, which can start an empty repository',
      });
    }
    const [{ tree }, baseFiles, tipRef] = await Promise.all([this.api.commitInfo(head.sha), this.files(head.sha), this.api.headCommit(PROPOSAL_BRANCH)]);
    const entries = parseCorpusJsonl(baseFiles.corpus.toString('utf8'), this.location(defaultBranch, this.options.corpusPath)).entries;
    const exampleList = parseCweExamples(baseFiles.examples.toString('utf8'), this.location(defaultBranch, this.options.examplesPath));
    const base = { sha: head.sha, tree, ...baseFiles, entries, exampleList };
    if (tipRef.kind !== 'commit') return { defaultBranch, base, pending: [], pendingExamples: [] };

    const [{ parents }, tipFiles] = await Promise.all([this.api.commitInfo(tipRef.sha), this.files(tipRef.sha)]);
    const known = new Set(entries.map((entry) => entry.sha256));
    const onBranch = parseCorpusJsonl(tipFiles.corpus.toString('utf8'), this.location(PROPOSAL_BRANCH, this.options.corpusPath)).entries;
    const pending: CorpusEntry[] = [];
    const refusedSources = new Set<string>();
    for (const entry of onBranch) {
      if (known.has(entry.sha256)) continue;
      known.add(entry.sha256);
      if (refused.has(entry.sha256)) refusedSources.add(sourceKey(entry.source));
      else pending.push(entry);
    }
    // An example goes with its fix: left out when the only entries of its file and commit were refused.
    for (const entry of pending) refusedSources.delete(sourceKey(entry.source));
    const branchExamples = parseCweExamples(tipFiles.examples.toString('utf8'), this.location(PROPOSAL_BRANCH, this.options.examplesPath));
    const pendingExamples = newCweExamples(exampleList, branchExamples).filter((example) => !refusedSources.has(sourceKey(example.source)));
    return { defaultBranch, base, tip: { sha: tipRef.sha, parents }, pending, pendingExamples };
  }

  /**
   * Puts `entries` (and the examples `examplesFor` gives for those that are new) on the branch,
   * creating it when there is none; retried from the new tip when another writer moved it first.
   */
  async add(
    entries: readonly CorpusEntry[],
    examplesFor: (entries: readonly CorpusEntry[]) => CweExample[],
    refused: () => Promise<ReadonlySet<string>>,
  ): Promise<ProposalAddResult> {
    let githubMessage = '';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      if (attempt > 1) await this.sleep(this.retryDelayMs(attempt - 1));
      const outcome = await this.tryAdd(entries, examplesFor, await refused());
      if (outcome.ok) return outcome.result;
      githubMessage = outcome.githubMessage;
    }
    throw new ProposalError(this.repository, `branch ${PROPOSAL_BRANCH} kept moving (${this.maxAttempts} attempts; GitHub said: ${githubMessage})`, {
      hint: 'the entries were not proposed; redeliver the merge event to try again',
    });
  }

  private async tryAdd(
    entries: readonly CorpusEntry[],
    examplesFor: (entries: readonly CorpusEntry[]) => CweExample[],
    refused: ReadonlySet<string>,
  ): Promise<{ ok: true; result: ProposalAddResult } | { ok: false; githubMessage: string }> {
    const snapshot = await this.read(refused);
    const inBase = new Set(snapshot.base.entries.map((entry) => entry.sha256));
    const pendingByHash = new Map(snapshot.pending.map((entry) => [entry.sha256, entry]));
    const result: ProposalAddResult = { proposed: [], alreadyProposed: [], inCorpus: [], pending: [...snapshot.pending] };
    for (const entry of entries) {
      const onBranch = pendingByHash.get(entry.sha256);
      if (inBase.has(entry.sha256)) result.inCorpus.push(entry);
      else if (onBranch) result.alreadyProposed.push(onBranch);
      else {
        pendingByHash.set(entry.sha256, entry);
        result.proposed.push(entry);
      }
    }
    if (result.proposed.length === 0) return { ok: true, result };
    result.pending.push(...result.proposed);

    const examples = [
      ...snapshot.pendingExamples,
      ...newCweExamples([...snapshot.base.exampleList, ...snapshot.pendingExamples], examplesFor(result.proposed)),
    ];
    const files = [
      { path: this.options.corpusPath, blobSha: await this.api.createBlob(withAppended(snapshot.base.corpus, result.pending.map(serializeEntry))) },
    ];
    if (examples.length > 0) {
      const bytes = withAppended(snapshot.base.examples, examples.map(serializeCweExample));
      files.push({ path: this.options.examplesPath, blobSha: await this.api.createBlob(bytes) });
    }
    const tree = await this.api.createTreeWith(snapshot.base.tree, files);
    const { tip } = snapshot;
    const parents = !tip ? [snapshot.base.sha] : tip.parents.includes(snapshot.base.sha) ? [tip.sha] : [tip.sha, snapshot.base.sha];
    const commit = await this.api.createCommitWithParents({
      message: `seccoder: propose ${plural(result.proposed.length, 'secure function')} for the corpus`,
      tree,
      parents,
      ...(this.options.committer ? { committer: this.options.committer } : {}),
    });
    const moved = tip ? await this.api.updateRef(PROPOSAL_BRANCH, commit) : await this.api.createRef(PROPOSAL_BRANCH, commit);
    return moved.ok ? { ok: true, result } : { ok: false, githubMessage: moved.githubMessage };
  }
}
