// Takes the screenshot of the corpus page's coverage view that the README shows
// (docs/corpus-page.png): a slice of the bundled seed corpus (every k-th entry of each language,
// so every language keeps its share of the seed) in a temp folder, with a little made-up history so every
// part of the view has something in it: two alerts the org "saw" with no demonstration (SSRF in
// Python, open redirect in JavaScript) and one entry retired through the audit trail. Served as
// `seccoder corpus serve` serves it, shot by Debian's Chromium (never a downloaded browser).
// Usage: npm run build && node dist/scripts/screenshot-corpus-page.js [--entries 300] [--out docs/corpus-page.png] [--width 1280]
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';
import { appendFeedback } from '../src/corpus/feedback.js';
import { CORPUS_FILE, LocalCorpusStore } from '../src/corpus/local-store.js';
import { bundledCorpusDir } from '../src/corpus/location.js';
import { retireEntry } from '../src/corpus/retirement.js';
import { serveCorpusPageLocally } from '../src/governance/serve-local.js';

const CHROMIUM = '/usr/bin/chromium';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '300' },
    out: { type: 'string', default: 'docs/corpus-page.png' },
    width: { type: 'string', default: '1280' },
  },
});
const wanted = Number(values.entries);
const width = Number(values.width);
if (!Number.isInteger(wanted) || wanted <= 0) throw new Error(`--entries must be a positive integer, got ${values.entries}`);

const dir = await mkdtemp(join(tmpdir(), 'seccoder-screenshot-'));
try {
  const lines = (await readFile(join(bundledCorpusDir(), CORPUS_FILE), 'utf8')).split('\n').filter((line) => line.trim() !== '');
  const stride = Math.max(1, Math.round(lines.length / wanted));
  const seen = new Map<string, number>();
  const slice = lines.filter((line) => {
    const language = String((JSON.parse(line) as { language?: unknown }).language);
    const index = seen.get(language) ?? 0;
    seen.set(language, index + 1);
    return index % stride === 0;
  });
  await writeFile(join(dir, CORPUS_FILE), `${slice.join('\n')}\n`);
  const store = new LocalCorpusStore(dir);
  const { entries } = await store.read();

  const at = (day: number) => new Date(Date.UTC(2026, 10, day, 9, 30)).toISOString();
  await appendFeedback(store, () => [
    { at: at(3), event: 'uncovered-alert', cwe: ['CWE-918'], language: 'python', repo: 'acme/billing' },
    { at: at(9), event: 'uncovered-alert', cwe: ['CWE-918'], language: 'python', repo: 'acme/billing' },
    { at: at(12), event: 'uncovered-alert', cwe: ['CWE-601'], language: 'javascript', repo: 'acme/web' },
  ]);
  const victim = entries.find((entry) => entry.language === 'go' && entry.cwe.includes('CWE-79')) ?? entries[0];
  if (victim) {
    await retireEntry(store, {
      id: victim.id,
      actor: 'cli:screenshot',
      via: { kind: 'command' },
      reason: 'example for the screenshot',
      now: () => new Date(at(14)),
    });
  }

  const server = await serveCorpusPageLocally({ store, port: 0, actor: 'cli:alice', canWrite: true, title: 'acme corpus' });
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] });
  try {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setViewport({ width, height: 900, deviceScaleFactor: 1 });
    const response = await page.goto(server.url, { waitUntil: 'load' });
    if (response?.status() !== 200) throw new Error(`the coverage page answered ${response?.status()}`);
    const out = resolve(values.out);
    await page.screenshot({ path: out as `${string}.png`, fullPage: true });
    console.log(`${out}: coverage of ${entries.length} seed entries (1 retired), ${width} px wide`);
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
