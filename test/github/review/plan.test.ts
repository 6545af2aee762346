// What goes on the pull request: inline comments on diff lines, body sections elsewhere, nothing
// twice, earlier suggestions for changed functions marked outdated, hostile text kept inert.
import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from '../../../src/detect/diff.js';
import { codeFingerprint, fingerprintOf, readFingerprints, renderFingerprint, type Fingerprint } from '../../../src/github/review/fingerprint.js';
import { splitStanding } from '../../../src/harden/standing.js';
import {
  planReview,
  renderBodySection,
  renderOutdatedReply,
  renderReviewBody,
  standingSuggestions,
  suggestionDiff,
  type ReviewPlan,
} from '../../../src/github/review/plan.js';
import type { TargetOutcome } from '../../../src/harden/harden-target.js';
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

const inlineBody = (suggestion: Suggestion) => `${renderSuggestionMarkdown(suggestion)}\n\n${renderFingerprint(fingerprintOf(suggestion))}`;

/** Everything a first run posts, as GitHub would return the bodies on the next run. */
function postedBodies(plan: ReviewPlan, targetsFound: number): string[] {
  return [...plan.comments.map((comment) => comment.body), renderReviewBody(plan, { skipped: [], targetsFound })];
}

describe('planReview', () => {
  it('comments inline on diff lines (multi-line and single-line shapes) and puts the rest in the body', () => {
    expect(diff.map((file) => [file.path, file.hunks])).toEqual([
      ['app/views.py', [{ newStart: 7, newLines: 13 }]],
      ['app/db.py', [{ newStart: 1, newLines: 4 }]],
    ]);
    const plan = planReview({ outcomes: OUTCOMES, diff, existing: [], headSha: HEAD_SHA });
    expect(plan).toEqual({
      commitId: HEAD_SHA,
      comments: [
        { path: 'app/views.py', start_line: 12, start_side: 'RIGHT', line: 16, side: 'RIGHT', body: inlineBody(USER) },
        { path: 'app/views.py', line: 19, side: 'RIGHT', body: inlineBody(ADMIN) },
      ],
      bodySections: [renderBodySection(FIND)],
      bodyFingerprints: [fingerprintOf(FIND)],
      outdated: [],
      counts: { suggestions: 3, inline: 2, inBody: 1, alreadyPosted: 0, outdated: 0, tooLong: 0 },
      nothingNew: false,
    });
  });

  it('puts a suggestion for a file outside the diff in the body, not inline', () => {
    const legacy = suggestionFor(LEGACY, FIND_ROWS_FIXED);
    const plan = planReview({ outcomes: [outcome(LEGACY, { suggestion: legacy })], diff, existing: [], headSha: HEAD_SHA });
    expect(plan.comments).toEqual([]);
    expect(plan.bodySections).toEqual([renderBodySection(legacy)]);
  });

  it('posts nothing new on a redelivery or an unrelated push', () => {
    const first = planReview({ outcomes: OUTCOMES, diff, existing: [], headSha: HEAD_SHA });
    const existing = readFingerprints(postedBodies(first, 4));
    expect(existing).toEqual([fingerprintOf(USER), fingerprintOf(ADMIN), fingerprintOf(FIND)]);
    const again = planReview({ outcomes: OUTCOMES, diff, existing, headSha: 'f'.repeat(40) });
    expect(again).toEqual({
      commitId: 'f'.repeat(40),
      comments: [],
      bodySections: [],
      bodyFingerprints: [],
      outdated: [],
      counts: { suggestions: 3, inline: 0, inBody: 0, alreadyPosted: 3, outdated: 0, tooLong: 0 },
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
    expect(plan.comments).toEqual([{ path: 'app/views.py', start_line: 12, start_side: 'RIGHT', line: 16, side: 'RIGHT', body: inlineBody(USER) }]);
    expect(plan.outdated).toEqual([earlier]);
    expect(plan.counts).toEqual({ suggestions: 1, inline: 1, inBody: 0, alreadyPosted: 0, outdated: 1, tooLong: 0 });
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
    expect(plan.comments.map((comment) => [comment.start_line, comment.line])).toEqual([[13, 14]]);
  });

  it('drops a comment GitHub would refuse as too long', () => {
    const huge = suggestionFor(VIEWS_USER, `${USER_BY_EMAIL_FIXED}\n${'    x = 1\n'.repeat(7_000)}`);
    const plan = planReview({ outcomes: [outcome(VIEWS_USER, { suggestion: huge })], diff, existing: [], headSha: HEAD_SHA });
    expect(plan.comments).toEqual([]);
    expect(plan.counts.tooLong).toBe(1);
    expect(plan.nothingNew).toBe(true);
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
  it("shows a suggestion outside the diff as a diff block in the file's line numbers", () => {
    expect(suggestionDiff(FIND)).toBe(
      [
        '@@ -40,5 +40,6 @@',
        '-def find_rows(table, where):',
        '+def find_rows(table, where_id):',
        '     conn = sqlite3.connect(DB_PATH)',
        '-    query = "SELECT * FROM " + table + " WHERE " + where',
        '-    rows = conn.execute(query).fetchall()',
        '+    if table not in ("users", "orders"):',
        '+        raise ValueError("unknown table")',
        '+    rows = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (where_id,)).fetchall()',
        '     return rows',
      ].join('\n'),
    );
    expect(renderBodySection(FIND)).toBe(
      [
        '#### `find_rows` in `app/db.py`, lines 40–44',
        '',
        '**SecCoder** · [CWE-89](https://cwe.mitre.org/data/definitions/89.html) · `find_rows`',
        '',
        'Rewrites `find_rows` to remove CWE-89.',
        '',
        '```diff',
        suggestionDiff(FIND),
        '```',
        '',
        'Learned from: [acme/api · db/users.py · find\\_user\\(\\)](https://github.com/acme/api/commit/0123456789abcdef)',
        '',
        '<sub>Written by coder-7b from a secure example in your corpus. Review before committing.</sub>',
      ].join('\n'),
    );
  });

  it('renders the review body: header, sections outside the diff, the cap line, fingerprints last', () => {
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
        '**SecCoder** checked 4 functions and suggests 3 secure rewrites (2 inline, 1 below).',
        '',
        '### Outside the changed lines',
        '',
        'GitHub only accepts suggestions on lines this pull request changed; these functions need the change applied by hand.',
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
    // renderSuggestionMarkdown's own line: escaped, backticks dropped, inside a code span.
    expect(section.split('\n')[2]).toBe('**SecCoder** · [CWE-89](https://cwe.mitre.org/data/definitions/89.html) · `f</sub><script>alert(1)</script>`');
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
    expect(readFingerprints(inline.comments.map((comment) => comment.body))).toEqual([fingerprintOf(forged)]);
  });

  it('answers an outdated suggestion with a reply carrying its own marker', () => {
    const fp: Fingerprint = { path: 'app/views.py', fn: 'user_by_email', orig: 'aaaaaaaaaaaa', sugg: 'bbbbbbbbbbbb' };
    expect(renderOutdatedReply(fp)).toBe(
      [
        'This suggestion for `user_by_email` is outdated: the function has changed since it was written, so applying it would overwrite the new code.',
        '',
        renderFingerprint({ ...fp, outdated: true }),
      ].join('\n'),
    );
  });
});
