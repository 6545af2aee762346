// The page in a real browser: Debian's Chromium, driven by puppeteer-core, started here and closed
// after (never a downloaded browser; without /usr/bin/chromium these tests fail, they do not skip).
// Scripts are off in the pages that read and retire, so what passes here works without JavaScript.
// Proves: the coverage table renders the fixture's counts with empty cells highlighted; retiring
// from the page takes the entry out of retrieval (the index reopened on the same corpus folder no
// longer returns it); a form post without the CSRF token, or from another origin, is refused.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalCorpusStore } from '../../src/corpus/local-store.js';
import { serveCorpusPageLocally, type LocalServer } from '../../src/governance/serve-local.js';
import { LANGUAGES } from '../../src/lang/languages.js';
import { openRetrievalIndex, retrieverFor } from '../../src/retrieve/open-index.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import { ENTRIES, EXPECTED_COUNTS, writeFixture } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const tempDir = useTempDirs();
let browser: Browser;
const servers: LocalServer[] = [];
const pages: Page[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: install Debian's package (apt-get install chromium); these tests never download a browser`);
  }
  browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] });
});

afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

afterAll(async () => {
  await browser?.close();
});

async function serveFixture() {
  const dir = tempDir();
  writeFixture(dir);
  const server = await serveCorpusPageLocally({ store: new LocalCorpusStore(dir), port: 0, actor: 'cli:tester', canWrite: true });
  servers.push(server);
  return { dir, base: server.url.replace(/\/$/, ''), auditText: () => readFileSync(join(dir, 'audit.jsonl'), 'utf8') };
}

async function newPage(javascript: boolean): Promise<Page> {
  const page = await browser.newPage();
  pages.push(page);
  await page.setJavaScriptEnabled(javascript);
  return page;
}

interface RenderedCell {
  text: string;
  gap: boolean;
  background: string;
}

/** The coverage table as the browser laid it out: per CWE row, its language cells. */
function renderedRows(page: Page): Promise<Record<string, RenderedCell[]>> {
  return page.$$eval('tr[data-cwe]', (rows) =>
    Object.fromEntries(
      rows.map((row) => [
        row.getAttribute('data-cwe') ?? '',
        [...row.querySelectorAll('td')].slice(1, -1).map((td) => ({
          text: (td.textContent ?? '').trim(),
          gap: td.classList.contains('gap'),
          background: td.ownerDocument.defaultView?.getComputedStyle(td).backgroundColor ?? '',
        })),
      ]),
    ),
  );
}

async function retrievedIds(dir: string): Promise<string[]> {
  const index = await openRetrievalIndex({ corpusDir: dir, persist: false });
  const found = await retrieverFor(index, 'hybrid').retrieve({ code: ENTRIES.sqlSeed.code, language: 'python', k: 10 });
  return found.map((demonstration) => demonstration.entry.id);
}

describe('the corpus page in Chromium', () => {
  it('renders the coverage table with the fixture’s counts, and highlights the empty cells', async () => {
    const { base } = await serveFixture();
    // Read the layout with scripts on (puppeteer reads the DOM through them); the page has none of its own.
    const page = await newPage(true);
    const requested: string[] = [];
    const violations: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto(`${base}/`);
    expect(response?.status()).toBe(200);
    const rows = await renderedRows(page);
    expect(Object.keys(rows).sort()).toEqual(Object.keys(EXPECTED_COUNTS).sort());
    const filled = rows['CWE-89']?.[LANGUAGES.indexOf('python')];
    const empty = rows['CWE-89']?.[LANGUAGES.indexOf('go')];
    for (const [cwe, counts] of Object.entries(EXPECTED_COUNTS)) {
      LANGUAGES.forEach((language, i) => {
        const cell = rows[cwe]?.[i];
        const expected = counts[language] ?? 0;
        expect(cell?.text, `${cwe} ${language}`).toBe(expected === 0 ? 'none' : String(expected));
        expect(cell?.gap, `${cwe} ${language}`).toBe(expected === 0);
      });
    }
    // The highlight is really drawn: an empty cell's background differs from a filled one's.
    expect(empty?.background).not.toBe(filled?.background);
    expect(empty?.background).toBe('rgb(255, 235, 233)');
    const alerts = await page.$$eval('#uncovered-alerts tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim()).join(' | ')),
    );
    expect(alerts[0]).toMatch(/^CWE-918 Server-Side Request Forgery \(SSRF\) \| python \| acme\/api \| 2 \|/);
    // Everything the page needed came from its own origin, and its own policy blocked nothing of it.
    expect(requested.filter((url) => !url.startsWith(`${base}/`))).toEqual([]);
    expect(violations).toEqual([]);
  });

  it('retires an entry from its card with scripts off, and retrieval stops returning it', async () => {
    const { dir, base, auditText } = await serveFixture();
    expect(await retrievedIds(dir)).toContain(ENTRIES.sqlSeed.id);

    const page = await newPage(false);
    await page.goto(`${base}/entries?cwe=CWE-89`);
    const card = `article[data-entry-id="${ENTRIES.sqlSeed.id}"]`;
    await page.type(`${card} input[name="reason"]`, 'its suggestions keep being dismissed');
    const [response] = await Promise.all([page.waitForNavigation(), page.click(`${card} button[type="submit"]`)]);
    // The 303 was followed to the entry page, which now says retired and offers restore.
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${base}/entries/${ENTRIES.sqlSeed.id}`);
    const html = await page.content();
    expect(html).toContain('<span class="status retired">retired</span>');
    expect(html).toContain(`action="/entries/${ENTRIES.sqlSeed.id}/restore"`);
    expect(auditText().trim().split('\n').at(-1)).toContain('"action":"retired","actor":"cli:tester","via":{"kind":"page"}');

    const after = await retrievedIds(dir);
    expect(after).not.toContain(ENTRIES.sqlSeed.id);
    expect(after).toContain(ENTRIES.sqlMerged.id);

    const reader = await newPage(true);
    await reader.goto(`${base}/`);
    expect((await renderedRows(reader))['CWE-89']?.[LANGUAGES.indexOf('python')]?.text).toBe('1');
  });

  it('refuses a form post without the CSRF token, and one from another origin even with it', async () => {
    const { base, auditText } = await serveFixture();
    const before = auditText();
    const page = await newPage(true);
    await page.goto(`${base}/entries/${ENTRIES.sqlSeed.id}`);
    const token = await page.$eval('input[name="csrf"]', (input) => input.getAttribute('value') ?? '');
    await page.$eval('input[name="csrf"]', (input) => input.remove());
    await page.type('input[name="reason"]', 'no token');
    const [missing] = await Promise.all([page.waitForNavigation(), page.click('form.write button[type="submit"]')]);
    expect(missing?.status()).toBe(403);
    expect(await page.$eval('main', (main) => main.textContent ?? '')).toContain('the form carried no valid CSRF token');

    // Another site's page, with the right token in its form: its Origin gives it away.
    const other = await newPage(false);
    await other.setContent(
      `<form method="post" action="${base}/entries/${ENTRIES.sqlSeed.id}/retire"><input name="csrf" value="${token}"><input name="reason" value="cross-site"><button>go</button></form>`,
    );
    const [crossSite] = await Promise.all([other.waitForNavigation(), other.click('button')]);
    expect(crossSite?.status()).toBe(403);
    expect(auditText()).toBe(before);
  });
});
