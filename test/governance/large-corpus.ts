// A large corpus folder for measuring the page: SIZE entries of about 700 characters over every
// language and 14 CWEs, 2,000 audit records (a tenth of them retirements) and 6,000 feedback records.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeAuditRecord, type AuditRecord } from '../../src/corpus/audit.js';
import { codeHash, type CorpusEntry } from '../../src/corpus/entry.js';
import { serializeFeedbackRecord, type FeedbackRecord } from '../../src/corpus/feedback.js';
import { serializeEntry } from '../../src/corpus/jsonl.js';
import { LANGUAGES } from '../../src/lang/languages.js';

const CWES = [
  'CWE-22',
  'CWE-78',
  'CWE-79',
  'CWE-89',
  'CWE-125',
  'CWE-190',
  'CWE-416',
  'CWE-476',
  'CWE-502',
  'CWE-787',
  'CWE-611',
  'CWE-918',
  'CWE-327',
  'CWE-352',
];
export const SIZE = 10_000;

export function writeLargeCorpus(dir: string): void {
  const entries: CorpusEntry[] = Array.from({ length: SIZE }, (_, i) => {
    // About 700 characters, the seed's median order of size.
    const code = `def handler_${i}(request, db):\n${Array.from({ length: 14 }, (_, line) => `    value_${line} = sanitize(request.args.get("field_${line}_${i}"))\n`).join('')}    return db.execute("SELECT ?", (value_0,))`;
    return {
      id: `manual-${i}`,
      language: LANGUAGES[i % LANGUAGES.length] ?? 'python',
      code,
      cwe: [CWES[i % CWES.length] ?? 'CWE-89'],
      source: { repo: 'acme/app', commit: 'abcdef0', path: `src/file_${i}.py` },
      origin: i % 3 === 0 ? 'seed' : 'merged-fix',
      addedAt: '2026-01-01T00:00:00.000Z',
      sha256: codeHash(code),
    };
  });
  writeFileSync(join(dir, 'corpus.jsonl'), entries.map((e) => `${serializeEntry(e)}\n`).join(''));
  const audit: AuditRecord[] = Array.from({ length: 2000 }, (_, i) => ({
    at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    action: i % 10 === 0 ? 'retired' : 'added',
    actor: 'octo-admin',
    via: { kind: 'pull-request', repo: 'acme/app', pullRequest: i + 1 },
    entryId: `manual-${i}`,
    reason: 'scale test',
    gates: [{ gate: 'bandit', passed: true }],
  }));
  writeFileSync(join(dir, 'audit.jsonl'), audit.map((r) => `${serializeAuditRecord(r)}\n`).join(''));
  const feedback: FeedbackRecord[] = Array.from({ length: 3000 }, (_, i): FeedbackRecord[] => {
    const suggestion = { repo: 'acme/app', pullRequest: i + 1, fingerprint: `f${i}` };
    return [
      { at: '2026-02-01T00:00:00.000Z', event: 'posted', suggestion, demonstrations: [`manual-${i}`, `manual-${i + 1}`] },
      { at: '2026-02-02T00:00:00.000Z', event: i % 4 === 0 ? 'dismissed' : 'applied', suggestion },
    ];
  }).flat();
  writeFileSync(join(dir, 'feedback.jsonl'), feedback.map((r) => `${serializeFeedbackRecord(r)}\n`).join(''));
}
