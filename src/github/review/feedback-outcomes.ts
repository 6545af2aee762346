// What became of the app's posted suggestions on one pull request: for each one the feedback log
// still has as left (posted, neither applied nor dismissed), in this order:
//   1. applied: every ```suggestion block of its comments is found, contiguous, in the file at the
//      pull request's head (feedback-suggested-lines.ts says how lines compare and which blocks prove nothing);
//   2. applied: GitHub's apply-suggestion commit naming the app added those lines (feedback-apply-commits.ts;
//      only asked when `applyCommits`, for a closed pull request or a resolved thread);
//   3. dismissed: one of its comments has a 👎 (the comment's `reactions` rollup);
//   4. dismissed: the thread just resolved (`resolved`) holds one of its comments, and 1–2 found nothing;
//   otherwise it stays left. Each change is written once (decided against the log while the writer
//   holds it), so a redelivery or two workers at once write nothing twice, and an applied
//   suggestion stays applied whatever comes after.
//
// A suggestion shown only in the review body (outside the diff) has no comment, no thread and no
// reaction: it stays left. One with several inline parts is judged on all of them.
//
// Cost: nothing but the feedback read when the pull request has no left suggestion; otherwise one
// list of review comments, one file read per distinct path (after one read of the pull request when
// its head is not given), and with `applyCommits` one list of the pull request's commits and a read
// per apply-suggestion commit (at most MAX_APPLY_COMMITS). A review passes what it gathered (the
// comments, the changed files at the head), so inside a review the check asks GitHub nothing more.
import { appendFeedback, readFeedback, suggestionKey, suggestionStates, type FeedbackRecord, type SuggestionRef } from '../../corpus/feedback.js';
import type { CorpusStore } from '../../corpus/types.js';
import { httpStatus } from '../../errors/http-status.js';
import type { Logger } from '../../log/logger.js';
import { applySuggestionCommits, type AppliedFile } from './feedback-apply-commits.js';
import { ownSuggestionComments, repoName, sameRepo, type ListedReviewComment } from './feedback-identity.js';
import { containsLines, evidenceLines, patchNewSides, suggestionBlockLines } from './feedback-suggested-lines.js';
import { readTextFile, type GitHubClient } from './gather.js';

export interface OutcomeCheckInput {
  octokit: GitHubClient;
  /** The corpus the suggestions learned from: its `feedback.jsonl` is read and appended to. */
  store: CorpusStore;
  owner: string;
  repo: string;
  pullNumber: number;
  /** The pull request's head commit now, or how to read it (only asked when there is a file to read): the files are read there. */
  headSha: string | (() => Promise<string>);
  /** The app's bot login (`<slug>[bot]`): only its comments are read. */
  botLogin: string;
  /** A review thread just resolved (`pull_request_review_thread` resolved): its comments' ids, and who resolved it. */
  resolved?: { commentIds: readonly number[]; by?: string };
  /** Also look for GitHub's apply-suggestion commits (a closed pull request, a resolved thread). Default false. */
  applyCommits?: boolean;
  /**
   * What the caller has already read at the head (a review gathered both): the pull request's
   * review comments as GitHub listed them, and files' text. What is given is not asked again.
   */
  known?: { comments?: readonly ListedReviewComment[]; files?: ReadonlyMap<string, string> };
  now: () => Date;
  log: Logger;
}

export interface OutcomeCheckResult {
  /** The pull request's posted suggestions that were still left when the check began. */
  pending: number;
  /** The applied and dismissed records written. */
  written: FeedbackRecord[];
}

/** One inline part of a suggestion: the file it is on, and the lines to look for (undefined: no evidence). */
interface Part {
  path: string;
  lines?: string[];
}

interface Pending {
  ref: SuggestionRef;
  comments: ListedReviewComment[];
  parts: Part[];
}

/** The first `posted` ref of each suggestion of this pull request the log still has as left. */
function leftSuggestions(records: readonly FeedbackRecord[], repo: string, pullNumber: number): SuggestionRef[] {
  const states = suggestionStates(records);
  const left = new Map<string, SuggestionRef>();
  for (const record of records) {
    const ref = record.suggestion;
    if (record.event !== 'posted' || !ref || ref.pullRequest !== pullNumber || !sameRepo(ref.repo, repo)) continue;
    const key = suggestionKey(ref);
    if (states.get(key)?.state === 'left' && !left.has(key)) left.set(key, ref);
  }
  return [...left.values()];
}

/** Each path's text at the head, read once (undefined: removed, too large, or not text). */
async function headFiles(input: OutcomeCheckInput, paths: ReadonlySet<string>): Promise<Map<string, string | undefined>> {
  const files = new Map<string, string | undefined>();
  const unread = [...paths].filter((path) => {
    const text = input.known?.files?.get(path);
    if (text !== undefined) files.set(path, text);
    return text === undefined;
  });
  if (unread.length === 0) return files;
  const headSha = typeof input.headSha === 'string' ? input.headSha : await input.headSha();
  for (const path of unread) {
    try {
      const read = await readTextFile(input.octokit, input, path, headSha);
      files.set(path, read.ok ? read.content : undefined);
    } catch (error) {
      if (httpStatus(error) !== 404) throw error;
      files.set(path, undefined);
    }
  }
  return files;
}

/** Parts with lines to look for; a suggestion without any cannot be judged by its code. */
const evidenceParts = (pending: Pending): Required<Part>[] => pending.parts.filter((part): part is Required<Part> => part.lines !== undefined);

function appliedInHead(pending: Pending, heads: ReadonlyMap<string, string | undefined>): boolean {
  const parts = evidenceParts(pending);
  return parts.length > 0 && parts.every((part) => containsLines(heads.get(part.path) ?? '', part.lines));
}

/** The apply-suggestion commit that added every part's lines, if one (or several together) did. */
function appliedByCommit(pending: Pending, applied: readonly AppliedFile[]): string | undefined {
  const parts = evidenceParts(pending);
  if (parts.length === 0) return undefined;
  let sha: string | undefined;
  for (const part of parts) {
    const file = applied.find(
      (candidate) => candidate.path === part.path && patchNewSides(candidate.patch ?? '').some((side) => containsLines(side, part.lines)),
    );
    if (!file) return undefined;
    sha ??= file.sha;
  }
  return sha;
}

/** The applied or dismissed record for a suggestion, or undefined to leave it. */
function judge(
  pending: Pending,
  heads: ReadonlyMap<string, string | undefined>,
  applied: readonly AppliedFile[],
  input: OutcomeCheckInput,
): FeedbackRecord | undefined {
  const at = input.now().toISOString();
  const first = pending.comments[0];
  const suggestion: SuggestionRef = { ...pending.ref, ...(pending.ref.commentId === undefined && first ? { commentId: first.id } : {}) };
  if (appliedInHead(pending, heads)) return { at, event: 'applied', suggestion, reason: 'suggested lines in head' };
  const commit = appliedByCommit(pending, applied);
  if (commit) return { at, event: 'applied', suggestion, reason: `apply-suggestion commit ${commit.slice(0, 7)}` };
  if (pending.comments.some((comment) => (comment.reactions?.['-1'] ?? 0) > 0)) return { at, event: 'dismissed', suggestion, reason: 'thumbs-down' };
  const { resolved } = input;
  if (resolved && pending.comments.some((comment) => resolved.commentIds.includes(comment.id))) {
    return { at, event: 'dismissed', suggestion, reason: 'thread resolved unapplied', ...(resolved.by ? { actor: resolved.by } : {}) };
  }
  return undefined;
}

/** Checks the pull request's left suggestions and records what became of them. */
export async function checkSuggestionOutcomes(input: OutcomeCheckInput): Promise<OutcomeCheckResult> {
  const { octokit, owner, repo, pullNumber } = input;
  const { records } = await readFeedback(input.store);
  const left = leftSuggestions(records, repoName(owner, repo), pullNumber);
  if (left.length === 0) return { pending: 0, written: [] };

  const listed: readonly ListedReviewComment[] =
    input.known?.comments ?? (await octokit.paginate(octokit.rest.pulls.listReviewComments, { owner, repo, pull_number: pullNumber, per_page: 100 }));
  const own = ownSuggestionComments(listed, input.botLogin);
  const pending: Pending[] = left.map((ref) => {
    const comments = own.get(ref.fingerprint) ?? [];
    return { ref, comments, parts: comments.map((comment) => ({ path: comment.path, lines: evidenceLines(suggestionBlockLines(comment.body) ?? []) })) };
  });
  const paths = new Set(pending.flatMap((item) => evidenceParts(item).map((part) => part.path)));
  const heads = await headFiles(input, paths);
  const undecided = pending.filter((item) => evidenceParts(item).length > 0 && !appliedInHead(item, heads));
  const applied = input.applyCommits && undecided.length > 0 ? await applySuggestionCommits(octokit, { owner, repo, pullNumber }, input.botLogin) : [];

  const decisions = pending.flatMap((item) => judge(item, heads, applied, input) ?? []);
  const written =
    decisions.length === 0
      ? []
      : await appendFeedback(input.store, (current) => {
          const states = suggestionStates(current);
          return decisions.filter((record) => record.suggestion && states.get(suggestionKey(record.suggestion))?.state === 'left');
        });
  if (written.length > 0) {
    const count = (event: FeedbackRecord['event']) => written.filter((record) => record.event === event).length;
    input.log.info({ owner, repo, pull: pullNumber, applied: count('applied'), dismissed: count('dismissed') }, 'recorded what became of posted suggestions');
  }
  return { pending: left.length, written };
}
