// The page over a 10,000-entry corpus (with 2,000 audit records and 6,000 feedback records), served
// as `corpus serve` serves it (the snapshot kept while the files are unchanged): the first request
// after a change reads and validates the whole corpus, later ones only render, and every view
// answers within a second either way. The bound is loose (2 cores shared with other work); the
// timings are printed for the record.
import { describe, expect, it } from 'vitest';
import { LocalCorpusStore } from '../../src/corpus/local-store.js';
import { serveCorpusPageLocally } from '../../src/governance/serve-local.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import { cardIds } from './html-scan.js';
import { send } from './http.js';
import { writeLargeCorpus } from './large-corpus.js';

const tempDir = useTempDirs();

async function timed(base: string, path: string): Promise<{ ms: number; status: number; body: string }> {
  const started = performance.now();
  const reply = await send(base, path);
  return { ms: performance.now() - started, status: reply.status, body: reply.body };
}

describe('the page over 10,000 entries', () => {
  it('answers every view within a second, and well under it once the corpus is read', async () => {
    const dir = tempDir();
    writeLargeCorpus(dir);
    const server = await serveCorpusPageLocally({ store: new LocalCorpusStore(dir), port: 0, actor: 'cli:tester', canWrite: true });
    const base = server.url.replace(/\/$/, '');
    try {
      // The first request of a server also loads the CWE dictionary (8 MB) and hierarchy once.
      const first = await timed(base, '/');
      expect(first.status).toBe(200);
      const paths = [
        '/',
        '/entries',
        '/entries?page=150',
        '/entries?cwe=CWE-89&language=python',
        '/entries?sort=dismissed',
        '/entries/manual-5000',
        '/audit',
        '/pending',
        '/api/entries?page=40',
        '/api/coverage',
      ];
      const warm: string[] = [];
      for (const path of paths) {
        const reply = await timed(base, path);
        warm.push(`${path} ${reply.ms.toFixed(0)} ms (${(reply.body.length / 1024).toFixed(0)} KiB)`);
        expect(reply.status, path).toBe(200);
        expect(reply.ms, path).toBeLessThan(250);
      }
      // A retirement changes the audit trail: the next request reads everything again.
      const token = /name="csrf" value="([^"]+)"/.exec((await send(base, '/entries/manual-5000')).body)?.[1] ?? '';
      const retire = await send(base, '/api/entries/manual-5001/retire', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
        body: JSON.stringify({ reason: 'scale test' }),
      });
      expect(retire.status).toBe(200);
      const cold = await timed(base, '/entries?status=retired');
      expect(cold.status).toBe(200);
      expect(cold.ms).toBeLessThan(1000);
      expect(cardIds(cold.body)[0]).toBe('manual-5001');
      console.log(`10k-entry corpus: first request ${first.ms.toFixed(0)} ms; after a change ${cold.ms.toFixed(0)} ms; unchanged: ${warm.join('; ')}`);
    } finally {
      await server.close();
    }
  });
});
