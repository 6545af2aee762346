// Retiring takes an entry out of retrieval without touching the corpus file, as one audit record
// naming who, how and why; restoring is one more. Every refusal is a RetirementError a user can
// read, and the "is it live?" check and the record are one step, so a race writes one record.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readAudit, retiredIds } from '../../src/corpus/audit.js';
import { LocalCorpusStore } from '../../src/corpus/local-store.js';
import { RetirementError, restoreEntry, retireEntry, type RetirementRequest } from '../../src/corpus/retirement.js';
import { SecCoderError } from '../../src/errors/seccoder-error.js';
import { makeEntry } from '../helpers/entries.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

const sql = makeEntry('def find(cur, name):\n    return cur.execute("SELECT id FROM users WHERE name = ?", (name,))', 'python', ['CWE-89']);
const xss = makeEntry('def greet(name):\n    return "<p>" + html.escape(name) + "</p>"', 'python', ['CWE-79']);

let dir: string;
let store: LocalCorpusStore;

beforeEach(async () => {
  dir = tempDir();
  store = new LocalCorpusStore(dir);
  await store.append([sql, xss]);
});

const at = (minute: number) => () => new Date(Date.UTC(2026, 4, 1, 10, minute));
const request = (overrides: Partial<RetirementRequest> = {}): RetirementRequest => ({
  id: sql.id,
  actor: 'cli:alice',
  via: { kind: 'command', command: `seccoder corpus retire ${sql.id}` },
  reason: 'teaches string formatting of SQL',
  now: at(0),
  ...overrides,
});

async function errorOf(promise: Promise<unknown>): Promise<RetirementError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RetirementError);
  expect(error).toBeInstanceOf(SecCoderError);
  return error as RetirementError;
}

describe('retireEntry and restoreEntry', () => {
  it('retire writes one record with who, how, when and why; restore writes another; the corpus file never changes', async () => {
    const corpusBefore = readFileSync(join(dir, 'corpus.jsonl'), 'utf8');

    const retired = await retireEntry(store, request({ reason: '  teaches string formatting of SQL \n' }));
    expect(retired).toEqual({
      at: '2026-05-01T10:00:00.000Z',
      action: 'retired',
      actor: 'cli:alice',
      via: { kind: 'command', command: `seccoder corpus retire ${sql.id}` },
      entryId: sql.id,
      sha256: sql.sha256,
      language: 'python',
      cwe: ['CWE-89'],
      reason: 'teaches string formatting of SQL',
    });
    expect(retiredIds((await readAudit(store)).records)).toEqual(new Set([sql.id]));

    const restored = await restoreEntry(store, request({ actor: 'octo-lead', via: { kind: 'page' }, reason: undefined, now: at(5) }));
    expect(restored).toMatchObject({ action: 'restored', actor: 'octo-lead', via: { kind: 'page' }, entryId: sql.id, at: '2026-05-01T10:05:00.000Z' });
    expect(restored).not.toHaveProperty('reason');

    const { records, problems } = await readAudit(store);
    expect(problems).toEqual([]);
    expect(records).toEqual([retired, restored]);
    expect(retiredIds(records).size).toBe(0);
    expect(readFileSync(join(dir, 'corpus.jsonl'), 'utf8')).toBe(corpusBefore);

    // And it can be retired again: the last record decides.
    await retireEntry(store, request({ reason: 'again', now: at(9) }));
    expect(retiredIds((await readAudit(store)).records)).toEqual(new Set([sql.id]));
  });

  it('refuses an id the corpus does not have, naming it and where it looked, and writes nothing', async () => {
    const error = await errorOf(retireEntry(store, request({ id: sql.id.toUpperCase() })));
    expect(error.message).toBe(`no entry ${sql.id.toUpperCase()} in ${join(dir, 'corpus.jsonl')}`);
    expect(error.hint).toMatch(/case-sensitive/);
    expect((await errorOf(restoreEntry(store, request({ id: 'manual-0000000000000000' })))).message).toMatch(/^no entry manual-0000000000000000 in /);
    expect(await store.readLog('audit')).toBe('');
  });

  it('refuses to retire without a reason (blank counts as none)', async () => {
    for (const reason of [undefined, '', '   \n']) {
      const error = await errorOf(retireEntry(store, request({ reason })));
      expect(error.message).toBe(`retiring ${sql.id} needs a reason`);
      expect(error.hint).toMatch(/--reason/);
    }
    expect(await store.readLog('audit')).toBe('');
  });

  it('refuses to retire an entry twice, saying who retired it, when and why', async () => {
    await retireEntry(store, request());
    const error = await errorOf(retireEntry(store, request({ actor: 'cli:bob', reason: 'me too', now: at(1) })));
    expect(error.message).toBe(`${sql.id} is already retired (retired by cli:alice at 2026-05-01T10:00:00.000Z: teaches string formatting of SQL)`);
    expect((await readAudit(store)).records).toHaveLength(1);
  });

  it('refuses to restore an entry that is live', async () => {
    expect((await errorOf(restoreEntry(store, request()))).message).toBe(`${sql.id} is not retired`);
    await retireEntry(store, request());
    await restoreEntry(store, request({ now: at(2) }));
    expect((await errorOf(restoreEntry(store, request({ now: at(3) })))).message).toBe(
      `${sql.id} is not retired (restored by cli:alice at 2026-05-01T10:02:00.000Z: teaches string formatting of SQL)`,
    );
    expect((await readAudit(store)).records.map((r) => r.action)).toEqual(['retired', 'restored']);
  });

  it('keeps a reason on one line: line breaks and escape sequences cannot forge or hide text in the trail or an error', async () => {
    const retired = await retireEntry(store, request({ reason: 'dismissed twice\n2026-05-01 restored by admin\t\u001b[8mhidden' }));
    expect(retired.reason).toBe('dismissed twice 2026-05-01 restored by admin [8mhidden');
    const error = await errorOf(retireEntry(store, request()));
    expect(error.message).toBe(
      `${sql.id} is already retired (retired by cli:alice at 2026-05-01T10:00:00.000Z: dismissed twice 2026-05-01 restored by admin [8mhidden)`,
    );
    expect((await errorOf(retireEntry(store, request({ id: 'manual-x\nforged' })))).message).toBe(`no entry manual-x forged in ${join(dir, 'corpus.jsonl')}`);
  });

  it('retires one entry without touching another', async () => {
    await retireEntry(store, request({ id: xss.id }));
    expect(retiredIds((await readAudit(store)).records)).toEqual(new Set([xss.id]));
  });

  it('of two operators retiring one entry at once, one writes the record and the other is told', async () => {
    // Separate store instances, as two processes would have: only the log's lock orders them.
    const results = await Promise.allSettled(
      ['cli:alice', 'cli:bob', 'cli:carol'].map((actor) => retireEntry(new LocalCorpusStore(dir), request({ actor, reason: `${actor} says so` }))),
    );
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(2);
    for (const { reason } of rejected) {
      expect(reason).toBeInstanceOf(RetirementError);
      expect((reason as Error).message).toMatch(new RegExp(`^${sql.id} is already retired \\(retired by cli:\\w+ at `));
    }
    const { records } = await readAudit(store);
    expect(records).toHaveLength(1);
    expect(records[0]?.actor).toBe((fulfilled[0] as PromiseFulfilledResult<{ actor: string }>).value.actor);
  });
});
