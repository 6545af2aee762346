// What goes on the pull request: each hunk of a suggestion on diff lines as its own inline comment,
// the hunks elsewhere in the body, nothing twice, earlier suggestions for changed functions marked
// outdated once per function, hostile text kept inert.
import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from '../../../src/detect/diff.js';
import { codeFingerprint, fingerprintOf, readFingerprints, renderFingerprint, type Fingerprint } from '../../../src/github/review/fingerprint.js';
import { splitStanding } from '../../../src/harden/standing.js';
import { planReview, renderBodySection, renderOutdatedReply, renderReviewBody, standingSuggestions, type ReviewPlan } from '../../../src/github/review/plan.js';
import type { ChangedFile } from '../../../src/detect/diff.js';
import type { TargetOutcome } from '../../../src/harden/harden-target.js';
import { suggestionHunks } from '../../../src/harden/hunks.js';
import { renderSuggestionMarkdown } from '../../../src/harden/render-markdown.js';
import type { Suggestion } from '../../../src/harden/suggestion.js';
import {
  DB_FIND,
  FIND_ROWS_FIXED,
  HEAD_SHA,
  IS_ADMIN_FIXED,
  LEGACY,
  outcome,
  PULL_REQUEST_DIFF,
  suggestionFor,
  target,
  USER_BY_EMAIL,
  USER_BY_EMAIL_FIXED,
  VIEWS_ADMIN,
  VIEWS_USER,
} from '../../fixtures/github/pull-request.js';

const diff = parseUnifiedDiff(PULL_REQUEST_DIFF);

const USER = suggestionFor(VIEWS_USER, USER_BY_EMAIL_FIXED);
const ADMIN = suggestionFor(VIEWS_ADMIN, IS_ADMIN_FIXED, { cwe: ['CWE-78'] });
const FIND = suggestionFor(DB_FIND, FIND_ROWS_FIXED);

const OUTCOMES: TargetOutcome[] = [
  outcome(VIEWS_USER, { suggestion: USER }),
  outcome(VIEWS_ADMIN, { suggestion: ADMIN }),
  outcome(DB_FIND, { suggestion: FIND }),
  outcome(LEGACY, { rejections: { 'syntax-error': 2, unchanged: 1 } }),
];

/** The inline comment body of hunk `index` (of all `suggestion`'s hunks). */
function inlineBody(suggestion: Suggestion, index = 0): string {
  const hunks = suggestionHunks(suggestion);
  const part = { hunk: hunks[index]!, index, total: hunks.length };
  return `${renderSuggestionMarkdown(suggestion, part)}\n\n${renderFingerprint(fingerprintOf(suggestion, part))}`;
}

/** Everything a first run posts, as GitHub would return the bodies on the next run. */
function postedBodies(plan: ReviewPlan, targetsFound: number): string[] {
  return [...plan.comments.map((comment) => comment.body), renderReviewBody(plan, { skipped: [], targetsFound })];
}

/** `find_rows` at app/db.py 40–47, whose fix changes line 40 and lines 45–46: two hunks, four unchanged lines apart. */
const LONG_FIND = `def find_rows(table, where):
    conn = sqlite3.connect(DB_PATH)
    log("table", table)
    log("where", where)
    log("querying")
    query = "SELECT * FROM " + table + " WHERE " + where
    rows = conn.execute(query).fetchall()
    return rows`;
const LONG_FIND_FIXED = LONG_FIND.replace('where):', 'where_id):').replace(
  '    query = "SELECT * FROM " + table + " WHERE " + where\n    rows = conn.execute(query).fetchall()',
  '    if table not in ("users", "orders"):\n        raise ValueError("unknown table")\n    rows = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (where_id,)).fetchall()',
);
const LONG = target({ path: 'app/db.py', name: 'find_rows', startLine: 40, code: LONG_FIND });
const SPLIT = suggestionFor(LONG, LONG_FIND_FIXED);
/** app/db.py changed on lines 38–41 only: the first hunk of SPLIT is on the diff, the second is not. */
const PARTLY: ChangedFile[] = [{ path: 'app/db.py', status: 'modified', binary: false, addedLines: [40], hunks: [{ newStart: 38, newLines: 4 }] }];

describe('planReview', () => {
  it('comments inline on the changed lines only (a one-line fix is a one-line comment) and puts hunks outside the diff in the body', () => {
    expect(diff.map((file) => [file.path, file.hunks])).toEqual([
      ['app/views.py', [{ newStart: 7, newLines: 13 }]],
      ['app/db.py', [{ newStart: 1, newLines: 4 }]],
    ]);
    const plan = planReview({ outcomes: OUTCOMES, diff, existing: [], headSha: HEAD_SHA });
    expect(plan).toEqual({
      commitId: HEAD_SHA,
      comments: [
        // user_by_email (12–16): only the query line changes.
        { path: 'app/views.py', line: 15, side: 'RIGHT', body: inlineBody(USER) },
        { path: 'app/views.py', line: 19, side: 'RIGHT', body: inlineBody(ADMIN) },
      ],
      bodySections: [renderBodySection(FIND)],
      bodyFingerprints: [fingerprintOf(FIND)],
      outdated: [],
      counts: { suggestions: 3, posted: 3, inline: 2, inBody: 1, alreadyPosted: 0, outdated: 0, tooLong: 0 },
      nothingNew: false,
    });
    expect(plan.comments[0]?.body).toContain('\n```suggestion\n    cur.execute("SELECT id, name FROM users WHERE email = ?", (email,))\n```\n');
  });

  it('posts each hunk of a function as its own comment, with the function fingerprint and its part', () => {
    const whole: ChangedFile[] = [{ path: 'app/db.py', status: 'added', binary: false, addedLines: [], hunks: [{ newStart: 1, newLines: 60 }] }];
    const plan = planReview({ outcomes: [outcome(LONG, { suggestion: SPLIT })], diff: whole, existing: [], headSha: HEAD_SHA });
    expect(plan.comments).toEqual([
      { path: 'app/db.py', line: 40, side: 'RIGHT', body: inlineBody(SPLIT, 0) },
      { path: 'app/db.py', start_line: 45, start_side: 'RIGHT', line: 46, side: 'RIGHT', body: inlineBody(SPLIT, 1) },
    ]);
    expect(readFingerprints(plan.comments.map((comment) => comment.body))).toEqual([
      { ...fingerprintOf(SPLIT), part: 1, parts: 2 },
      { ...fingerprintOf(SPLIT), part: 2, parts: 2 },
    ]);
    expect(plan.comments[1]?.body.split('\n')[0]).toBe('**SecCoder** · `find_rows` · change 2 of 2');
    expect(plan.counts).toEqual({ suggestions: 1, posted: 1, inline: 2, inBody: 0, alreadyPosted: 0, outdated: 0, tooLong: 0 });
  });

  it('a function partly in the diff: the hunk on changed lines is a one-click comment, the other goes to the body', () => {
    const plan = planReview({ outcomes: [outcome(LONG, { suggestion: SPLIT })], diff: PARTLY, existing: [], headSha: HEAD_SHA });
    expect(plan.comments).toEqual([{ path: 'app/db.py', line: 40, side: 'RIGHT', body: inlineBody(SPLIT, 0) }]);
    expect(plan.bodySections).toEqual([renderBodySection(SPLIT, [1])]);
    expect(plan.bodyFingerprints).toEqual([{ ...fingerprintOf(SPLIT), part: 2, parts: 2 }]);
    expect(plan.counts).toEqual({ suggestions: 1, posted: 1, inline: 1, inBody: 1, alreadyPosted: 0, outdated: 0, tooLong: 0 });
    expect(renderBodySection(SPLIT, [1])).toBe(
      [
        '#### `find_rows` in `app/db.py`, lines 40–47',
        '',
        "`find_rows` may be open to [CWE-89: Improper Neutralization of Special Elements used in an SQL Command \\('SQL Injection'\\)](https://cwe.mitre.org/data/definitions/89.html). It follows the precedent of [acme/api](https://github.com/acme/api/commit/0123456789abcdef), the commit that fixed `find_user` in `db/users.py`.",
        '',
        'Change 2 of 2 is outside the changed lines; the other one is an inline suggestion.',
        '',
        '```diff',
        '@@ -45,2 +45,3 @@',
        '-    query = "SELECT * FROM " + table + " WHERE " + where',
        '-    rows = conn.execute(query).fetchall()',
        '+    if table not in ("users", "orders"):',
        '+        raise ValueError("unknown table")',
        '+    rows = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (where_id,)).fetchall()',
        '```',
      ].join('\n'),
    );
  });

  it('puts a suggestion for a file outside the diff in the body, not inline', () => {
    const legacy = suggestionFor(LEGACY, FIND_ROWS_FIXED);
    const plan = planReview({ outcomes: [outcome(LEGACY, { suggestion: legacy })], diff, existing: [], headSha: HEAD_SHA });
    expect(plan.comments).toEqual([]);
    expect(plan.bodySections).toEqual([renderBodySection(legacy)]);
  });

  it('posts nothing new on a redelivery or an unrelated push, counting each function once', () => {
    const outcomes = [outcome(VIEWS_USER, { suggestion: USER }), outcome(VIEWS_ADMIN, { suggestion: ADMIN }), outcome(LONG, { suggestion: SPLIT })];
    const partly = [...diff.filter((file) => file.path !== 'app/db.py'), ...PARTLY];
    const first = planReview({ outcomes, diff: partly, existing: [], headSha: HEAD_SHA });
    expect(first.counts).toEqual({ suggestions: 3, posted: 3, inline: 3, inBody: 1, alreadyPosted: 0, outdated: 0, tooLong: 0 });
    const existing = readFingerprints(postedBodies(first, 3));
    expect(existing).toEqual([
      fingerprintOf(USER),
      fingerprintOf(ADMIN),
      { ...fingerprintOf(SPLIT), part: 1, parts: 2 },
      { ...fingerprintOf(SPLIT), part: 2, parts: 2 },
    ]);
    const again = planReview({ outcomes, diff: partly, existing, headSha: 'f'.repeat(40) });
    expect(again).toEqual({
      commitId: 'f'.repeat(40),
      comments: [],
      bodySections: [],
      bodyFingerprints: [],
      outdated: [],
      counts: { suggestions: 3, posted: 0, inline: 0, inBody: 0, alreadyPosted: 3, outdated: 0, tooLong: 0 },
      nothingNew: true,
    });
  });

  it('does not repeat a function whose code is unchanged even when the model now writes something else', () => {
    const resampled = suggestionFor(VIEWS_USER, USER_BY_EMAIL_FIXED.replace('(email,)', '[email]'));
    const plan = planReview({ outcomes: [outcome(VIEWS_USER, { suggestion: resampled })], diff, existing: [fingerprintOf(USER)], headSha: HEAD_SHA });
    expect(plan.nothingNew).toBe(true);
    expect(plan.counts.alreadyPosted).toBe(1);
  });

  it('posts a new suggestion for a changed function and lists the earlier one as outdated', () => {
    const earlier: Fingerprint = {
      path: 'app/views.py',
      fn: 'user_by_email',
      orig: codeFingerprint(USER_BY_EMAIL.replace('SELECT id, name', 'SELECT id')),
      sugg: codeFingerprint('def user_by_email(email): ...'),
    };
    const unrelated: Fingerprint = { ...earlier, fn: 'health' };
    const plan = planReview({ outcomes: [outcome(VIEWS_USER, { suggestion: USER })], diff, existing: [earlier, unrelated], headSha: HEAD_SHA });
    expect(plan.comments).toEqual([{ path: 'app/views.py', line: 15, side: 'RIGHT', body: inlineBody(USER) }]);
    expect(plan.outdated).toEqual([earlier]);
    expect(plan.counts).toEqual({ suggestions: 1, posted: 1, inline: 1, inBody: 0, alreadyPosted: 0, outdated: 1, tooLong: 0 });
  });

  it('lists an earlier suggestion posted as several comments as outdated once, as the whole suggestion', () => {
    const parts: Fingerprint[] = [1, 2, 3].map((part) => ({
      path: 'app/views.py',
      fn: 'user_by_email',
      orig: 'aaaaaaaaaaaa',
      sugg: 'bbbbbbbbbbbb',
      part,
      parts: 3,
    }));
    const plan = planReview({ outcomes: [outcome(VIEWS_USER, { suggestion: USER })], diff, existing: parts, headSha: HEAD_SHA });
    expect(plan.outdated).toEqual([{ path: 'app/views.py', fn: 'user_by_email', orig: 'aaaaaaaaaaaa', sugg: 'bbbbbbbbbbbb', parts: 3 }]);
    expect(plan.counts.outdated).toBe(1);
    // The one reply answers every part: the next run lists none of them again.
    const answered = readFingerprints([...parts.map(renderFingerprint), renderOutdatedReply(plan.outdated[0]!)]);
    expect(standingSuggestions(answered)).toEqual([]);
    expect(planReview({ outcomes: [outcome(VIEWS_USER, { suggestion: USER })], diff, existing: answered, headSha: HEAD_SHA }).outdated).toEqual([]);
  });

  it('marks an earlier suggestion outdated when its function changed even if no new one passed', () => {
    const earlier: Fingerprint = { path: 'app/views.py', fn: 'user_by_email', orig: 'aaaaaaaaaaaa', sugg: 'bbbbbbbbbbbb' };
    const plan = planReview({ outcomes: [outcome(VIEWS_USER, { rejections: { 'syntax-error': 3 } })], diff, existing: [earlier], headSha: HEAD_SHA });
    expect(plan.nothingNew).toBe(true);
    expect(plan.outdated).toEqual([earlier]);
  });

  it('does not list a suggestion again once SecCoder replied that it is outdated', () => {
    const earlier: Fingerprint = { path: 'app/views.py', fn: 'user_by_email', orig: 'aaaaaaaaaaaa', sugg: 'bbbbbbbbbbbb' };
    const existing = readFingerprints([renderFingerprint(earlier), renderOutdatedReply(earlier)]);
    expect(existing).toEqual([earlier, { ...earlier, outdated: true }]);
    const plan = planReview({ outcomes: [outcome(VIEWS_USER, { suggestion: USER })], diff, existing, headSha: HEAD_SHA });
    expect(plan.outdated).toEqual([]);
    expect(plan.comments).toHaveLength(1);
  });

  it('does not mistake a same-named function whose code is unchanged for an outdated one', () => {
    const initA = 'def __init__(self, db):\n    self.db = db';
    const initB = 'def __init__(self, path):\n    self.path = open(path).read()';
    const a = target({ path: 'app/views.py', name: '__init__', className: 'Users', startLine: 10, code: initA });
    const b = target({ path: 'app/views.py', name: '__init__', className: 'Files', startLine: 13, code: initB });
    const earlierA: Fingerprint = { path: 'app/views.py', fn: '__init__', orig: codeFingerprint(initA), sugg: 'cccccccccccc' };
    const forB = suggestionFor(b, 'def __init__(self, path):\n    self.path = safe_read(path)');
    const plan = planReview({ outcomes: [outcome(a), outcome(b, { suggestion: forB })], diff, existing: [earlierA], headSha: HEAD_SHA });
    expect(plan.outdated).toEqual([]);
    expect(plan.comments.map((comment) => [comment.start_line, comment.line])).toEqual([[undefined, 14]]);
  });

  it('drops a comment GitHub would refuse as too long, and with it every other part of the function', () => {
    const huge = suggestionFor(VIEWS_USER, `${USER_BY_EMAIL_FIXED}\n${'    x = 1\n'.repeat(7_000)}`);
    const plan = planReview({ outcomes: [outcome(VIEWS_USER, { suggestion: huge })], diff, existing: [], headSha: HEAD_SHA });
    expect(plan.comments).toEqual([]);
    expect(plan.counts.tooLong).toBe(1);
    expect(plan.nothingNew).toBe(true);

    const hugeSplit = suggestionFor(LONG, `${LONG_FIND_FIXED}\n${'    x = 1\n'.repeat(7_000)}`);
    const partly = planReview({ outcomes: [outcome(LONG, { suggestion: hugeSplit })], diff: PARTLY, existing: [], headSha: HEAD_SHA });
    expect(suggestionHunks(hugeSplit)).toHaveLength(2);
    expect(partly.comments).toEqual([]);
    expect(partly.bodySections).toEqual([]);
    expect(partly.counts).toMatchObject({ posted: 0, inline: 0, inBody: 0, tooLong: 1 });
  });
});

describe('standing suggestions split the targets', () => {
  const target = (path: string, code: string) => ({ path, function: { code } });
  const standing: Fingerprint = {
    path: 'a.py',
    fn: 'f',
    orig: codeFingerprint('def f(x):\n    return x'),
    sugg: codeFingerprint('def f(x):\n    return int(x)'),
  };

  it('holds back a target whose unchanged code has a standing suggestion (indentation and line endings aside)', () => {
    const same = target('a.py', '    def f(x):\r\n        return x\r\n');
    const changed = target('a.py', 'def f(x):\n    return x + 1');
    const elsewhere = target('b.py', 'def f(x):\n    return x');
    expect(splitStanding([same, changed, elsewhere], standingSuggestions([standing]))).toEqual({ fresh: [changed, elsewhere], alreadySuggested: [same] });
  });

  it('sends a target again once its suggestion was answered as outdated', () => {
    const same = target('a.py', 'def f(x):\n    return x');
    expect(splitStanding([same], standingSuggestions([standing, { ...standing, outdated: true }]))).toEqual({ fresh: [same], alreadySuggested: [] });
  });
});

describe('rendering', () => {
  it("shows the hunks outside the diff as diff blocks in the file's line numbers", () => {
    expect(renderBodySection(FIND)).toBe(
      [
        '#### `find_rows` in `app/db.py`, lines 40–44',
        '',
        "`find_rows` may be open to [CWE-89: Improper Neutralization of Special Elements used in an SQL Command \\('SQL Injection'\\)](https://cwe.mitre.org/data/definitions/89.html). It follows the precedent of [acme/api](https://github.com/acme/api/commit/0123456789abcdef), the commit that fixed `find_user` in `db/users.py`.",
        '',
        '```diff',
        '@@ -40,4 +40,5 @@',
        '-def find_rows(table, where):',
        '+def find_rows(table, where_id):',
        '     conn = sqlite3.connect(DB_PATH)',
        '-    query = "SELECT * FROM " + table + " WHERE " + where',
        '-    rows = conn.execute(query).fetchall()',
        '+    if table not in ("users", "orders"):',
        '+        raise ValueError("unknown table")',
        '+    rows = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (where_id,)).fetchall()',
        '```',
      ].join('\n'),
    );
  });

  it('renders the review body: header, sections outside the diff, the cap line, one footer, fingerprints last', () => {
    const plan = planReview({ outcomes: OUTCOMES, diff, existing: [], headSha: HEAD_SHA });
    const body = renderReviewBody(plan, {
      targetsFound: 4,
      skipped: [
        { path: 'vendor/lib.py', reason: 'ignored-path', detail: 'matches **/vendor/**' },
        { path: 'app/jobs.py', function: 'run', reason: 'cap-reached' },
        { path: 'app/jobs.py', function: 'stop', reason: 'cap-reached' },
      ],
    });
    expect(body).toBe(
      [
        '**SecCoder** suggests security fixes for 3 of 4 checked functions (2 inline suggestions, 1 change below).',
        '',
        '### Outside the changed lines',
        '',
        'GitHub only accepts suggestions on lines this pull request changed; apply these changes by hand.',
        '',
        renderBodySection(FIND),
        '',
        '2 more functions were left out by the `maxTargets` cap in `.github/seccoder.yml`.',
        '',
        '1 candidate was skipped; the check run says why.',
        '',
        '<sub>Suggestions are written by a code model from secure examples in your corpus. Review before committing.</sub>',
        '',
        renderFingerprint(fingerprintOf(FIND)),
      ].join('\n'),
    );
    expect(renderReviewBody(plan, { targetsFound: 4, skipped: [], leftOut: 1 })).toContain('\n1 more function was left out by the `maxTargets` cap');
    const nothing = planReview({ outcomes: OUTCOMES, diff, existing: readFingerprints(postedBodies(plan, 4)), headSha: HEAD_SHA });
    expect(renderReviewBody(nothing, { targetsFound: 4, skipped: [] }).split('\n').slice(0, 3)).toEqual([
      '**SecCoder** checked 4 functions and has no new suggestions.',
      '',
      '3 earlier suggestions for unchanged code are not repeated.',
    ]);
  });

  it('keeps a hostile path and function name inert in the body, and its marker unforgeable', () => {
    const hostilePath = 'app/`x`|<img src=x onerror=alert(1)>.py';
    const hostileName = 'f`</sub><script>alert(1)</script>';
    const code = `def f():\n    return "<!-- seccoder:v1 {\\"path\\":\\"app/views.py\\",\\"fn\\":\\"user_by_email\\",\\"orig\\":\\"aaaaaaaaaaaa\\",\\"sugg\\":\\"bbbbbbbbbbbb\\"} -->"`;
    const t = target({ path: hostilePath, name: hostileName, startLine: 3, code: 'def f():\n    return 1' });
    const evil = suggestionFor(t, `${code}\n# \`\`\`\`\`\n${renderFingerprint({ path: 'app/views.py', fn: 'x', orig: 'aaaaaaaaaaaa', sugg: 'bbbbbbbbbbbb' })}`);
    const plan = planReview({ outcomes: [outcome(t, { suggestion: evil })], diff, existing: [], headSha: HEAD_SHA });
    const section = plan.bodySections[0] ?? '';
    expect(section.split('\n')[0]).toBe('#### ``f`</sub><script>alert(1)</script>`` in ``app/`x`|<img src=x onerror=alert(1)>.py``, lines 3–4');
    // The explanation names the function in a code span too.
    expect(section.split('\n')[2]?.startsWith('``f`</sub><script>alert(1)</script>`` may be open to [CWE-89: ')).toBe(true);
    // The code's own five-backtick line cannot close the diff block around it.
    expect(section).toContain('\n``````diff\n');
    const body = renderReviewBody(plan, { targetsFound: 1, skipped: [] });
    expect(readFingerprints([body])).toEqual([fingerprintOf(evil)]);
    expect(fingerprintOf(evil).path).toBe(hostilePath);

    // The same hostile replacement inline: its marker line sits inside the ```suggestion block.
    const forged = suggestionFor(
      VIEWS_USER,
      `${USER_BY_EMAIL_FIXED}\n${renderFingerprint({ path: 'app/views.py', fn: 'is_admin', orig: 'aaaaaaaaaaaa', sugg: 'bbbbbbbbbbbb' })}`,
    );
    const inline = planReview({ outcomes: [outcome(VIEWS_USER, { suggestion: forged })], diff, existing: [], headSha: HEAD_SHA });
    // The fix and the added marker line are one unchanged line apart: one hunk, one comment.
    expect(inline.comments.map((comment) => [comment.start_line, comment.line])).toEqual([[15, 16]]);
    expect(inline.comments[0]?.body).toContain('\n    return jsonify(cur.fetchone())\n<!-- seccoder:v1 {"path":"app/views.py","fn":"is_admin"');
    expect(readFingerprints(inline.comments.map((comment) => comment.body))).toEqual([fingerprintOf(forged)]);
  });

  it('answers an outdated suggestion with a reply carrying its own marker, for the whole suggestion', () => {
    const fp: Fingerprint = { path: 'app/views.py', fn: 'user_by_email', orig: 'aaaaaaaaaaaa', sugg: 'bbbbbbbbbbbb' };
    expect(renderOutdatedReply(fp)).toBe(
      [
        'This suggestion for `user_by_email` is outdated: the function has changed since it was written, so applying it would overwrite the new code.',
        '',
        renderFingerprint({ ...fp, outdated: true }),
      ].join('\n'),
    );
    expect(renderOutdatedReply({ ...fp, part: 2, parts: 3 })).toBe(
      [
        'The 3 suggested changes to `user_by_email` (this one and the others with it) are outdated: the function has changed since they were written, so applying any of them would overwrite the new code.',
        '',
        renderFingerprint({ ...fp, parts: 3, outdated: true }),
      ].join('\n'),
    );
  });
});
