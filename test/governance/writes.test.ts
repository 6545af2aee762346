// Retire and restore over real HTTP, from the form and from the JSON API: what a write needs
// (write access, the session's CSRF token, a reason to retire, a body of the right type and size)
// and what it leaves behind (one audit record with the reader as actor and the page or API as
// cause; nothing at all when refused).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAudit, retiredIds } from '../../src/corpus/audit.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import { ENTRIES, writeFixture } from './fixture.js';
import { cardIds, textOf } from './html-scan.js';
import { form, json, READER, send, usePageServer, WRITER } from './http.js';

const tempDir = useTempDirs();
const serve = usePageServer();
const NOW = new Date('2026-04-01T12:00:00.000Z');

async function fixturePage(access = WRITER) {
  const dir = tempDir();
  writeFixture(dir);
  const server = await serve(dir, access, { now: () => NOW });
  const auditText = () => readFileSync(join(dir, 'audit.jsonl'), 'utf8');
  return { ...server, dir, auditText };
}

const ID = ENTRIES.sqlSeed.id;

describe('retire and restore from the page (forms)', () => {
  it('retires with a reason, answers 303 to the entry page, and audits who, when, why and through what', async () => {
    const { base, store } = await fixturePage();
    const reply = await send(base, `/entries/${ID}/retire`, form({ reason: '  teaches string-built SQL  ', csrf: WRITER.csrfToken }));
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe(`/corpus/acme/entries/${ID}`);
    const { records } = await readAudit(store);
    expect(records.at(-1)).toEqual({
      at: NOW.toISOString(),
      action: 'retired',
      actor: WRITER.actor,
      via: { kind: 'page' },
      entryId: ID,
      sha256: ENTRIES.sqlSeed.sha256,
      language: 'python',
      cwe: ['CWE-89'],
      reason: 'teaches string-built SQL',
    });
    expect(cardIds((await send(base, '/entries')).body)).not.toContain(ID);
    const page = await send(base, `/entries/${ID}`);
    expect(page.body).toContain('<span class="status retired">retired</span>');
    expect(page.body).toContain(`action="/corpus/acme/entries/${ID}/restore"`);

    const restored = await send(base, `/entries/${ID}/restore`, form({ reason: '', csrf: WRITER.csrfToken }));
    expect(restored.status).toBe(303);
    const after = (await readAudit(store)).records.at(-1);
    expect(after).toMatchObject({ action: 'restored', actor: WRITER.actor, via: { kind: 'page' } });
    expect(after).not.toHaveProperty('reason');
    expect(retiredIds((await readAudit(store)).records).has(ID)).toBe(false);
  });

  it('refuses a form without the CSRF token, or with another one, and writes nothing', async () => {
    const { base, auditText } = await fixturePage();
    const before = auditText();
    const missing = await send(base, `/entries/${ID}/retire`, form({ reason: 'bad example' }));
    expect(missing.status).toBe(403);
    expect(textOf(missing.body)).toContain('the form carried no valid CSRF token');
    expect((await send(base, `/entries/${ID}/retire`, form({ reason: 'bad example', csrf: `${WRITER.csrfToken}x` }))).status).toBe(403);
    expect((await send(base, `/entries/${ID}/retire`, form({ reason: 'bad example', csrf: '' }))).status).toBe(403);
    expect(auditText()).toBe(before);
  });

  it('takes the token from the x-csrf-token header too', async () => {
    const { base } = await fixturePage();
    const options = form({ reason: 'bad example' });
    const reply = await send(base, `/entries/${ID}/retire`, { ...options, headers: { ...options.headers, 'x-csrf-token': WRITER.csrfToken } });
    expect(reply.status).toBe(303);
  });

  it('answers 403 to a reader who may not write, even with their own valid token, and writes nothing', async () => {
    const { base, auditText } = await fixturePage(READER);
    const before = auditText();
    const reply = await send(base, `/entries/${ID}/retire`, form({ reason: 'bad example', csrf: READER.csrfToken }));
    expect(reply.status).toBe(403);
    expect(textOf(reply.body)).toContain('octo-reader may read the corpus but not retire or restore entries');
    const api = await send(base, `/api/entries/${ID}/retire`, json({ reason: 'bad example' }, READER.csrfToken));
    expect(api.status).toBe(403);
    expect(auditText()).toBe(before);
  });

  it('needs a reason to retire (400), and says so', async () => {
    const { base, auditText } = await fixturePage();
    const before = auditText();
    const blank = await send(base, `/entries/${ID}/retire`, form({ reason: '   ', csrf: WRITER.csrfToken }));
    expect(blank.status).toBe(400);
    expect(textOf(blank.body)).toContain('a reason is required');
    expect((await send(base, `/entries/${ID}/retire`, form({ csrf: WRITER.csrfToken }))).status).toBe(400);
    expect((await send(base, `/entries/${ID}/retire`, form({ reason: 'x'.repeat(1001), csrf: WRITER.csrfToken }))).status).toBe(400);
    expect(auditText()).toBe(before);
  });

  it('answers 409 for an entry already in the asked state and 404 for an unknown one', async () => {
    const { base } = await fixturePage();
    const again = await send(base, `/entries/${ENTRIES.retired.id}/retire`, form({ reason: 'again', csrf: WRITER.csrfToken }));
    expect(again.status).toBe(409);
    expect(textOf(again.body)).toContain(`${ENTRIES.retired.id} is already retired`);
    expect((await send(base, `/entries/${ID}/restore`, form({ csrf: WRITER.csrfToken }))).status).toBe(409);
    const unknown = await send(base, '/entries/no-such-entry/retire', form({ reason: 'x', csrf: WRITER.csrfToken }));
    expect(unknown.status).toBe(404);
    expect(textOf(unknown.body)).toContain('no entry no-such-entry');
  });

  it('refuses another body type (415) and a body over 16 KiB (413), declared or streamed', async () => {
    const { base, auditText } = await fixturePage();
    const before = auditText();
    expect((await send(base, `/entries/${ID}/retire`, json({ reason: 'x' }, WRITER.csrfToken))).status).toBe(415);
    const big = form({ reason: 'x'.repeat(17 * 1024), csrf: WRITER.csrfToken });
    const declared = await send(base, `/entries/${ID}/retire`, big);
    expect(declared.status).toBe(413);
    expect(textOf(declared.body)).toMatch(/the body is \d+ bytes, over the 16384-byte limit/);
    // Without a content-length (chunked), the cap is enforced while reading.
    const streamed = await send(base, `/entries/${ID}/retire`, { ...big, headers: { ...big.headers, 'transfer-encoding': 'chunked' } });
    expect(streamed.status).toBe(413);
    expect(textOf(streamed.body)).toContain('the body is over the 16384-byte limit');
    expect(auditText()).toBe(before);
  });
});

describe('retire and restore through the JSON API', () => {
  it('retires and restores with the token in x-csrf-token, answering the audit record', async () => {
    const { base, store } = await fixturePage();
    const retired = await send(base, `/api/entries/${ID}/retire`, json({ reason: 'dismissed every time' }, WRITER.csrfToken));
    expect(retired.status).toBe(200);
    expect(retired.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(retired.body)).toMatchObject({
      status: 'retired',
      record: { action: 'retired', actor: WRITER.actor, via: { kind: 'api' }, reason: 'dismissed every time' },
    });
    expect(JSON.parse((await send(base, `/api/entries/${ID}`)).body).entry.status).toBe('retired');
    const restored = await send(base, `/api/entries/${ID}/restore`, json({}, WRITER.csrfToken));
    expect(JSON.parse(restored.body)).toMatchObject({ status: 'live', record: { action: 'restored', via: { kind: 'api' } } });
    expect(retiredIds((await readAudit(store)).records).has(ID)).toBe(false);
  });

  it('refuses without the header (a token in the body does not count), bad JSON, and the wrong states', async () => {
    const { base, auditText } = await fixturePage();
    const before = auditText();
    const noHeader = await send(base, `/api/entries/${ID}/retire`, json({ reason: 'x', csrf: WRITER.csrfToken }));
    expect(noHeader.status).toBe(403);
    expect(JSON.parse(noHeader.body)).toEqual({ error: 'missing or wrong x-csrf-token header' });
    const badJson = await send(base, `/api/entries/${ID}/retire`, { ...json({}, WRITER.csrfToken), body: '{"reason":' });
    expect(badJson.status).toBe(400);
    expect((await send(base, `/api/entries/${ID}/retire`, json({ reason: 42 }, WRITER.csrfToken))).status).toBe(400);
    expect((await send(base, `/api/entries/${ID}/retire`, form({ reason: 'x', csrf: WRITER.csrfToken }))).status).toBe(415);
    const unknown = await send(base, '/api/entries/nope/retire', json({ reason: 'x' }, WRITER.csrfToken));
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error).toMatch(/^no entry nope in /);
    expect((await send(base, `/api/entries/${ENTRIES.retired.id}/retire`, json({ reason: 'x' }, WRITER.csrfToken))).status).toBe(409);
    expect(auditText()).toBe(before);
  });

  it('lets only one of two simultaneous retirements of an entry through', async () => {
    const { base, store } = await fixturePage();
    const before = (await readAudit(store)).records.length;
    const replies = await Promise.all([1, 2].map((n) => send(base, `/api/entries/${ID}/retire`, json({ reason: `operator ${n}` }, WRITER.csrfToken))));
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 409]);
    expect((await readAudit(store)).records.length).toBe(before + 1);
  });
});
