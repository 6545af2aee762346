// The audit trail and the feedback log as text: records survive a round trip, a damaged line is
// reported by number and skipped (never the whole trail), retirement is whatever an entry's last
// retire/restore record says, and acceptance per entry counts each suggestion once.
import { describe, expect, it } from 'vitest';
import { parseAudit, retiredIds, serializeAuditRecord, type AuditRecord } from '../../src/corpus/audit.js';
import { acceptanceByEntry, parseFeedback, serializeFeedbackRecord, suggestionStates, type FeedbackRecord } from '../../src/corpus/feedback.js';

const SHA = 'b69737b5ec095d51c0b3a26af8a4f8d99a85dd782987da7e2ba4126743fe907c';

const added: AuditRecord = {
  at: '2026-05-01T10:00:00.000Z',
  action: 'added',
  actor: 'octo-admin',
  via: { kind: 'pull-request', repo: 'acme/shop', pullRequest: 42, url: 'https://github.com/acme/shop/pull/42' },
  entryId: 'merged-fix-b69737b5ec095d51',
  sha256: SHA,
  language: 'python',
  cwe: ['CWE-89'],
  path: 'shop/db.py',
  function: 'find_user',
  gates: [
    { gate: 'suppression comments', passed: true },
    { gate: 'bandit', passed: true },
    { gate: 'semgrep', passed: true, detail: 'could not judge this code alone' },
  ],
};

function status(action: 'retired' | 'restored', entryId: string, at: string): AuditRecord {
  return {
    at,
    action,
    actor: 'cli:alice',
    via: { kind: 'command', command: `seccoder corpus ${action === 'retired' ? 'retire' : 'restore'} ${entryId}` },
    entryId,
    reason: 'why',
  };
}

describe('audit records', () => {
  it('survive serialize then parse unchanged, one line each', () => {
    const refused: AuditRecord = {
      at: '2026-05-01T10:05:00.000Z',
      action: 'refused',
      actor: 'cli:bob',
      via: { kind: 'command', command: 'seccoder corpus add sqli.py' },
      sha256: SHA,
      language: 'python',
      path: 'sqli.py',
      reason: 'analyzer bandit reports B608 (CWE-89) on line 2',
      gates: [
        { gate: 'suppression comments', passed: true },
        { gate: 'bandit', passed: false, detail: 'B608 (line 2): Possible SQL injection vector through string-based query construction.' },
      ],
    };
    const text = [added, refused].map(serializeAuditRecord).join('\n');
    expect(text.split('\n')).toHaveLength(2);
    expect(parseAudit(`${text}\n`, 'audit.jsonl')).toEqual({ records: [added, refused], problems: [] });
  });

  it('refuses to write a record the trail could not read back', () => {
    expect(() => serializeAuditRecord({ ...added, sha256: 'not-a-hash' })).toThrow(/sha256/);
    expect(() => serializeAuditRecord({ ...added, action: 'deleted' as AuditRecord['action'] })).toThrow(/action/);
    expect(() => serializeAuditRecord({ ...added, secret: 'x' } as AuditRecord)).toThrow(/secret/);
  });

  it('reports each bad line with its number and why, and keeps every good one', () => {
    const lines = [
      serializeAuditRecord(added),
      '{"at": "2026-05-01T10:00:00.000Z", "action": "added"',
      '',
      JSON.stringify({ ...added, action: 'deleted' }),
      JSON.stringify({ ...added, password: 'hunter2' }),
      `  ${serializeAuditRecord(status('retired', added.entryId!, '2026-05-02T00:00:00.000Z'))}  `,
      JSON.stringify({ ...added, at: 'yesterday' }),
    ];
    const { records, problems } = parseAudit(lines.join('\r\n'), '/corpus/audit.jsonl');
    expect(records.map((record) => record.action)).toEqual(['added', 'retired']);
    expect(problems.map(({ file, line }) => `${file}:${line}`)).toEqual([
      '/corpus/audit.jsonl:2',
      '/corpus/audit.jsonl:4',
      '/corpus/audit.jsonl:5',
      '/corpus/audit.jsonl:7',
    ]);
    expect(problems[0]?.message).toMatch(/^not valid JSON/);
    expect(problems[1]?.message).toMatch(/^action: /);
    expect(problems[2]?.message).toMatch(/password/);
    expect(problems[3]?.message).toMatch(/^at: /);
  });

  it('reads an empty or missing trail as no records', () => {
    expect(parseAudit('', 'audit.jsonl')).toEqual({ records: [], problems: [] });
    expect(parseAudit('\n\n', 'audit.jsonl')).toEqual({ records: [], problems: [] });
  });
});

describe('retiredIds', () => {
  it("follows each entry's last retire or restore record, whatever came before", () => {
    const records = [
      added,
      status('retired', 'a', '2026-05-01T00:00:00.000Z'),
      status('retired', 'b', '2026-05-01T00:01:00.000Z'),
      status('restored', 'a', '2026-05-01T00:02:00.000Z'),
      status('retired', 'c', '2026-05-01T00:03:00.000Z'),
      status('restored', 'c', '2026-05-01T00:04:00.000Z'),
      status('retired', 'c', '2026-05-01T00:05:00.000Z'),
      // A restore of an entry never retired changes nothing.
      status('restored', 'd', '2026-05-01T00:06:00.000Z'),
    ];
    expect([...retiredIds(records)].sort()).toEqual(['b', 'c']);
  });

  it('ignores other actions and records without an entry, even ones naming a retired entry', () => {
    const records: AuditRecord[] = [
      status('retired', 'a', '2026-05-01T00:00:00.000Z'),
      { ...added, entryId: 'a', at: '2026-05-01T00:01:00.000Z' },
      { ...added, action: 'refused', entryId: undefined, at: '2026-05-01T00:02:00.000Z' },
      { ...added, action: 'proposal-closed', entryId: 'a', at: '2026-05-01T00:03:00.000Z' },
    ];
    expect(retiredIds(records)).toEqual(new Set(['a']));
    expect(retiredIds([])).toEqual(new Set());
  });
});

describe('feedback on posted suggestions', () => {
  const ref = (fingerprint: string, pullRequest = 7) => ({ repo: 'acme/shop', pullRequest, fingerprint });
  const at = (minute: number) => `2026-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
  const posted = (fingerprint: string, demonstrations: string[], minute: number, pullRequest = 7): FeedbackRecord => ({
    at: at(minute),
    event: 'posted',
    suggestion: { ...ref(fingerprint, pullRequest), commentId: 1000 + minute, path: 'shop/db.py', line: 12 },
    demonstrations,
    cwe: ['CWE-89'],
    language: 'python',
  });
  const outcome = (event: 'applied' | 'dismissed', fingerprint: string, minute: number, reason: string, pullRequest = 7): FeedbackRecord => ({
    at: at(minute),
    event,
    suggestion: ref(fingerprint, pullRequest),
    reason,
  });

  const log: FeedbackRecord[] = [
    posted('s1', ['a', 'b'], 1),
    outcome('applied', 's1', 2, 'suggested lines in head'),
    // Code that landed stays applied: a later 👎 does not take it back.
    outcome('dismissed', 's1', 3, 'thumbs-down'),
    posted('s2', ['a'], 4),
    outcome('dismissed', 's2', 5, 'thread resolved unapplied'),
    // Dismissed, then applied after all: applied wins.
    posted('s3', ['c'], 6),
    outcome('dismissed', 's3', 7, 'thumbs-down'),
    outcome('applied', 's3', 8, 'suggested lines in head'),
    // Shown twice in one prompt: one suggestion, counted once for the entry.
    posted('s4', ['a', 'a', 'c'], 9),
    // The same fingerprint on another pull request is another suggestion.
    posted('s4', ['b'], 10, 8),
    // Posted again (a re-run): the first record's demonstrations stand.
    posted('s2', ['z'], 11),
    // An outcome for a suggestion never posted is nobody's.
    outcome('applied', 'ghost', 12, 'suggested lines in head'),
    { at: at(13), event: 'uncovered-alert', repo: 'acme/shop', cwe: ['CWE-918'], language: 'python' },
  ];

  it('round-trips through the log format', () => {
    const text = log.map(serializeFeedbackRecord).join('\n');
    expect(parseFeedback(text, 'feedback.jsonl')).toEqual({ records: log, problems: [] });
  });

  it('gives each posted suggestion one state: applied is final, dismissed, or left', () => {
    const states = suggestionStates(log);
    expect(Object.fromEntries([...states].map(([key, value]) => [key, value]))).toEqual({
      'acme/shop#7:s1': { demonstrations: ['a', 'b'], state: 'applied' },
      'acme/shop#7:s2': { demonstrations: ['a'], state: 'dismissed' },
      'acme/shop#7:s3': { demonstrations: ['c'], state: 'applied' },
      'acme/shop#7:s4': { demonstrations: ['a', 'a', 'c'], state: 'left' },
      'acme/shop#8:s4': { demonstrations: ['b'], state: 'left' },
    });
  });

  it('counts, per entry, the suggestions that showed it and how many were applied or dismissed', () => {
    expect(Object.fromEntries(acceptanceByEntry(log))).toEqual({
      a: { suggestions: 3, applied: 1, dismissed: 1 },
      b: { suggestions: 2, applied: 1, dismissed: 0 },
      c: { suggestions: 2, applied: 1, dismissed: 0 },
    });
    expect(acceptanceByEntry([]).size).toBe(0);
  });
});
