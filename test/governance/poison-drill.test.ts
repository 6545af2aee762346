// The drill the security team runs: an insecure function slipped into the corpus (labelled as a
// CWE-89 fix, but it builds SQL from a string) and teaches suggestions developers keep dismissing.
// The team finds it on the page by its dismissals, retires it there, and retrieval stops showing it
// — while the corpus file still holds it and the audit trail says who retired it and why.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAudit } from '../../src/corpus/audit.js';
import { codeHash, type CorpusEntry } from '../../src/corpus/entry.js';
import { serializeFeedbackRecord, type FeedbackRecord } from '../../src/corpus/feedback.js';
import { serializeEntry } from '../../src/corpus/jsonl.js';
import { openRetrievalIndex, retrieverFor } from '../../src/retrieve/open-index.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import { cardIds } from './html-scan.js';
import { form, send, usePageServer, WRITER } from './http.js';

const tempDir = useTempDirs();
const serve = usePageServer();

function entry(id: string, code: string, cwe: string[]): CorpusEntry {
  return {
    id,
    language: 'python',
    code,
    cwe,
    source: { repo: 'acme/shop' },
    origin: 'merged-fix',
    addedAt: '2026-01-01T00:00:00.000Z',
    sha256: codeHash(code),
  };
}

const POISONED = entry(
  'merged-fix-poisoned',
  // The point: SQL built from a string.
  'def find_user(db, name):\n    query = "SELECT * FROM users WHERE name = \'" + name + "\'"\n    return db.execute(query)',
  ['CWE-89'],
);
const GOOD = entry('merged-fix-good', 'def find_user_by_name(db, name):\n    return db.execute("SELECT * FROM users WHERE name = ?", (name,))', ['CWE-89']);
const OTHERS = [
  entry('seed-cmd', 'def run(cmd):\n    return subprocess.run(["ls", cmd], check=True)', ['CWE-78']),
  entry('seed-path', 'def read(root, name):\n    path = safe_join(root, name)\n    return open(path).read()', ['CWE-22']),
  entry('seed-yaml', 'def load(text):\n    return yaml.safe_load(text)', ['CWE-502']),
];

function suggestion(n: number, demonstrations: string[], outcome: 'applied' | 'dismissed' | 'left'): FeedbackRecord[] {
  const ref = { repo: 'acme/shop', pullRequest: 100 + n, fingerprint: `app/db.py:find:${n}` };
  const posted: FeedbackRecord = { at: '2026-03-01T10:00:00.000Z', event: 'posted', suggestion: ref, demonstrations, cwe: ['CWE-89'], language: 'python' };
  if (outcome === 'left') return [posted];
  return [
    posted,
    { at: '2026-03-02T10:00:00.000Z', event: outcome, suggestion: ref, reason: outcome === 'dismissed' ? 'thumbs-down' : 'suggested lines in head' },
  ];
}

describe('poisoned-entry drill', () => {
  it('finds the entry by its dismissals on the page, retires it there, and retrieval stops showing it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'corpus.jsonl'), [POISONED, GOOD, ...OTHERS].map((e) => `${serializeEntry(e)}\n`).join(''));
    const feedback = [
      ...[1, 2, 3, 4, 5].flatMap((n) => suggestion(n, [POISONED.id], 'dismissed')),
      ...suggestion(6, [POISONED.id], 'left'),
      ...[7, 8].flatMap((n) => suggestion(n, [GOOD.id], 'applied')),
      ...suggestion(9, [GOOD.id], 'dismissed'),
    ];
    writeFileSync(join(dir, 'feedback.jsonl'), feedback.map((record) => `${serializeFeedbackRecord(record)}\n`).join(''));
    const query = {
      code: 'def get_user(db, user):\n    return db.execute("SELECT * FROM users WHERE name = \'" + user + "\'")',
      language: 'python' as const,
      cwe: 'CWE-89',
      k: 2,
    };

    // Before: asked for CWE-89, retrieval still shows the poisoned function among the demonstrations.
    const before = await retrieverFor(await openRetrievalIndex({ corpusDir: dir }), 'cwe-aware').retrieve(query);
    expect(before.map((d) => d.entry.id)).toContain(POISONED.id);

    // The page, sorted by dismissals, puts it first, with its figures.
    const { base, store } = await serve(dir, WRITER);
    const listing = await send(base, '/entries?sort=dismissed');
    expect(listing.status).toBe(200);
    expect(cardIds(listing.body)[0]).toBe(POISONED.id);
    const card = await send(base, `/entries/${POISONED.id}`);
    expect(card.body).toMatch(/6<\/[a-z]+>[^]*?suggestions|suggestions[^]*?6/);

    // Retired from the page's form.
    const retire = await send(
      base,
      `/entries/${POISONED.id}/retire`,
      form({ reason: 'builds SQL from a string; 5 of 6 suggestions dismissed', csrf: WRITER.csrfToken }),
    );
    expect(retire.status).toBe(303);

    // After: never retrieved, even for its own CWE and its nearest query; the good one takes its place.
    const index = await openRetrievalIndex({ corpusDir: dir });
    expect(index.status.action).toBe('loaded');
    const after = await retrieverFor(index, 'cwe-aware').retrieve({ ...query, k: 5 });
    expect(after.map((d) => d.entry.id)).not.toContain(POISONED.id);
    expect(after[0]?.entry.id).toBe(GOOD.id);
    // Still in the file, and the trail says who, why and through what.
    expect(readFileSync(join(dir, 'corpus.jsonl'), 'utf8')).toContain(POISONED.id);
    const last = (await readAudit(store)).records.at(-1);
    expect(last).toMatchObject({ action: 'retired', entryId: POISONED.id, actor: WRITER.actor, via: { kind: 'page' } });
    expect(last?.reason).toContain('5 of 6');
  });
});
