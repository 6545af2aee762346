import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cweExamplesOfPair } from '../../src/eval/seed-cwe-examples.js';
import type { TrainingPair } from '../../src/eval/training-pairs.js';
import { sharedPrefixOf } from '../../src/text/shared-prefix.js';
import { CWE_EXAMPLES_FILE, cweExamplesHash, readCweExamples, serializeCweExample } from '../../src/corpus/cwe-examples.js';

const before = ['int get(int *a, int n, int i) {', '  int x = 0;', '  x += 1;', '  return a[i] + x;', '}'].join('\n');
const after = ['int get(int *a, int n, int i) {', '  int x = 0;', '  x += 1;', '  if (i < 0 || i >= n) return -1;', '  return a[i] + x;', '}'].join('\n');

function pair(overrides: Partial<TrainingPair> = {}): TrainingPair {
  return {
    id: 'sven:cwe-125.jsonl:1',
    dataset: 'sven',
    language: 'c',
    cwe: 'CWE-125',
    before,
    after,
    repo: 'o/r',
    commit: 'abc',
    file: 'a.c',
    sharedPrefix: sharedPrefixOf(before, after),
    ...overrides,
  };
}

describe('sharedPrefixOf', () => {
  it('keeps the lines both sides share before the first change', () => {
    expect(sharedPrefixOf(before, after)).toBe(['int get(int *a, int n, int i) {', '  int x = 0;', '  x += 1;'].join('\n'));
    expect(sharedPrefixOf('a\nb', 'c\nb')).toBe('');
  });
});

describe('cweExamplesOfPair', () => {
  it('gives the vulnerable function, the prefix before the fix and the lines the fix added', () => {
    const examples = cweExamplesOfPair(pair());
    expect(examples.map((example) => example.kind)).toEqual(['vulnerable', 'prefix', 'fix-lines']);
    expect(examples[0]?.code).toBe(before);
    expect(examples[1]?.code).toContain('x += 1;');
    expect(examples[1]?.code).not.toContain('return a[i]');
    expect(examples[2]?.code).toBe('if (i < 0 || i >= n) return -1;');
    expect(examples.every((example) => example.cwe[0] === 'CWE-125' && example.source.commit === 'abc')).toBe(true);
  });

  it('skips unchanged pairs, uninformative prefixes and over-long code', () => {
    expect(cweExamplesOfPair(pair({ after: before }))).toEqual([]);
    expect(cweExamplesOfPair(pair({ sharedPrefix: 'int get(int *a, int n, int i) {' })).map((e) => e.kind)).toEqual(['vulnerable', 'fix-lines']);
    expect(cweExamplesOfPair(pair(), 40).map((e) => e.kind)).toEqual(['fix-lines']);
  });
});

describe('readCweExamples', () => {
  it('reads the file beside the corpus, and nothing when there is none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cwe-examples-'));
    expect(await readCweExamples(dir)).toEqual([]);
    const examples = cweExamplesOfPair(pair());
    await writeFile(join(dir, CWE_EXAMPLES_FILE), examples.map((e) => `${serializeCweExample(e)}\n`).join(''));
    expect(await readCweExamples(dir)).toEqual(examples);
    expect(cweExamplesHash(examples)).not.toBe(cweExamplesHash(examples.slice(1)));
  });

  it('rejects a damaged line with its location', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cwe-examples-'));
    await writeFile(join(dir, CWE_EXAMPLES_FILE), '{"kind":"vulnerable","language":"c","cwe":["89"],"code":"x","source":{}}\n');
    await expect(readCweExamples(dir)).rejects.toThrow(`${CWE_EXAMPLES_FILE}:1`);
  });
});
