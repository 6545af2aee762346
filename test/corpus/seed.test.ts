// The committed seed corpus must be exactly what the committed script builds from the shared
// data sets, and must hold nothing from their validation or evaluation sets.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeHash } from '../../src/corpus/entry.js';
import { parseCorpusJsonl, serializeEntry } from '../../src/corpus/jsonl.js';
import { buildSeedCorpus } from '../../src/corpus/seed.js';
import { ROOT } from '../helpers/cli.js';

const DATASETS = join(ROOT, '..', 'shared', 'datasets');
const committed = readFileSync(join(ROOT, 'corpus', 'corpus.jsonl'), 'utf8');

function jsonl(path: string): { func_src_after: string }[] {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as { func_src_after: string });
}

describe('seed corpus', () => {
  it('is reproducible from ../shared/datasets with the committed script', async () => {
    const { entries, report } = await buildSeedCorpus({ datasetsDir: DATASETS });
    expect(entries.map((entry) => `${serializeEntry(entry)}\n`).join('')).toBe(committed);
    expect(report.identical).toBeGreaterThan(0);
    expect(report.tooLong).toBeGreaterThan(0);
    expect(report.heldOut).toBeGreaterThan(0);
    expect(report.kept).toBe(entries.length);
  });

  it('validates completely, with provenance and CWE on every entry, and no code over the cap', () => {
    const { entries, problems } = parseCorpusJsonl(committed, 'corpus.jsonl');
    expect(problems).toEqual([]);
    expect(entries.length).toBeGreaterThan(900);
    for (const entry of entries) {
      expect(entry.origin).toBe('seed');
      expect(entry.cwe.length).toBeGreaterThan(0);
      expect(entry.source.url).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/commit\/[0-9a-f]+$/);
      expect(entry.source.path).toBeTruthy();
      expect(entry.code.length).toBeLessThanOrEqual(4000);
    }
    expect(new Set(entries.map((entry) => entry.sha256)).size).toBe(entries.length);
    expect(new Set(entries.map((entry) => entry.language))).toEqual(new Set(['python', 'c', 'cpp', 'javascript', 'ruby', 'go', 'java']));
  });

  it('contains no function from the validation splits', () => {
    const seeded = new Set(parseCorpusJsonl(committed, 'corpus.jsonl').entries.map((entry) => entry.sha256));
    const svenVal = join(DATASETS, 'sven', 'data_train_val', 'val');
    const heldOut = [
      ...readdirSync(svenVal).flatMap((name) => jsonl(join(svenVal, name))),
      ...jsonl(join(DATASETS, 'safecoder', 'data_train_val', 'val', 'sec-new-desc.jsonl')),
      ...jsonl(join(DATASETS, 'safecoder', 'data_train_val', 'val', 'sec-desc.jsonl')),
    ];
    expect(heldOut.length).toBeGreaterThan(100);
    const leaked = heldOut.filter((pair) => seeded.has(codeHash(pair.func_src_after)));
    expect(leaked).toEqual([]);
  });
});
