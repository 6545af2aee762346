import { describe, it, expect, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbedderLoadError } from '../../src/embed/errors.js';
import { OnnxEmbedder, type OnnxEmbedderOptions } from '../../src/embed/onnx-embedder.js';
import { encodeOnnxModel, type OnnxValueInfo } from '../../src/embed/onnx-graph.js';

// --- A hand-written BERT-style WordPiece tokenizer -------------------------------------------

const VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]', // 0-3
  'def',
  'read',
  'file',
  'path',
  'open',
  'return', // 4-9
  '(',
  ')',
  ':',
  '##s',
  'safe',
  'sql',
  'query',
  'user',
  'input',
  'escape',
  'html',
  'token',
  'check',
  '.', // 10-23
  'represent',
  'code', // 24-25
];
const ID = Object.fromEntries(VOCAB.map((token, id) => [token, id])) as Record<string, number>;
const special = (content: string) => ({
  id: ID[content],
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});

function tokenizerJson(truncation: { max_length: number } | null = null) {
  return {
    version: '1.0',
    truncation: truncation && { direction: 'Right', max_length: truncation.max_length, strategy: 'LongestFirst', stride: 0 },
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]'].map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [ID['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [ID['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: ID },
  };
}

// --- Tiny real ONNX models ------------------------------------------------------------------

const H = 4;
// Fixed, pairwise non-parallel rows so every token visibly moves the mean.
const TABLE = VOCAB.map((_, i) => [i + 1, ((i * 3) % 7) - 3, ((i * 5) % 11) / 2 - 2, 1 + (i % 4)]);
const ids2d = (name: string): OnnxValueInfo => ({ name, type: 'int64', shape: ['batch', 'seq'] });
const tableInit = { name: 'table', type: 'float32' as const, dims: [VOCAB.length, H], data: Float32Array.from(TABLE.flat()) };

/** input_ids, attention_mask → last_hidden_state = table[input_ids]. */
const tokenModel = encodeOnnxModel({
  inputs: [ids2d('input_ids'), ids2d('attention_mask')],
  outputs: [{ name: 'last_hidden_state', type: 'float32', shape: ['batch', 'seq', H] }],
  initializers: [tableInit],
  nodes: [{ op: 'Gather', inputs: ['table', 'input_ids'], outputs: ['last_hidden_state'] }],
});

/** input_ids, token_type_ids → sentence_embedding = mean over all positions, plus a per-token output. */
const pooledModel = encodeOnnxModel({
  inputs: [ids2d('input_ids'), ids2d('token_type_ids')],
  outputs: [
    { name: 'token_embeddings', type: 'float32', shape: ['batch', 'seq', H] },
    { name: 'sentence_embedding', type: 'float32', shape: ['batch', H] },
  ],
  initializers: [tableInit],
  nodes: [
    { op: 'Gather', inputs: ['table', 'input_ids'], outputs: ['token_embeddings'] },
    { op: 'ReduceMean', inputs: ['token_embeddings'], outputs: ['sentence_embedding'], attributes: { axes: { ints: [1] }, keepdims: { int: 0 } } },
  ],
});

// --- Expected values, computed without the embedder ------------------------------------------

function normalize(v: number[]): number[] {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}
function meanOf(tokens: string[]): number[] {
  const rows = tokens.map((t) => TABLE[ID[t] ?? NaN] ?? []);
  return normalize(Array.from({ length: H }, (_, h) => rows.reduce((s, r) => s + (r[h] ?? NaN), 0) / rows.length));
}
function expectVector(actual: Float32Array | undefined, expected: number[]): void {
  expect(actual).toBeDefined();
  expect(actual?.length).toBe(expected.length);
  expected.forEach((x, i) => expect(actual?.[i]).toBeCloseTo(x, 5));
}

// --- Fixture folders --------------------------------------------------------------------------

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'seccoder-onnx-embedder-'));
const opened: OnnxEmbedder[] = [];
afterAll(async () => {
  await Promise.all(opened.map((e) => e.dispose()));
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});

let folders = 0;
function modelDir(files: { model?: Uint8Array | null; tokenizer?: unknown; options?: unknown; raw?: Record<string, string> } = {}): string {
  const dir = path.join(tmpRoot, `model-${folders++}`);
  fs.mkdirSync(dir);
  if (files.model !== null) fs.writeFileSync(path.join(dir, 'model.onnx'), files.model ?? tokenModel);
  if (files.tokenizer !== null) fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(files.tokenizer ?? tokenizerJson()));
  if (files.options !== undefined) fs.writeFileSync(path.join(dir, 'seccoder-embedder.json'), JSON.stringify(files.options));
  for (const [name, text] of Object.entries(files.raw ?? {})) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}
async function load(dir: string, options?: OnnxEmbedderOptions): Promise<OnnxEmbedder> {
  const embedder = await OnnxEmbedder.load(dir, options);
  opened.push(embedder);
  return embedder;
}
const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('OnnxEmbedder', () => {
  const defaultDir = modelDir();

  it('mean-pools token vectors over the attention mask, including [CLS] and [SEP]', async () => {
    const embedder = await load(defaultDir);
    expect(embedder.dim).toBe(H);
    const [v] = await embedder.embed(['def read file']);
    expectVector(v, meanOf(['[CLS]', 'def', 'read', 'file', '[SEP]']));
    expect(Math.hypot(...(v ?? []))).toBeCloseTo(1, 5);
  });

  it('lowercases, splits word pieces and maps unknown words to [UNK]', async () => {
    const embedder = await load(defaultDir);
    const [files, unknown] = await embedder.embed(['Read FILES', 'read zebra']);
    expectVector(files, meanOf(['[CLS]', 'read', 'file', '##s', '[SEP]']));
    expectVector(unknown, meanOf(['[CLS]', 'read', '[UNK]', '[SEP]']));
  });

  it('takes the [CLS] row with cls pooling', async () => {
    const embedder = await load(defaultDir, { pooling: 'cls' });
    const [v] = await embedder.embed(['safe sql query']);
    expectVector(v, normalize(TABLE[ID['[CLS]'] ?? NaN] ?? []));
    expect(embedder.id).toMatch(/:cls:cfg-[0-9a-f]{8}$/);
  });

  it('gives a text the same vector whether batched with longer texts or alone', async () => {
    const embedder = await load(defaultDir, { batchSize: 2 });
    const texts = ['escape html', 'def read file path ( user input ) : return open ( path )', 'check', 'safe sql query . escape user input'];
    const batched = await embedder.embed(texts);
    expect(batched).toHaveLength(texts.length);
    for (const [i, text] of texts.entries()) {
      const [alone] = await embedder.embed([text]);
      expectVector(batched[i], Array.from(alone ?? []));
    }
    expectVector(batched[0], meanOf(['[CLS]', 'escape', 'html', '[SEP]']));
    expectVector(batched[2], meanOf(['[CLS]', 'check', '[SEP]']));
    expect(await embedder.embed([])).toEqual([]);
  });

  it('truncates to maxLength and keeps the closing [SEP]', async () => {
    const embedder = await load(defaultDir, { maxLength: 4 });
    const [cut, short] = await embedder.embed(['def read file path open', 'open']);
    expectVector(cut, meanOf(['[CLS]', 'def', 'read', '[SEP]']));
    expectVector(short, meanOf(['[CLS]', 'open', '[SEP]']));
  });

  it("takes maxLength from tokenizer.json's truncation when not given", async () => {
    const embedder = await load(modelDir({ tokenizer: tokenizerJson({ max_length: 5 }) }));
    const [v] = await embedder.embed(['def read file path open']);
    expectVector(v, meanOf(['[CLS]', 'def', 'read', 'file', '[SEP]']));
  });

  it('prepends the instruction, which changes both the vector and the id', async () => {
    const plain = await load(defaultDir);
    const instruction = 'Represent code: ';
    const instructed = await load(defaultDir, { instruction });
    const [a] = await plain.embed(['def read file']);
    const [b] = await instructed.embed(['def read file']);
    expectVector(b, meanOf(['[CLS]', 'represent', 'code', ':', 'def', 'read', 'file', '[SEP]']));
    expect(Array.from(b ?? [])).not.toEqual(Array.from(a ?? []));
    expect(instructed.id).toBe(`${plain.id}:instr-${sha256(instruction).slice(0, 8)}`);
  });

  it('builds its id from the folder name, the model hash and the pooling', async () => {
    const embedder = await load(defaultDir);
    expect(embedder.id).toMatch(new RegExp(`^onnx:${path.basename(defaultDir)}:${sha256(tokenModel).slice(0, 12)}:mean:cfg-[0-9a-f]{8}$`));
  });

  it('changes its id when a setting that changes the vectors changes', async () => {
    const base = await load(defaultDir);
    expect((await load(defaultDir, { maxLength: 4 })).id).not.toBe(base.id);
    expect((await load(defaultDir, { normalize: false })).id).not.toBe(base.id);
    expect((await load(defaultDir)).id).toBe(base.id);
  });

  it('reads an already pooled 2-D sentence_embedding and feeds token_type_ids when declared', async () => {
    const embedder = await load(modelDir({ model: pooledModel }), { pooling: 'cls' });
    expect(embedder.dim).toBe(H);
    // The model averages every position, so equal-length texts avoid padding in its mean.
    const [a, b] = await embedder.embed(['def read file', 'safe sql query']);
    expectVector(a, meanOf(['[CLS]', 'def', 'read', 'file', '[SEP]']));
    expectVector(b, meanOf(['[CLS]', 'safe', 'sql', 'query', '[SEP]']));
  });

  it('can be pointed at another output with outputName', async () => {
    const embedder = await load(modelDir({ model: pooledModel }), { outputName: 'token_embeddings', pooling: 'cls' });
    const [v] = await embedder.embed(['def read file']);
    expectVector(v, normalize(TABLE[ID['[CLS]'] ?? NaN] ?? []));
  });

  it('reads options from seccoder-embedder.json, overridden by explicit arguments', async () => {
    const dir = modelDir({ options: { pooling: 'cls', maxLength: 3 } });
    const fromFile = await load(dir);
    expect(fromFile.id).toMatch(/:cls:cfg-[0-9a-f]{8}$/);
    expectVector((await fromFile.embed(['def read']))[0], normalize(TABLE[ID['[CLS]'] ?? NaN] ?? []));

    const overridden = await load(dir, { pooling: 'mean' });
    expect(overridden.id).toMatch(/:mean:cfg-[0-9a-f]{8}$/);
    expectVector((await overridden.embed(['def read']))[0], meanOf(['[CLS]', 'def', '[SEP]']));
  });

  it('can leave vectors unnormalized', async () => {
    const embedder = await load(defaultDir, { normalize: false, pooling: 'cls' });
    const [v] = await embedder.embed(['def']);
    expectVector(v, TABLE[ID['[CLS]'] ?? NaN] ?? []);
  });

  describe('load errors', () => {
    const rejects = async (dir: string, pattern: RegExp, options?: OnnxEmbedderOptions) => {
      const error = await OnnxEmbedder.load(dir, options).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(EmbedderLoadError);
      expect((error as Error).message).toMatch(pattern);
    };
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

    it('names a missing folder', async () => {
      const missing = path.join(tmpRoot, 'no-such-model');
      await rejects(missing, new RegExp(`${escape(missing)} does not exist`));
    });

    it('names a missing model.onnx', async () => {
      const dir = modelDir({ model: null });
      await rejects(dir, new RegExp(`${escape(path.join(dir, 'model.onnx'))} is missing.*export the model to ONNX`));
    });

    it('names a missing or unparsable tokenizer.json', async () => {
      const missing = modelDir({ tokenizer: null });
      await rejects(missing, new RegExp(`${escape(path.join(missing, 'tokenizer.json'))} is missing.*save_pretrained`));
      const broken = modelDir({ tokenizer: null, raw: { 'tokenizer.json': '{ "model": ' } });
      await rejects(broken, new RegExp(`${escape(path.join(broken, 'tokenizer.json'))} is not valid JSON`));
      const wrong = modelDir({ tokenizer: { model: { type: 'Mystery' } } });
      await rejects(wrong, new RegExp(`${escape(path.join(wrong, 'tokenizer.json'))} is not a tokenizer`));
    });

    it('names the file and the key of a bad seccoder-embedder.json', async () => {
      const unknownKey = modelDir({ options: { pooling: 'cls', poolling: 'mean' } });
      await rejects(unknownKey, new RegExp(`${escape(path.join(unknownKey, 'seccoder-embedder.json'))}: unknown key "poolling"`));
      const badValue = modelDir({ options: { pooling: 'max' } });
      await rejects(badValue, new RegExp(`${escape(path.join(badValue, 'seccoder-embedder.json'))}: "pooling"`));
    });

    it('rejects a bad explicit option', async () => {
      await rejects(defaultDir, /options: "batchSize"/, { batchSize: 0 });
    });

    it('rejects a model without input_ids or without the requested output', async () => {
      const noIds = encodeOnnxModel({
        inputs: [{ name: 'pixels', type: 'float32', shape: ['batch', H] }],
        outputs: [{ name: 'out', type: 'float32', shape: ['batch', H] }],
        initializers: [],
        nodes: [{ op: 'Identity', inputs: ['pixels'], outputs: ['out'] }],
      });
      const dir = modelDir({ model: noIds });
      await rejects(dir, new RegExp(`${escape(path.join(dir, 'model.onnx'))} takes inputs \\[pixels\\].*input_ids is required`));
      await rejects(defaultDir, /has no output "pooled".*outputs: \[last_hidden_state\]/, { outputName: 'pooled' });
    });

    it('rejects a model.onnx onnxruntime cannot read', async () => {
      const dir = modelDir({ model: new TextEncoder().encode('not a model') });
      await rejects(dir, /could not be loaded by onnxruntime/);
    });
  });
});
