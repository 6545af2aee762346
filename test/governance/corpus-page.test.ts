// The page's read routes over real HTTP, on the fixture corpus: what each view shows (counts,
// grouping, filters, pages, history, the audit trail newest first, pending proposals), that no
// hostile value becomes markup and no `javascript:` address becomes a link, the headers on every
// answer, and the status codes of unknown paths and wrong methods.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeHash, type CorpusEntry } from '../../src/corpus/entry.js';
import { serializeEntry } from '../../src/corpus/jsonl.js';
import { LANGUAGES } from '../../src/lang/languages.js';
import { SECURITY_HEADERS } from '../../src/governance/responses.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import { ENTRIES, EXPECTED_COUNTS, HOSTILE, LIVE_ENTRIES, PENDING_SHA, RETIRE_REASON, writeFixture } from './fixture.js';
import { cardIds, coverageRows, tableRows, textOf } from './html-scan.js';
import { READER, send, usePageServer, WRITER } from './http.js';

const tempDir = useTempDirs();
const serve = usePageServer();

async function fixturePage(access = WRITER, options = {}) {
  const dir = tempDir();
  writeFixture(dir);
  return serve(dir, access, options);
}

function expectSecurityHeaders(headers: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(headers[name], name).toBe(value);
}

describe('coverage (/)', () => {
  it('counts live entries per CWE and language, marks every empty cell, and leaves retired entries out', async () => {
    const { base } = await fixturePage();
    const reply = await send(base, '/');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expectSecurityHeaders(reply.headers);
    const rows = coverageRows(reply.body);
    expect([...rows.keys()].sort()).toEqual(Object.keys(EXPECTED_COUNTS).sort());
    for (const [cwe, counts] of Object.entries(EXPECTED_COUNTS)) {
      const cells = rows.get(cwe) ?? [];
      LANGUAGES.forEach((language, i) => {
        const expected = counts[language] ?? 0;
        const cell = cells[i];
        if (expected === 0) expect(cell, `${cwe} ${language}`).toEqual({ className: 'gap', text: 'none' });
        else expect(cell, `${cwe} ${language}`).toEqual({ className: 'n', text: String(expected) });
      });
    }
    // The retired Go entry is not counted, but its CWE keeps a row that says so.
    expect(rows.get('CWE-22')?.at(-1)?.text).toBe('0 (1 retired)');
    expect(textOf(/<tr class="total">([\s\S]*?)<\/tr>/.exec(reply.body)?.[1] ?? '')).toBe(`all live entries 3 2 0 1 0 0 0 0 ${LIVE_ENTRIES}`);
  });

  it('names and links every CWE, escaping the quotes in its name, and groups rows under their Pillar', async () => {
    const { base } = await fixturePage();
    const { body } = await send(base, '/');
    expect(body).toContain('<a href="https://cwe.mitre.org/data/definitions/89.html"');
    expect(body).toContain('Improper Neutralization of Special Elements used in an SQL Command (&#39;SQL Injection&#39;)');
    // CWE-125 and CWE-787 sit under the resource Pillar (CWE-664), CWE-79 and CWE-89 under CWE-707, in that order.
    const order = [...body.matchAll(/<tr class="group">\s*<th colspan="\d+">\s*<a href="[^"]+\/(\d+)\.html"|<tr data-cwe="CWE-(\d+)"/g)].map((m) =>
      m[1] ? `pillar ${m[1]}` : m[2],
    );
    expect(order.indexOf('pillar 664')).toBeLessThan(order.indexOf('125'));
    expect(order.indexOf('125')).toBeLessThan(order.indexOf('787'));
    expect(order.indexOf('787')).toBeLessThan(order.indexOf('pillar 707'));
    expect(order.indexOf('pillar 707')).toBeLessThan(order.indexOf('79'));
    expect(order.indexOf('79')).toBeLessThan(order.indexOf('89'));
    // CWE-89's direct parents are named (it is not nested under another row).
    expect(textOf(/<tr data-cwe="CWE-89">([\s\S]*?)<\/td>/.exec(body)?.[1] ?? '')).toMatch(/child of CWE-74, CWE-943/);
  });

  it('lists the alerts seen with no demonstration, most seen first, with whether the corpus covers them now', async () => {
    const { base } = await fixturePage();
    const { body } = await send(base, '/');
    const rows = tableRows(body, 'alerts');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^CWE-918 .*python acme\/api 2 2026-03-04 10:00 UTC 2026-03-05 10:00 UTC none$/);
    expect(rows[1]).toMatch(/^CWE-89 .* go acme\/xxx 1 .* none$/);
  });

  it('answers the same report as JSON at /api/coverage', async () => {
    const { base } = await fixturePage();
    const reply = await send(base, '/api/coverage');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expectSecurityHeaders(reply.headers);
    const report = JSON.parse(reply.body) as {
      liveEntries: number;
      retiredEntries: number;
      groups: { pillar?: { cwe: string }; rows: { cwe: string; counts: Record<string, number>; retired: number }[] }[];
      uncoveredAlerts: { cwe: string[]; language: string; count: number }[];
    };
    expect(report.liveEntries).toBe(LIVE_ENTRIES);
    expect(report.retiredEntries).toBe(1);
    const rows = report.groups.flatMap((group) => group.rows);
    expect(rows.find((row) => row.cwe === 'CWE-89')?.counts.python).toBe(2);
    expect(rows.find((row) => row.cwe === 'CWE-22')).toMatchObject({ retired: 1, counts: { go: 0 } });
    expect(report.uncoveredAlerts[0]).toMatchObject({ cwe: ['CWE-918'], language: 'python', count: 2 });
  });
});

describe('entries (/entries)', () => {
  it('shows live entries by default, newest first, and retired or all on request', async () => {
    const { base } = await fixturePage();
    const live = await send(base, '/entries');
    expect(live.status).toBe(200);
    const all = Object.values(ENTRIES).map((e) => e.id);
    expect(cardIds(live.body)).toEqual(all.filter((id) => id !== ENTRIES.retired.id).reverse());
    expect(cardIds((await send(base, '/entries?status=retired')).body)).toEqual([ENTRIES.retired.id]);
    expect(cardIds((await send(base, '/entries?status=all')).body)).toHaveLength(all.length);
  });

  it('filters by CWE (any spelling), language and origin, and refuses a filter that is none', async () => {
    const { base } = await fixturePage();
    expect(cardIds((await send(base, '/entries?cwe=89')).body).sort()).toEqual([ENTRIES.sqlMerged.id, ENTRIES.sqlSeed.id]);
    expect(cardIds((await send(base, '/entries?cwe=cwe-079')).body)).toEqual([ENTRIES.hostile.id]);
    expect(cardIds((await send(base, '/entries?language=c&cwe=')).body).sort()).toEqual([ENTRIES.read.id, ENTRIES.bounds.id]);
    expect(cardIds((await send(base, '/entries?origin=merged-fix&status=all')).body).sort()).toEqual([ENTRIES.retired.id, ENTRIES.sqlMerged.id].sort());
    const bad = await send(base, '/entries?language=cobol');
    expect(bad.status).toBe(400);
    expect(textOf(bad.body)).toMatch(/bad filter: language/);
    expect((await send(base, '/entries?cwe=sql')).status).toBe(400);
    expect((await send(base, '/api/entries?status=gone')).status).toBe(400);
  });

  it('shows each entry with its CWE names, provenance link, acceptance figures, status and code', async () => {
    const { base } = await fixturePage();
    const { body } = await send(base, '/entries?cwe=CWE-89');
    const seedCard = /<article[^>]*data-entry-id="seed-sql-1"[\s\S]*?<\/article>/.exec(body)?.[0] ?? '';
    expect(seedCard).toContain('href="https://github.com/acme/app/blob/0123456789abcdef0123456789abcdef01234567/app/db.py"');
    expect(textOf(seedCard)).toContain('3 suggestions, 1 applied, 1 dismissed');
    expect(textOf(seedCard)).toContain('origin seed');
    expect(textOf(seedCard)).toContain('(function find_user; dataset sven)');
    expect(seedCard).toContain('<span class="status live">live</span>');
    expect(seedCard).toContain('<pre><code>def find_user(db, name):');
    const mergedCard = /<article[^>]*data-entry-id="merged-fix-sql-2"[\s\S]*?<\/article>/.exec(body)?.[0] ?? '';
    expect(mergedCard).toContain('href="https://github.com/acme/shop/pull/42"');
    expect(textOf(mergedCard)).toContain('1 suggestion, 1 applied, 0 dismissed');
  });

  it('orders by dismissals when asked, so an example developers keep rejecting comes first', async () => {
    const { base } = await fixturePage();
    expect(cardIds((await send(base, '/entries?sort=dismissed')).body)[0]).toBe(ENTRIES.sqlSeed.id);
  });

  it('never lets hostile code, paths or URLs become markup or links', async () => {
    const { base } = await fixturePage();
    for (const path of ['/', '/entries?status=all', `/entries/${ENTRIES.hostile.id}`, `/entries/${ENTRIES.retired.id}`, '/audit', '/pending']) {
      const { body } = await send(base, path);
      expect(body, path).not.toContain('<script');
      expect(body, path).not.toContain('<img');
      expect(body, path).not.toMatch(/href="(?:javascript|data):/i);
    }
    const { body } = await send(base, `/entries/${ENTRIES.hostile.id}`);
    expect(body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    // The javascript: source.url is shown as text, marked, not linked.
    expect(textOf(body)).toContain('javascript:alert(1) (not linked: not an http address)');
  });

  it('offers the retire form (reason required, with the CSRF token) or the restore form only to a reader who may write', async () => {
    const { base } = await fixturePage(WRITER);
    const live = (await send(base, `/entries/${ENTRIES.sqlSeed.id}`)).body;
    expect(live).toContain(`<form class="write" method="post" action="/corpus/acme/entries/${ENTRIES.sqlSeed.id}/retire">`);
    expect(live).toMatch(new RegExp(`<input type="hidden" name="csrf" value="${WRITER.csrfToken}"\\s*/?>`));
    expect(live).toMatch(/<input\s+name="reason"\s+maxlength="1000"\s+required\s*\/?>/);
    const retired = (await send(base, `/entries/${ENTRIES.retired.id}`)).body;
    expect(retired).toContain(`action="/corpus/acme/entries/${ENTRIES.retired.id}/restore"`);

    const reader = await fixturePage(READER, { readOnlyNote: 'Retiring is for owners of acme.' });
    const read = (await send(reader.base, `/entries/${ENTRIES.sqlSeed.id}`)).body;
    expect(read).not.toContain('<form class="write"');
    expect(read).not.toContain(READER.csrfToken);
    expect(read).toContain('<p class="note">Retiring is for owners of acme.</p>');
    expect(textOf(read)).toContain('octo-reader · read-only');
  });

  it('pages a large corpus 50 at a time, keeping the filters in the page links, in HTML and JSON', async () => {
    const dir = tempDir();
    const entries: CorpusEntry[] = Array.from({ length: 120 }, (_, i) => {
      const code = `def handler_${i}(value):\n    return escape(value) + ${i}`;
      return {
        id: `manual-${i}`,
        language: 'python',
        code,
        cwe: ['CWE-79'],
        source: {},
        origin: 'manual',
        addedAt: '2026-01-01T00:00:00.000Z',
        sha256: codeHash(code),
      };
    });
    writeFileSync(join(dir, 'corpus.jsonl'), entries.map((e) => `${serializeEntry(e)}\n`).join(''));
    const { base } = await serve(dir, WRITER);
    const first = await send(base, '/entries?language=python');
    expect(cardIds(first.body)).toEqual(
      entries
        .slice(70)
        .map((e) => e.id)
        .reverse(),
    );
    expect(textOf(first.body)).toContain('120 entries match; showing 1–50');
    expect(first.body).toContain('<a href="/corpus/acme/entries?language=python&amp;page=2" rel="next">');
    const last = await send(base, '/entries?language=python&page=3');
    expect(cardIds(last.body)).toEqual(
      entries
        .slice(0, 20)
        .map((e) => e.id)
        .reverse(),
    );
    expect(textOf(last.body)).toContain('page 3 of 3');
    const api = JSON.parse((await send(base, '/api/entries?page=3&sort=oldest')).body) as {
      total: number;
      pages: number;
      pageSize: number;
      entries: { id: string }[];
    };
    expect(api).toMatchObject({ total: 120, pages: 3, pageSize: 50 });
    expect(api.entries.map((e) => e.id)).toEqual(entries.slice(100).map((e) => e.id));
  });

  it('answers the list as JSON at /api/entries with status and acceptance per entry', async () => {
    const { base } = await fixturePage();
    const reply = await send(base, '/api/entries?cwe=CWE-89&sort=oldest');
    expect(reply.status).toBe(200);
    const body = JSON.parse(reply.body) as { total: number; entries: Record<string, unknown>[] };
    expect(body.total).toBe(2);
    expect(body.entries[0]).toMatchObject({
      id: ENTRIES.sqlSeed.id,
      status: 'live',
      acceptance: { suggestions: 3, applied: 1, dismissed: 1 },
      provenanceUrl: 'https://github.com/acme/app/blob/0123456789abcdef0123456789abcdef01234567/app/db.py',
      code: ENTRIES.sqlSeed.code,
    });
    expect((body.entries[0]?.cweNames as Record<string, string>)['CWE-89']).toMatch(/SQL Injection/);
    const retired = JSON.parse((await send(base, '/api/entries?status=retired')).body) as { entries: { id: string; status: string }[] };
    expect(retired.entries).toEqual([expect.objectContaining({ id: ENTRIES.retired.id, status: 'retired' })]);
  });
});

describe('one entry (/entries/<id>)', () => {
  it('shows its audit history newest first and the suggestions that showed it, with their fate', async () => {
    const { base } = await fixturePage();
    const retired = await send(base, `/entries/${ENTRIES.retired.id}`);
    expect(retired.status).toBe(200);
    expect(tableRows(retired.body, 'history')).toEqual([
      `2026-02-04 09:00 UTC retired cli:alice command seccoder corpus retire ${ENTRIES.retired.id} ${RETIRE_REASON}`,
    ]);
    const seed = (await send(base, `/entries/${ENTRIES.sqlSeed.id}`)).body;
    expect(tableRows(seed, 'suggestions')).toEqual([
      '2026-03-03 10:00 UTC acme/shop#52 shop/search.py:12 left',
      '2026-03-02 10:00 UTC acme/shop#51 shop/search.py:12 dismissed',
      '2026-03-01 10:00 UTC acme/shop#50 shop/search.py:12 applied',
    ]);
    const merged = (await send(base, `/entries/${ENTRIES.sqlMerged.id}`)).body;
    // Its history includes the proposal of the same code before it had an id.
    expect(tableRows(merged, 'history')).toEqual([
      '2026-02-02 09:00 UTC added octo-admin acme/shop#42 passed: suppression comments passed: bandit',
      '2026-02-01 09:00 UTC proposed seccoder[bot] acme/.seccoder#5',
    ]);
  });

  it('answers 404 for an id the corpus does not hold, as HTML and as JSON', async () => {
    const { base } = await fixturePage();
    const page = await send(base, '/entries/no-such-entry');
    expect(page.status).toBe(404);
    expectSecurityHeaders(page.headers);
    expect(textOf(page.body)).toContain('no entry no-such-entry in this corpus');
    const api = await send(base, '/api/entries/no-such-entry');
    expect(api.status).toBe(404);
    expect(JSON.parse(api.body)).toEqual({ error: 'no entry no-such-entry in this corpus' });
    const ok = JSON.parse((await send(base, `/api/entries/${ENTRIES.retired.id}`)).body) as { entry: { status: string }; history: { action: string }[] };
    expect(ok.entry.status).toBe('retired');
    expect(ok.history.map((r) => r.action)).toEqual(['retired']);
  });
});

describe('audit trail (/audit) and pending additions (/pending)', () => {
  it('lists every record newest first, with reasons, gate results, actors and pull-request links', async () => {
    const { base } = await fixturePage();
    const { body, status } = await send(base, '/audit');
    expect(status).toBe(200);
    const actions = [...body.matchAll(/<tr class="action-([a-z-]+)">/g)].map((m) => m[1]);
    expect(actions).toEqual(['proposed', 'proposal-closed', 'proposed', 'retired', 'refused', 'added', 'proposed']);
    const refused = textOf(/<tr class="action-refused">([\s\S]*?)<\/tr>/.exec(body)?.[1] ?? '');
    expect(refused).toContain('octo-dev');
    expect(refused).toContain('analyzer bandit reports B608 (CWE-89) on line 2');
    expect(refused).toContain(`failed: bandit — B608 (line 2): Possible SQL injection ${HOSTILE}`);
    // Its via.url is javascript:, so the link is built from the repository and number instead.
    expect(body).toContain('<a href="https://github.com/acme/shop/pull/43">acme/shop#43</a>');
    expect(body).toContain(`<a href="/corpus/acme/entries/${ENTRIES.sqlMerged.id}"><code>${ENTRIES.sqlMerged.id}</code></a>`);
  });

  it('shows one action when asked, and refuses one that does not exist', async () => {
    const { base } = await fixturePage();
    const refused = (await send(base, '/audit?action=refused')).body;
    expect([...refused.matchAll(/<tr class="action-([a-z-]+)">/g)].map((m) => m[1])).toEqual(['refused']);
    expect((await send(base, '/audit?action=deleted')).status).toBe(400);
  });

  it('shows only proposals no merge or close has settled, with their pull request', async () => {
    const { base } = await fixturePage();
    const { body } = await send(base, '/pending');
    const rows = tableRows(body, 'pending');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(
      new RegExp(
        `^2026-02-07 09:00 UTC sha256 ${PENDING_SHA.slice(0, 12)} tools/run.py proposed_one python CWE-78 seccoder\\[bot\\] passed: bandit acme/.seccoder#7$`,
      ),
    );
    expect(body).toContain('<a href="https://github.com/acme/.seccoder/pull/7">acme/.seccoder#7</a>');
    expect(body).not.toContain('pull/5');
    expect(body).not.toContain('pull/6');
  });
});

describe('routing', () => {
  it('answers 404 for unknown paths and 405 (with Allow) for a method a route does not take', async () => {
    const { base } = await fixturePage();
    const unknown = await send(base, '/secrets');
    expect(unknown.status).toBe(404);
    expectSecurityHeaders(unknown.headers);
    expect(JSON.parse((await send(base, '/api/nothing')).body)).toEqual({ error: 'nothing at /api/nothing' });
    const postRead = await send(base, '/entries', { method: 'POST' });
    expect(postRead.status).toBe(405);
    expect(postRead.headers.allow).toBe('GET, HEAD');
    const deleteApi = await send(base, '/api/coverage', { method: 'DELETE' });
    expect(deleteApi.status).toBe(405);
    expect(JSON.parse(deleteApi.body).error).toMatch(/DELETE is not allowed/);
    const getWrite = await send(base, `/entries/${ENTRIES.sqlSeed.id}/retire`);
    expect(getWrite.status).toBe(405);
    expect(getWrite.headers.allow).toBe('POST');
    expect((await send(base, `/api/entries/${ENTRIES.sqlSeed.id}/restore`, { method: 'PUT' })).status).toBe(405);
  });

  it('answers HEAD like GET without the body, and the root with or without a trailing slash', async () => {
    const { base } = await fixturePage();
    const get = await send(base, '/entries');
    const head = await send(base, '/entries', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(coverageRows((await send(base, '')).body).size).toBe(Object.keys(EXPECTED_COUNTS).length);
  });

  it('answers 500 with one line, and tells the server, when the corpus cannot be read', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'empty'));
    const { base, errors } = await serve(join(dir, 'empty'), WRITER);
    const reply = await send(base, '/');
    expect(reply.status).toBe(500);
    expectSecurityHeaders(reply.headers);
    expect(textOf(reply.body)).toMatch(/corpus not found at .*empty/);
    expect(errors).toHaveLength(1);
  });

  it('reports lines it skipped while reading, without failing the page', async () => {
    const dir = tempDir();
    writeFixture(dir);
    writeFileSync(join(dir, 'audit.jsonl'), `{"not":"a record"}\n`, { flag: 'a' });
    const { base } = await serve(dir, WRITER);
    const { status, body } = await send(base, '/audit');
    expect(status).toBe(200);
    expect(textOf(body)).toContain('1 line was skipped while reading the corpus or its logs');
  });
});
