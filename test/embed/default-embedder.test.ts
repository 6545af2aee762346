import { mkdtempSync, rmSync } from 'node:fs';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DefaultEmbedder } from '../../src/embed/default-embedder.js';
import { trainLsa, type LsaModel } from '../../src/embed/lsa/train.js';
import { codeTokens } from '../../src/text/code-tokens.js';
import { SNIPPETS } from '../fixtures/secure-snippets.js';

const CODES = SNIPPETS.map((snippet) => snippet.code);
const TRAINED_ON = { entries: CODES.length, corpusHash: 'test-corpus' };

const QUERIES = [
  'cursor.execute("SELECT * FROM users WHERE name = \'%s\'" % name)',
  'memcpy(buf, input, strlen(input));',
  'free(node); node->next = NULL;',
  'element.innerHTML = comment.body;',
  'os.system("tar czf backup.tgz " + folder)',
  CODES[0]!,
];

const made: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'default-embedder-test-'));
  made.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * The default embedder's math, written out in float64 from the trained weights: sublinear TF-IDF
 * over known terms, L2-normalized, projected by the LSA components, L2-normalized.
 */
function referenceEmbedding(model: LsaModel, text: string): number[] {
  const termIndex = new Map(model.vocabulary.map((term, index) => [term, index]));
  const counts = new Map<string, number>();
  for (const token of codeTokens(text)) counts.set(token, (counts.get(token) ?? 0) + 1);
  const weighted: [number, number][] = [];
  for (const [term, count] of counts) {
    const index = termIndex.get(term);
    if (index !== undefined) weighted.push([index, model.idf[index]! * Math.log(1 + count)]);
  }
  const tfidfNorm = Math.sqrt(weighted.reduce((sum, [, w]) => sum + w * w, 0));
  const out = new Array<number>(model.dim).fill(0);
  if (tfidfNorm === 0) return out;
  for (const [index, w] of weighted) {
    for (let d = 0; d < model.dim; d += 1) out[d] = out[d]! + (w / tfidfNorm) * model.components[index * model.dim + d]!;
  }
  const norm = Math.sqrt(out.reduce((sum, x) => sum + x * x, 0));
  return out.map((x) => x / norm);
}

const length = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((sum, x) => sum + x * x, 0));

describe('DefaultEmbedder', () => {
  let embedder: DefaultEmbedder;
  let model: LsaModel;

  beforeAll(async () => {
    embedder = await DefaultEmbedder.train(CODES, TRAINED_ON);
    model = trainLsa(CODES);
  });

  it('trains a model of the LSA dimension with an id naming it', () => {
    expect(model.dim).toBeGreaterThan(1);
    // A corpus this small cannot support more dimensions than documents.
    expect(model.dim).toBeLessThanOrEqual(CODES.length);
    expect(embedder.dim).toBe(model.dim);
    expect(embedder.id).toMatch(new RegExp(`^default:lsa-${model.dim}:[0-9a-f]{12}$`));
    expect(embedder.trainedOn).toEqual(TRAINED_ON);
  });

  it('is deterministic: training twice gives the same id and bit-identical vectors', async () => {
    const again = await DefaultEmbedder.train([...CODES], { ...TRAINED_ON });
    expect(again.id).toBe(embedder.id);
    const [a, b] = await Promise.all([embedder.embed(QUERIES), again.embed(QUERIES)]);
    expect(b).toHaveLength(QUERIES.length);
    b.forEach((vector, i) =>
      expect(Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength)).toEqual(Buffer.from(a[i]!.buffer, a[i]!.byteOffset, a[i]!.byteLength)),
    );
  });

  it('gives a different id for a different corpus or different training metadata', async () => {
    const fewer = await DefaultEmbedder.train(CODES.slice(1), TRAINED_ON);
    expect(fewer.id).not.toBe(embedder.id);
    const otherHash = await DefaultEmbedder.train(CODES, { ...TRAINED_ON, corpusHash: 'another-corpus' });
    expect(otherHash.id).not.toBe(embedder.id);
  });

  it('returns unit vectors of length dim, one per text, in order', async () => {
    const vectors = await embedder.embed(QUERIES);
    expect(vectors).toHaveLength(QUERIES.length);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(embedder.dim);
      expect(length(vector)).toBeCloseTo(1, 5);
    }
    expect(await embedder.embed([])).toEqual([]);
  });

  it('the ONNX graph computes exactly the documented TF-IDF → LSA → normalize math', async () => {
    const vectors = await embedder.embed(QUERIES);
    QUERIES.forEach((query, q) => {
      const expected = referenceEmbedding(model, query);
      expect(length(expected)).toBeCloseTo(1, 9);
      const actual = vectors[q]!;
      for (let d = 0; d < embedder.dim; d += 1) expect(actual[d]!).toBeCloseTo(expected[d]!, 5);
    });
  });

  it('ignores unknown terms, and embeds a text with only unknown terms as the zero vector', async () => {
    const unknown = 'qqzzxy_wvvk zzqqyx';
    expect(codeTokens(unknown).length).toBeGreaterThan(0);
    expect(codeTokens(unknown).some((token) => model.vocabulary.includes(token))).toBe(false);
    const [zero, empty] = await embedder.embed([unknown, '']);
    expect([...zero!].every((x) => x === 0)).toBe(true);
    expect([...empty!].every((x) => x === 0)).toBe(true);
    // Adding unknown words to a known text does not move it.
    const [known, padded] = await embedder.embed(['memcpy(dst, src, len + 1);', `memcpy(dst, src, len + 1); ${unknown}`]);
    for (let d = 0; d < embedder.dim; d += 1) expect(padded![d]!).toBeCloseTo(known![d]!, 6);
  });

  it('gives the same vector for a text alone or in a batch of texts of other lengths', async () => {
    const batch = await embedder.embed(QUERIES);
    for (let i = 0; i < QUERIES.length; i += 1) {
      const [single] = await embedder.embed([QUERIES[i]!]);
      for (let d = 0; d < embedder.dim; d += 1) expect(batch[i]![d]!).toBeCloseTo(single![d]!, 6);
    }
  });

  it('keeps order across internal batches (more than 128 texts)', async () => {
    const texts = Array.from({ length: 131 }, (_, i) => CODES[i % CODES.length]!);
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(131);
    const singles = await embedder.embed(CODES);
    for (const i of [0, 5, 127, 128, 130]) {
      const expected = singles[i % CODES.length]!;
      for (let d = 0; d < embedder.dim; d += 1) expect(vectors[i]![d]!).toBeCloseTo(expected[d]!, 6);
    }
  });

  it('ranks similar code closer than unrelated code', async () => {
    const [sql, otherSql, memcpyCode] = await embedder.embed([
      'cur.execute("SELECT name FROM users WHERE id = %s", (uid,))',
      CODES[0]!,
      'memcpy(dst, src, len + 1);',
    ]);
    const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
    expect(cosine(sql!, otherSql!)).toBeGreaterThan(cosine(sql!, memcpyCode!));
  });

  it('saves and loads: same id, dim, training record and vectors', async () => {
    const dir = join(tempDir(), 'embedder');
    await embedder.save(dir);
    const loaded = await DefaultEmbedder.load(dir);
    expect(loaded.id).toBe(embedder.id);
    expect(loaded.dim).toBe(embedder.dim);
    expect(loaded.trainedOn).toEqual(TRAINED_ON);
    const [a, b] = await Promise.all([embedder.embed(QUERIES), loaded.embed(QUERIES)]);
    b.forEach((vector, i) => expect([...vector]).toEqual([...a[i]!]));
    // Saving again over the same folder works and changes nothing.
    const before = await readFile(join(dir, 'model.onnx'));
    await loaded.save(dir);
    expect(await readFile(join(dir, 'model.onnx'))).toEqual(before);
  });

  it('throws naming the path when the folder is missing', async () => {
    const dir = join(tempDir(), 'nothing-here');
    await expect(DefaultEmbedder.load(dir)).rejects.toThrow(dir);
  });

  it('throws naming vocabulary.json when it is corrupt or of the wrong shape', async () => {
    const dir = join(tempDir(), 'embedder');
    await embedder.save(dir);
    const vocabularyPath = join(dir, 'vocabulary.json');
    await writeFile(vocabularyPath, '{"format": 1, "id": ');
    await expect(DefaultEmbedder.load(dir)).rejects.toThrow(vocabularyPath);
    await writeFile(vocabularyPath, JSON.stringify({ format: 2, id: 'x', dim: 3, vocabulary: [], trainedOn: { entries: 1, corpusHash: 'h' } }));
    await expect(DefaultEmbedder.load(dir)).rejects.toThrow(vocabularyPath);
  });

  it('throws naming model.onnx when it is missing', async () => {
    const dir = join(tempDir(), 'embedder');
    await embedder.save(dir);
    await rm(join(dir, 'model.onnx'));
    await expect(DefaultEmbedder.load(dir)).rejects.toThrow(join(dir, 'model.onnx'));
  });

  it('throws naming model.onnx when it is corrupt', async () => {
    const dir = join(tempDir(), 'embedder');
    await embedder.save(dir);
    const modelPath = join(dir, 'model.onnx');
    const bytes = await readFile(modelPath);
    await writeFile(modelPath, bytes.subarray(0, Math.floor(bytes.length / 3)));
    await expect(DefaultEmbedder.load(dir)).rejects.toThrow(modelPath);
  });

  it('refuses a model.onnx that belongs to another vocabulary.json (save interrupted between the two files)', async () => {
    const dir = join(tempDir(), 'embedder');
    await embedder.save(dir);
    const otherDir = join(tempDir(), 'other');
    const other = await DefaultEmbedder.train(CODES.slice(0, 12), { entries: 12, corpusHash: 'other' });
    await other.save(otherDir);
    // `save` writes model.onnx first: a crash right after leaves the new model beside the old vocabulary.
    await copyFile(join(otherDir, 'model.onnx'), join(dir, 'model.onnx'));
    expect(other.dim).not.toBe(embedder.dim);
    // Today this loads and reports the old id and dim while running the other weights.
    await expect(DefaultEmbedder.load(dir)).rejects.toThrow(dir);
  });
});
