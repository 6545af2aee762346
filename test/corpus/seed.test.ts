// The committed seed corpus must be exactly what the committed script builds from the shared
// data sets, must hold nothing from their validation or evaluation sets, and only what passed the
// corpus's gate (the analyzers: running them on all ~900 entries takes minutes, so the test runs
// them on every entry the gate dropped and on a fixed sample of those it kept).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeHash } from '../../src/corpus/entry.js';
import { parseCorpusJsonl, serializeEntry } from '../../src/corpus/jsonl.js';
import { buildSeedCorpus } from '../../src/corpus/seed.js';
import { BanditAnalyzer } from '../../src/analyze/bandit.js';
import { ClangAnalyzer } from '../../src/analyze/clang.js';
import { CppcheckAnalyzer } from '../../src/analyze/cppcheck.js';
import { GccAnalyzer } from '../../src/analyze/gcc.js';
import { secureGate, suppressionFindings } from '../../src/analyze/secure-gate.js';
import type { CorpusEntry } from '../../src/corpus/entry.js';
import { ROOT } from '../helpers/cli.js';

const DATASETS = join(ROOT, '..', 'shared', 'datasets');
const committed = readFileSync(join(ROOT, 'corpus', 'corpus.jsonl'), 'utf8');

function jsonl(path: string): { func_src_after: string }[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { func_src_after: string });
}

/** The analyzers the seed builder requires (scripts/build-seed-corpus.ts). */
const SEED_ANALYZERS = [new BanditAnalyzer(), new CppcheckAnalyzer(), new GccAnalyzer(), new ClangAnalyzer()];

/** Whether each entry passes the gate, two at a time (the seed builder's default). */
async function passing(entries: readonly CorpusEntry[]): Promise<Map<string, boolean>> {
  const verdicts = new Map<string, boolean>();
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const entry = entries[next++] as CorpusEntry;
      const verdict = await secureGate({ code: entry.code, language: entry.language, fileName: entry.source.path?.split('/').at(-1) }, SEED_ANALYZERS);
      verdicts.set(entry.id, verdict.passed);
    }
  };
  await Promise.all([worker(), worker()]);
  return verdicts;
}

describe('seed corpus', () => {
  it("is the committed script's build from ../shared/datasets: the ungated build minus what the gate drops", { timeout: 300_000 }, async () => {
    const { entries, report } = await buildSeedCorpus({ datasetsDir: DATASETS, gate: false });
    expect(report.identical).toBeGreaterThan(0);
    expect(report.tooLong).toBeGreaterThan(0);
    expect(report.heldOut).toBeGreaterThan(0);
    expect(report.kept).toBe(entries.length);
    expect(report.gated).toEqual({});

    const kept = new Set(parseCorpusJsonl(committed, 'corpus.jsonl').entries.map((entry) => entry.id));
    // Same lines, same order: the committed seed is the ungated build with entries left out.
    expect(
      entries
        .filter((entry) => kept.has(entry.id))
        .map((entry) => `${serializeEntry(entry)}\n`)
        .join(''),
    ).toBe(committed);
    const dropped = entries.filter((entry) => !kept.has(entry.id));
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.length).toBeLessThan(entries.length / 5);
    // The known one: a `# nosec` beside `cursor.execute(f"CREATE DATABASE {db}")`.
    expect(dropped.some((entry) => entry.code.includes('cursor.execute(f"CREATE DATABASE {db}")'))).toBe(true);
    const sample = entries.filter((entry) => kept.has(entry.id)).filter((_, index) => index % 45 === 0);
    const verdicts = await passing([...dropped, ...sample]);
    expect(dropped.filter((entry) => verdicts.get(entry.id) !== false).map((entry) => entry.id)).toEqual([]);
    expect(sample.filter((entry) => verdicts.get(entry.id) !== true).map((entry) => entry.id)).toEqual([]);
  });

  it('holds no function that silences an analyzer', () => {
    for (const entry of parseCorpusJsonl(committed, 'corpus.jsonl').entries) expect(suppressionFindings(entry.code), entry.id).toEqual([]);
  });

  it('validates completely, with provenance and CWE on every entry, and no code over the cap', () => {
    const { entries, problems } = parseCorpusJsonl(committed, 'corpus.jsonl');
    expect(problems).toEqual([]);
    expect(entries.length).toBeGreaterThan(850);
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
