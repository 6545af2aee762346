// The embedded default: needs no downloaded weights. Its weights are derived from the corpus at
// index time (code-token TF-IDF projected by LSA), saved as an ONNX graph, and run with
// onnxruntime like any pretrained model. The same corpus always gives the same model and id.
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { writeChunksAtomic } from '../fs/atomic-write.js';
import { codeTokens, termCounts } from '../text/code-tokens.js';
import { EmbedderLoadError } from './errors.js';
import { LSA_INPUT_COUNTS, LSA_INPUT_IDS, LSA_OUTPUT, lsaToOnnx } from './lsa/onnx-model.js';
import { trainLsa, type LsaTrainOptions } from './lsa/train.js';
import type { Embedder } from './types.js';

const MODEL_FILE = 'model.onnx';
const VOCABULARY_FILE = 'vocabulary.json';

const vocabularyFileSchema = z.object({
  format: z.literal(1),
  id: z.string(),
  dim: z.number().int().positive(),
  vocabulary: z.array(z.string()),
  /** What the weights were derived from, so callers can tell when to retrain. */
  trainedOn: z.object({ entries: z.number().int().nonnegative(), corpusHash: z.string() }),
});
type VocabularyFile = z.infer<typeof vocabularyFileSchema>;

/** The id names the model's exact weights, so any change to them invalidates indexes. */
function modelId(bytes: Uint8Array, dim: number): string {
  return `default:lsa-${dim}:${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}`;
}

export interface TrainedOn {
  entries: number;
  corpusHash: string;
}

export class DefaultEmbedder implements Embedder {
  readonly id: string;
  readonly dim: number;
  readonly trainedOn: TrainedOn;
  private readonly termIndex: Map<string, number>;
  private readonly padding: number;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly modelBytes: Uint8Array,
    private readonly vocabulary: string[],
    meta: { id: string; dim: number; trainedOn: TrainedOn },
  ) {
    this.id = meta.id;
    this.dim = meta.dim;
    this.trainedOn = meta.trainedOn;
    this.termIndex = new Map(vocabulary.map((term, index) => [term, index]));
    this.padding = vocabulary.length;
  }

  /** Derives the weights from `codes` (the corpus) and loads the resulting ONNX graph. */
  static async train(codes: readonly string[], trainedOn: TrainedOn, options: LsaTrainOptions = {}): Promise<DefaultEmbedder> {
    const model = trainLsa(codes, options);
    const bytes = lsaToOnnx(model, { 'seccoder.corpusHash': trainedOn.corpusHash });
    const id = modelId(bytes, model.dim);
    const session = await ort.InferenceSession.create(bytes);
    return new DefaultEmbedder(session, bytes, model.vocabulary, { id, dim: model.dim, trainedOn });
  }

  /** Loads a model saved by `save`; throws with the path when the files are missing or damaged. */
  static async load(dir: string): Promise<DefaultEmbedder> {
    const unreadable = (path: string, why: string) =>
      new EmbedderLoadError(`default embedder at ${path} is unreadable (${why}); run \`seccoder index --rebuild\``);
    const vocabularyPath = join(dir, VOCABULARY_FILE);
    let meta: VocabularyFile;
    try {
      meta = vocabularyFileSchema.parse(JSON.parse(await readFile(vocabularyPath, 'utf8')));
    } catch (error) {
      throw unreadable(vocabularyPath, (error as Error).message);
    }
    const modelPath = join(dir, MODEL_FILE);
    let bytes: Uint8Array;
    let session: ort.InferenceSession;
    try {
      bytes = new Uint8Array(await readFile(modelPath));
      session = await ort.InferenceSession.create(bytes);
    } catch (error) {
      throw unreadable(modelPath, (error as Error).message);
    }
    // The two files are written one after the other; a crash between them must not pair a new
    // model with an old vocabulary.
    if (modelId(bytes, meta.dim) !== meta.id) throw unreadable(dir, `${MODEL_FILE} does not belong to ${VOCABULARY_FILE}`);
    return new DefaultEmbedder(session, bytes, meta.vocabulary, meta);
  }

  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await writeChunksAtomic(join(dir, MODEL_FILE), [this.modelBytes]);
    const meta: VocabularyFile = { format: 1, id: this.id, dim: this.dim, vocabulary: this.vocabulary, trainedOn: this.trainedOn };
    await writeChunksAtomic(join(dir, VOCABULARY_FILE), [JSON.stringify(meta)]);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    const batchSize = 128;
    for (let start = 0; start < texts.length; start += batchSize) {
      vectors.push(...(await this.embedBatch(texts.slice(start, start + batchSize))));
    }
    return vectors;
  }

  private async embedBatch(texts: string[]): Promise<Float32Array[]> {
    const rows = texts.map((text) => {
      const ids: number[] = [];
      const counts: number[] = [];
      for (const [term, count] of termCounts(codeTokens(text))) {
        const index = this.termIndex.get(term);
        if (index === undefined) continue;
        ids.push(index);
        counts.push(count);
      }
      return { ids, counts };
    });
    const width = Math.max(1, ...rows.map((row) => row.ids.length));
    const ids = new BigInt64Array(texts.length * width).fill(BigInt(this.padding));
    const counts = new Float32Array(texts.length * width);
    rows.forEach((row, r) => {
      row.ids.forEach((id, c) => {
        ids[r * width + c] = BigInt(id);
        counts[r * width + c] = row.counts[c] as number;
      });
    });
    const output = await this.session.run({
      [LSA_INPUT_IDS]: new ort.Tensor('int64', ids, [texts.length, width]),
      [LSA_INPUT_COUNTS]: new ort.Tensor('float32', counts, [texts.length, width]),
    });
    const data = output[LSA_OUTPUT]?.data as Float32Array;
    return texts.map((_, r) => data.slice(r * this.dim, (r + 1) * this.dim));
  }
}
