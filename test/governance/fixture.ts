// A small corpus folder with everything the page shows: entries of several languages, CWEs and
// origins (one with no CWE, one retired, one whose code and source are hostile markup), an audit
// trail (additions with gates, a refusal, a retirement, proposals pending and settled) and feedback
// (suggestions applied and dismissed, alerts seen with no demonstration). Counts the tests expect
// are exported with it, so a test reads as "the page shows what the fixture holds".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeAuditRecord, type AuditRecord } from '../../src/corpus/audit.js';
import { codeHash, type CorpusEntry, type EntrySource, type Origin } from '../../src/corpus/entry.js';
import { serializeFeedbackRecord, type FeedbackRecord } from '../../src/corpus/feedback.js';
import { serializeEntry } from '../../src/corpus/jsonl.js';
import type { Language } from '../../src/lang/languages.js';

export const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>';

function entry(id: string, language: Language, code: string, cwe: string[], origin: Origin, source: EntrySource = {}): CorpusEntry {
  return { id, language, code, cwe, source, origin, addedAt: '2026-01-01T00:00:00.000Z', sha256: codeHash(code) };
}

export const ENTRIES = {
  sqlSeed: entry('seed-sql-1', 'python', 'def find_user(db, name):\n    return db.execute("SELECT * FROM users WHERE name = ?", (name,))', ['CWE-89'], 'seed', {
    repo: 'acme/app',
    commit: '0123456789abcdef0123456789abcdef01234567',
    path: 'app/db.py',
    function: 'find_user',
    dataset: 'sven',
  }),
  sqlMerged: entry(
    'merged-fix-sql-2',
    'python',
    'def find_order(db, oid):\n    return db.execute("SELECT * FROM orders WHERE id = ?", (oid,))',
    ['CWE-89'],
    'merged-fix',
    {
      repo: 'acme/shop',
      pullRequest: 42,
      url: 'https://github.com/acme/shop/pull/42',
      mergedBy: 'octo-admin',
    },
  ),
  bounds: entry(
    'seed-c-787',
    'c',
    'int put(char *buf, size_t n, size_t i, char c) {\n  if (i >= n) return -1;\n  buf[i] = c;\n  return 0;\n}',
    ['CWE-787'],
    'seed',
  ),
  read: entry('seed-c-125', 'c', 'int get(const char *buf, size_t n, size_t i) {\n  if (i >= n) return -1;\n  return buf[i];\n}', ['CWE-125'], 'seed'),
  hostile: entry('manual-xss-1', 'javascript', `function render(el, text) {\n  el.textContent = text; // ${HOSTILE}\n}`, ['CWE-79'], 'manual', {
    url: 'javascript:alert(1)',
    path: `src/${HOSTILE}.js`,
  }),
  retired: entry(
    'merged-fix-go-22',
    'go',
    'func open(root, name string) (*os.File, error) {\n\treturn os.OpenInRoot(root, name)\n}',
    ['CWE-22'],
    'merged-fix',
    { repo: 'acme/api', commit: 'feedface' },
  ),
  unlabelled: entry('manual-py-none', 'python', 'def safe_int(text):\n    return int(text, 10)', [], 'manual'),
} satisfies Record<string, CorpusEntry>;

export const PENDING_SHA = codeHash('def proposed_one():\n    return 1');
const SETTLED_ADDED_SHA = ENTRIES.sqlMerged.sha256;
const CLOSED_SHA = codeHash('def proposed_closed():\n    return 2');

export const RETIRE_REASON = `taught an insecure pattern ${HOSTILE}`;

export const AUDIT: AuditRecord[] = [
  {
    at: '2026-02-01T09:00:00.000Z',
    action: 'proposed',
    actor: 'seccoder[bot]',
    via: { kind: 'pull-request', repo: 'acme/.seccoder', pullRequest: 5, url: 'https://github.com/acme/.seccoder/pull/5' },
    sha256: SETTLED_ADDED_SHA,
    language: 'python',
    cwe: ['CWE-89'],
  },
  {
    at: '2026-02-02T09:00:00.000Z',
    action: 'added',
    actor: 'octo-admin',
    via: { kind: 'pull-request', repo: 'acme/shop', pullRequest: 42, url: 'https://github.com/acme/shop/pull/42' },
    entryId: ENTRIES.sqlMerged.id,
    sha256: SETTLED_ADDED_SHA,
    language: 'python',
    cwe: ['CWE-89'],
    path: 'shop/orders.py',
    function: 'find_order',
    gates: [
      { gate: 'suppression comments', passed: true },
      { gate: 'bandit', passed: true },
    ],
  },
  {
    at: '2026-02-03T09:00:00.000Z',
    action: 'refused',
    actor: 'octo-dev',
    via: { kind: 'pull-request', repo: 'acme/shop', pullRequest: 43, url: 'javascript:alert(2)' },
    sha256: codeHash('def bad(db, q):\n    return db.execute("SELECT " + q)'),
    language: 'python',
    cwe: ['CWE-89'],
    path: 'shop/bad.py',
    reason: 'analyzer bandit reports B608 (CWE-89) on line 2',
    gates: [
      { gate: 'suppression comments', passed: true },
      { gate: 'bandit', passed: false, detail: `B608 (line 2): Possible SQL injection ${HOSTILE}` },
    ],
  },
  {
    at: '2026-02-04T09:00:00.000Z',
    action: 'retired',
    actor: 'cli:alice',
    via: { kind: 'command', command: `seccoder corpus retire ${ENTRIES.retired.id}` },
    entryId: ENTRIES.retired.id,
    sha256: ENTRIES.retired.sha256,
    language: 'go',
    cwe: ['CWE-22'],
    reason: RETIRE_REASON,
  },
  {
    at: '2026-02-05T09:00:00.000Z',
    action: 'proposed',
    actor: 'seccoder[bot]',
    via: { kind: 'pull-request', repo: 'acme/.seccoder', pullRequest: 6, url: 'https://github.com/acme/.seccoder/pull/6' },
    sha256: CLOSED_SHA,
    language: 'python',
  },
  {
    at: '2026-02-06T09:00:00.000Z',
    action: 'proposal-closed',
    actor: 'octo-admin',
    via: { kind: 'pull-request', repo: 'acme/.seccoder', pullRequest: 6 },
    sha256: CLOSED_SHA,
    reason: 'closed without merging',
  },
  {
    at: '2026-02-07T09:00:00.000Z',
    action: 'proposed',
    actor: 'seccoder[bot]',
    via: { kind: 'pull-request', repo: 'acme/.seccoder', pullRequest: 7, url: 'https://github.com/acme/.seccoder/pull/7' },
    sha256: PENDING_SHA,
    language: 'python',
    cwe: ['CWE-78'],
    path: 'tools/run.py',
    function: 'proposed_one',
    gates: [{ gate: 'bandit', passed: true }],
  },
];

const suggestion = (pullRequest: number, fingerprint: string) => ({ repo: 'acme/shop', pullRequest, fingerprint, path: 'shop/search.py', line: 12 });

export const FEEDBACK: FeedbackRecord[] = [
  {
    at: '2026-03-01T10:00:00.000Z',
    event: 'posted',
    suggestion: suggestion(50, 'f1'),
    demonstrations: [ENTRIES.sqlSeed.id, ENTRIES.sqlMerged.id],
    cwe: ['CWE-89'],
    language: 'python',
  },
  { at: '2026-03-01T11:00:00.000Z', event: 'applied', suggestion: suggestion(50, 'f1'), reason: 'suggested lines in head' },
  {
    at: '2026-03-02T10:00:00.000Z',
    event: 'posted',
    suggestion: suggestion(51, 'f2'),
    demonstrations: [ENTRIES.sqlSeed.id],
    cwe: ['CWE-89'],
    language: 'python',
  },
  { at: '2026-03-02T11:00:00.000Z', event: 'dismissed', suggestion: suggestion(51, 'f2'), reason: 'thumbs-down' },
  {
    at: '2026-03-03T10:00:00.000Z',
    event: 'posted',
    suggestion: suggestion(52, 'f3'),
    demonstrations: [ENTRIES.sqlSeed.id],
    cwe: ['CWE-89'],
    language: 'python',
  },
  { at: '2026-03-04T10:00:00.000Z', event: 'uncovered-alert', cwe: ['CWE-918'], language: 'python', repo: 'acme/api' },
  { at: '2026-03-05T10:00:00.000Z', event: 'uncovered-alert', cwe: ['CWE-918'], language: 'python', repo: 'acme/api' },
  { at: '2026-03-06T10:00:00.000Z', event: 'uncovered-alert', cwe: ['CWE-89'], language: 'go', repo: `acme/${'x'.repeat(3)}` },
];

/** What the coverage table must show for the fixture: live entries per CWE and language. */
export const EXPECTED_COUNTS: Record<string, Partial<Record<Language, number>>> = {
  'CWE-89': { python: 2 },
  'CWE-787': { c: 1 },
  'CWE-125': { c: 1 },
  'CWE-79': { javascript: 1 },
  'CWE-22': {},
  'CWE-918': {},
};

export const LIVE_ENTRIES = 6;

/** Writes the fixture's corpus, audit trail and feedback into `dir`. */
export function writeFixture(dir: string, entries: CorpusEntry[] = Object.values(ENTRIES)): void {
  writeFileSync(join(dir, 'corpus.jsonl'), entries.map((e) => `${serializeEntry(e)}\n`).join(''));
  writeFileSync(join(dir, 'audit.jsonl'), AUDIT.map((r) => `${serializeAuditRecord(r)}\n`).join(''));
  writeFileSync(join(dir, 'feedback.jsonl'), FEEDBACK.map((r) => `${serializeFeedbackRecord(r)}\n`).join(''));
}
