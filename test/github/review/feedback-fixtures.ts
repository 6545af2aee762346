// Shared by the feedback tests: a pull request adding app/views.py with two weak Flask views (a SQL
// injection and a path traversal), the fixes a stand-in model writes, a stand-in retriever whose
// demonstrations have known ids, a temp local corpus store for the feedback log, and nock routes
// shaped like GitHub's answers.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { codeHash, type CorpusEntry } from '../../../src/corpus/entry.js';
import { readFeedback, type FeedbackRecord } from '../../../src/corpus/feedback.js';
import { LocalCorpusStore } from '../../../src/corpus/local-store.js';
import type { CodeModel, ChatMessage, GenerationOptions } from '../../../src/model/types.js';
import { suggestionHunks } from '../../../src/harden/hunks.js';
import { renderSuggestionMarkdown } from '../../../src/harden/render-markdown.js';
import type { Suggestion } from '../../../src/harden/suggestion.js';
import { fingerprintOf, withFingerprints } from '../../../src/github/review/fingerprint.js';
import { feedbackFingerprint } from '../../../src/github/review/feedback-identity.js';
import type { Demonstration, RetrievalQuery } from '../../../src/retrieve/retriever.js';
import { BOT_USER, HEAD_SHA, OWNER, PULL_NUMBER, REPO } from '../../fixtures/github/app-events.js';
import { fencedReply } from '../../fixtures/review/flask-app.js';
import { tempDirs } from '../../fixtures/retrieval-corpus.js';

export const GITHUB = 'https://api.github.com';
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;
export const PULL_PATH = `${REPO_PATH}/pulls/${PULL_NUMBER}`;
export const FULL_REPO = `${OWNER}/${REPO}`;
export const PATH = 'app/views.py';
export const NOW = new Date('2026-03-02T10:00:00.000Z');

export const SQL_LINE = `    cur.execute("SELECT id, name FROM users WHERE email = '" + email + "'")`;
export const SQL_FIXED_LINE = '    cur.execute("SELECT id, name FROM users WHERE email = ?", (email,))';
export const PATH_LINE = '    path = os.path.join("uploads", name)';
export const PATH_FIXED_LINE = '    path = os.path.join("uploads", os.path.basename(name))';

/** `user_by_email` is lines 9–14 (the query on line 13); `download` lines 17–21 (the join on line 20). */
export const VIEWS = `import os
import sqlite3

from flask import Flask, jsonify, send_file

app = Flask(__name__)


@app.route("/users/<email>")
def user_by_email(email):
    conn = sqlite3.connect("app.db")
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM users WHERE email = '" + email + "'")
    return jsonify(cur.fetchone())


@app.route("/files/<name>")
def download(name):
    # Serve an uploaded file.
    path = os.path.join("uploads", name)
    return send_file(path)
`;

const lines = (text: string, from: number, to: number) =>
  text
    .split('\n')
    .slice(from - 1, to)
    .join('\n');

export const SQL_FUNCTION = lines(VIEWS, 9, 14);
export const PATH_FUNCTION = lines(VIEWS, 17, 21);
export const SQL_FIXED = SQL_FUNCTION.replace(SQL_LINE, SQL_FIXED_LINE);
export const PATH_FIXED = PATH_FUNCTION.replace(PATH_LINE, PATH_FIXED_LINE);

/** A corpus entry as retrieval returns it (only the id and CWE matter here). */
export function entry(id: string, cwe: string[], code: string): CorpusEntry {
  return {
    id,
    language: 'python',
    code,
    cwe,
    source: { repo: 'acme/legacy', path: 'app/db.py' },
    origin: 'seed',
    addedAt: '2026-01-15T12:00:00.000Z',
    sha256: codeHash(code),
  };
}

/** Demonstrations by the function asked about: two SQL injection fixes, and for the download a command-injection fix only. */
export const SQL_DEMOS = [
  entry('seed-sqli-params', ['CWE-89'], 'def find(db, key):\n    return db.execute("SELECT * FROM t WHERE k = ?", (key,)).fetchone()\n'),
  entry('seed-sqli-orm', ['CWE-89'], 'def by_name(session, name):\n    return session.query(User).filter(User.name == name).first()\n'),
];
export const PATH_DEMOS = [entry('seed-cmd-list', ['CWE-78'], 'def ping(host):\n    return subprocess.run(["ping", "-c", "1", host], check=True)\n')];

/** A retriever standing in for the index: the demonstrations for the function in the query. */
export const stubRetriever = {
  async retrieve(query: RetrievalQuery): Promise<Demonstration[]> {
    const demos = query.code.includes('def user_by_email') ? SQL_DEMOS : PATH_DEMOS;
    return demos.map((demo, index) => ({
      entry: demo,
      score: 1 - index / 10,
      sameLanguage: true,
      cweMatch: query.cwe !== undefined && demo.cwe.includes(query.cwe),
    }));
  },
};

/** A model standing in for the operator's: the fix of whichever function the prompt asks about. */
export function stubModel(): CodeModel {
  const reply = (messages: ChatMessage[]) => {
    const asked = messages.at(-1)?.content ?? '';
    return fencedReply(asked.includes('def user_by_email') ? SQL_FIXED : PATH_FIXED);
  };
  return {
    name: 'coder-7b',
    chat: async (messages: ChatMessage[], options?: GenerationOptions) => Array.from({ length: options?.samples ?? 1 }, () => reply(messages)),
    complete: async () => [],
  };
}

/** A temp corpus folder per test (the feedback log lives beside the corpus), removed after the file. */
export function feedbackStores() {
  const temp = tempDirs('seccoder-feedback-');
  return {
    make(): LocalCorpusStore {
      const dir = join(temp.make(), 'corpus');
      mkdirSync(dir);
      return new LocalCorpusStore(dir);
    },
    cleanup: temp.cleanup,
  };
}

export async function feedbackOf(store: LocalCorpusStore): Promise<FeedbackRecord[]> {
  const { records, problems } = await readFeedback(store);
  if (problems.length > 0) throw new Error(`feedback.jsonl has bad lines: ${JSON.stringify(problems)}`);
  return records;
}

/** GET /repos/{owner}/{repo}/contents/{path}?ref= for a text file. */
export function mockContent(path: string, text: string, ref: string): void {
  const bytes = Buffer.from(text, 'utf8');
  nock(GITHUB)
    .get(`${REPO_PATH}/contents/${path.split('/').map(encodeURIComponent).join('%2F')}`)
    .query({ ref })
    .reply(200, {
      type: 'file',
      encoding: 'base64',
      size: bytes.length,
      name: path.split('/').at(-1),
      path,
      sha: 'b41e7a9c',
      content: bytes.toString('base64'),
    });
}

/** A review comment as GET /repos/{owner}/{repo}/pulls/{n}/comments lists it, with its reactions rollup. */
export function reviewComment(
  id: number,
  body: string,
  options: { thumbsDown?: number; user?: object; line?: number; startLine?: number; commitId?: string } = {},
) {
  return {
    url: `${GITHUB}${REPO_PATH}/pulls/comments/${id}`,
    pull_request_review_id: 501,
    id,
    node_id: `PRRC_${id}`,
    diff_hunk: '@@ -0,0 +1,21 @@\n+import os',
    path: PATH,
    commit_id: options.commitId ?? HEAD_SHA,
    original_commit_id: HEAD_SHA,
    user: options.user ?? BOT_USER,
    body,
    created_at: '2026-03-01T09:00:00Z',
    updated_at: '2026-03-01T09:00:00Z',
    html_url: `https://github.com/${FULL_REPO}/pull/${PULL_NUMBER}#discussion_r${id}`,
    pull_request_url: `${GITHUB}${PULL_PATH}`,
    author_association: 'NONE',
    ...(options.startLine !== undefined ? { start_line: options.startLine, original_start_line: options.startLine, start_side: 'RIGHT' } : {}),
    line: options.line ?? 13,
    original_line: options.line ?? 13,
    side: 'RIGHT',
    subject_type: 'line',
    reactions: {
      url: `${GITHUB}${REPO_PATH}/pulls/comments/${id}/reactions`,
      total_count: options.thumbsDown ?? 0,
      '+1': 0,
      '-1': options.thumbsDown ?? 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart: 0,
      rocket: 0,
      eyes: 0,
    },
  };
}

/** GET /repos/{owner}/{repo}/pulls/{n}/comments answering `comments` (once). */
export function mockReviewComments(comments: object[]): void {
  nock(GITHUB).get(`${PULL_PATH}/comments`).query({ per_page: 100 }).reply(200, comments);
}

/** The suggestion the pipeline makes for a function of VIEWS (the fields the comment and fingerprint use). */
export function suggestionFor(fn: 'user_by_email' | 'download'): Suggestion {
  const sql = fn === 'user_by_email';
  return {
    path: PATH,
    startLine: sql ? 9 : 17,
    endLine: sql ? 14 : 21,
    functionName: fn,
    original: sql ? SQL_FUNCTION : PATH_FUNCTION,
    replacement: sql ? SQL_FIXED : PATH_FIXED,
    cwe: [sql ? 'CWE-89' : 'CWE-22'],
    reason: 'Parameterizes the input.',
    demonstrations: (sql ? SQL_DEMOS : PATH_DEMOS).map((demo) => ({ id: demo.id, source: demo.source, score: 1, cwe: demo.cwe })),
    model: 'coder-7b',
  };
}

/** The app's inline comment for a suggestion (its only hunk), as the review posts it, and where it is. */
export function postedComment(suggestion: Suggestion): { body: string; line: number; startLine?: number } {
  const hunks = suggestionHunks(suggestion);
  const hunk = hunks[0];
  if (!hunk || hunks.length !== 1) throw new Error('expected one hunk');
  const part = { hunk, index: 0, total: 1 };
  return {
    body: withFingerprints(renderSuggestionMarkdown(suggestion, part), [fingerprintOf(suggestion, part)]),
    line: hunk.endLine,
    ...(hunk.startLine !== hunk.endLine ? { startLine: hunk.startLine } : {}),
  };
}

/** The `posted` record the review writes for a suggestion. */
export function postedRecord(suggestion: Suggestion, pullRequest = PULL_NUMBER): FeedbackRecord {
  return {
    at: '2026-03-01T09:00:00.000Z',
    event: 'posted',
    suggestion: {
      repo: FULL_REPO,
      pullRequest,
      fingerprint: feedbackFingerprint(fingerprintOf(suggestion)),
      path: suggestion.path,
      line: suggestion.startLine,
    },
    demonstrations: suggestion.demonstrations.map((demo) => demo.id),
    cwe: suggestion.cwe,
    language: 'python',
  };
}
