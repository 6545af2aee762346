// `corpus serve`'s server: loopback addresses only; a request naming another host (DNS
// rebinding) or posting from another origin is refused before the page sees it; the CSRF token is
// the server's own (read from its page, as a browser would); a read-only corpus shows no form
// and takes no write; a busy port is a one-line error; close() really stops it.
import { Agent } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readAudit } from '../../src/corpus/audit.js';
import { LocalCorpusStore } from '../../src/corpus/local-store.js';
import { retireEntry } from '../../src/corpus/retirement.js';
import { LocalServeError, loopbackAddress, serveCorpusPageLocally, type LocalServer } from '../../src/governance/serve-local.js';
import { makeEntry } from '../helpers/entries.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import { ENTRIES, writeFixture } from './fixture.js';
import { cardIds } from './html-scan.js';
import { form, send } from './http.js';

const tempDir = useTempDirs();
const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(canWrite = true, readOnlyNote?: string) {
  const dir = tempDir();
  writeFixture(dir);
  const store = new LocalCorpusStore(dir);
  const server = await serveCorpusPageLocally({ store, port: 0, actor: 'cli:alice', canWrite, ...(readOnlyNote ? { readOnlyNote } : {}) });
  servers.push(server);
  return { server, store, base: server.url.replace(/\/$/, '') };
}

const tokenOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)?.[1];

describe('loopbackAddress', () => {
  it('takes loopback addresses and refuses everything else with a one-line reason', () => {
    expect(loopbackAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(loopbackAddress('127.0.0.2')).toBe('127.0.0.2');
    expect(loopbackAddress('localhost')).toBe('127.0.0.1');
    expect(loopbackAddress('[::1]')).toBe('::1');
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '127.0.0.1.nip.io']) {
      expect(() => loopbackAddress(host), host).toThrow(LocalServeError);
    }
    expect(() => loopbackAddress('0.0.0.0')).toThrow(/--host 0.0.0.0 is not a loopback address/);
  });
});

describe('serveCorpusPageLocally', () => {
  it('serves the page at its URL on 127.0.0.1, to requests naming it or localhost', async () => {
    const { server, base } = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await send(base, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<tr data-cwe="CWE-89">');
    expect((await send(base, '/entries', { headers: { host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('refuses a request whose Host is another name or port (DNS rebinding), before reading the corpus', async () => {
    const { server, base } = await start();
    for (const host of [`evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, '127.0.0.1', `attacker.127.0.0.1.nip.io:${server.port}`]) {
      const reply = await send(base, '/api/entries', { headers: { host } });
      expect(reply.status, host).toBe(403);
      expect(reply.body, host).not.toContain(ENTRIES.sqlSeed.code.slice(0, 20));
    }
  });

  it('writes with the token from its own page, and refuses a post from another origin even with it', async () => {
    const { base, store, server } = await start();
    const token = tokenOf((await send(base, `/entries/${ENTRIES.sqlSeed.id}`)).body);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const fields = { reason: 'bad example', csrf: token ?? '' };
    const crossSite = form(fields);
    const refused = await send(base, `/entries/${ENTRIES.sqlSeed.id}/retire`, {
      ...crossSite,
      headers: { ...crossSite.headers, origin: 'http://evil.example' },
    });
    expect(refused.status).toBe(403);
    expect((await readAudit(store)).records.filter((r) => r.entryId === ENTRIES.sqlSeed.id)).toEqual([]);

    const sameSite = form(fields);
    const done = await send(base, `/entries/${ENTRIES.sqlSeed.id}/retire`, {
      ...sameSite,
      headers: { ...sameSite.headers, origin: `http://127.0.0.1:${server.port}` },
    });
    expect(done.status).toBe(303);
    expect((await readAudit(store)).records.at(-1)).toMatchObject({
      action: 'retired',
      actor: 'cli:alice',
      via: { kind: 'page' },
      entryId: ENTRIES.sqlSeed.id,
    });
  });

  it('keeps its snapshot only while the files are unchanged: a write from elsewhere shows on the next request', async () => {
    const { base, store } = await start();
    const before = cardIds((await send(base, '/entries')).body);
    const added = makeEntry('def added_elsewhere(x):\n    return int(x)', 'python', ['CWE-20']);
    await store.append([added]);
    expect(cardIds((await send(base, '/entries')).body)).toEqual([added.id, ...before]);
    await retireEntry(store, { id: added.id, actor: 'cli:bob', via: { kind: 'command' }, reason: 'from the command line' });
    expect(cardIds((await send(base, '/entries')).body)).toEqual(before);
  });

  it('uses a fresh token per server, so one from another run does not write', async () => {
    const first = await start();
    const second = await start();
    const token = tokenOf((await send(first.base, `/entries/${ENTRIES.sqlSeed.id}`)).body);
    expect(tokenOf((await send(second.base, `/entries/${ENTRIES.sqlSeed.id}`)).body)).not.toBe(token);
    expect((await send(second.base, `/entries/${ENTRIES.sqlSeed.id}/retire`, form({ reason: 'x', csrf: token ?? '' }))).status).toBe(403);
  });

  it('shows a read-only corpus with its note and no form, and answers 403 to a write', async () => {
    const { base, store } = await start(false, 'Read-only: this is the seed corpus.');
    const page = (await send(base, `/entries/${ENTRIES.sqlSeed.id}`)).body;
    expect(page).toContain('<p class="note">Read-only: this is the seed corpus.</p>');
    expect(tokenOf(page)).toBeUndefined();
    expect((await send(base, `/entries/${ENTRIES.sqlSeed.id}/retire`, form({ reason: 'x', csrf: 'guess' }))).status).toBe(403);
    expect((await readAudit(store)).records.filter((r) => r.entryId === ENTRIES.sqlSeed.id)).toEqual([]);
  });

  it('says in one line that a port is busy, and stops for good on close()', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as AddressInfo).port;
    const store = new LocalCorpusStore(tempDir());
    await expect(serveCorpusPageLocally({ store, port: busy, actor: 'cli:alice', canWrite: false })).rejects.toThrow(
      new RegExp(`port ${busy} on 127.0.0.1 is in use`),
    );
    await new Promise((resolve) => blocker.close(resolve));

    const { server, base } = await start();
    // A keep-alive connection left open must not hold close() up.
    const keepAlive = new Agent({ keepAlive: true });
    await send(base, '/', { agent: keepAlive });
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    await expect(send(base, '/')).rejects.toThrow(/ECONNREFUSED/);
    keepAlive.destroy();
  });
});
