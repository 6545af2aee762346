// How a posted suggestion is named in the feedback log (`feedback.jsonl`, src/corpus/feedback.ts):
// its repository as `owner/name`, and its fingerprint as one string made of the fingerprint the
// review writes on its comments (fingerprint.ts), without the part number, so every comment of a
// suggestion posted as several hunks names the same suggestion:
//   app/views.py:user_by_email:1a2b3c4d5e6f:9f8e7d6c5b4a
import { readFingerprints, suggestionFingerprint, type Fingerprint } from './fingerprint.js';

/** `owner/name`, as the feedback log keeps a repository. */
export function repoName(owner: string, repo: string): string {
  return `${owner}/${repo}`;
}

/** Same repository: GitHub's owner and repository names are case-insensitive. */
export function sameRepo(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The feedback log's fingerprint of a suggestion: path, function, original and suggested code hashes. */
export function feedbackFingerprint(fp: Fingerprint): string {
  const whole = suggestionFingerprint(fp);
  return `${whole.path}:${whole.fn}:${whole.orig}:${whole.sugg}`;
}

/** One review comment as GitHub lists it (`GET /repos/{o}/{r}/pulls/{n}/comments`), the fields read. */
export interface ListedReviewComment {
  id: number;
  body: string;
  path: string;
  line?: number | null;
  start_line?: number | null;
  in_reply_to_id?: number;
  user?: { login: string; type?: string } | null;
  reactions?: { '-1'?: number; '+1'?: number } | null;
}

/**
 * The app's own top-level suggestion comments, by the feedback fingerprint of the suggestion each
 * holds a part of. Only comments authored by the app's bot are read (anyone can paste a marker),
 * and replies (the "outdated" answers) are not suggestions.
 */
export function ownSuggestionComments<T extends ListedReviewComment>(comments: readonly T[], botLogin: string): Map<string, T[]> {
  const bySuggestion = new Map<string, T[]>();
  for (const comment of comments) {
    if (comment.user?.login !== botLogin || comment.user.type !== 'Bot' || comment.in_reply_to_id !== undefined) continue;
    for (const fp of readFingerprints([comment.body])) {
      if (fp.outdated) continue;
      const key = feedbackFingerprint(fp);
      bySuggestion.set(key, [...(bySuggestion.get(key) ?? []), comment]);
    }
  }
  return bySuggestion;
}
