// Runs a sentence-embedding model the user exported from HuggingFace (bge, MiniLM, jina-code,
// UniXcoder, INSTRUCTOR, ...) as a folder, so teams can pick a model without code changes.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { z } from 'zod';
import { EmbedderLoadError } from './errors.js';
import type { Embedder } from './types.js';

export interface OnnxEmbedderOptions {
  /** How token vectors become one text vector; ignored when the model's output is already pooled. Default 'mean'. */
  pooling?: 'mean' | 'cls';
  /** Tokens per text including special tokens. Default: the tokenizer's truncation or model_max_length, else 512. */
  maxLength?: number;
  /** Texts per model run. Default 16. */
  batchSize?: number;
  /** INSTRUCTOR-style prefix prepended verbatim to every text. Default none. */
  instruction?: string;
  /** L2-normalize vectors. Default true. */
  normalize?: boolean;
  /** Model output to read. Default 'sentence_embedding' if present, else 'last_hidden_state', else the first output. */
  outputName?: string;
}

const MODEL_FILE = 'model.onnx';
const TOKENIZER_FILE = 'tokenizer.json';
const TOKENIZER_CONFIG_FILE = 'tokenizer_config.json';
const OPTIONS_FILE = 'seccoder-embedder.json';
const FEEDABLE_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'];
// transformers writes a huge sentinel (1e30) as model_max_length when the tokenizer has no limit.
const MAX_PLAUSIBLE_LENGTH = 1 << 20;

const optionsSchema = z.strictObject({
  pooling: z.enum(['mean', 'cls']).optional(),
  maxLength: z.int().positive().optional(),
  batchSize: z.int().positive().optional(),
  instruction: z.string().optional(),
  normalize: z.boolean().optional(),
  outputName: z.string().min(1).optional(),
}) satisfies z.ZodType<OnnxEmbedderOptions>;

type Settings = Required<Omit<OnnxEmbedderOptions, 'instruction'>> & { instruction: string; padId: number };

export class OnnxEmbedder implements Embedder {
  private probedDim = 0;

  private constructor(
    readonly id: string,
    private readonly session: InferenceSession,
    private readonly tokenizer: Tokenizer,
    private readonly settings: Settings,
  ) {}

  get dim(): number {
    return this.probedDim;
  }

  /** Loads `dir` (model.onnx + tokenizer.json, optionally seccoder-embedder.json and tokenizer_config.json). */
  static async load(dir: string, options: OnnxEmbedderOptions = {}): Promise<OnnxEmbedder> {
    const root = path.resolve(dir);
    const isDir = await stat(root).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) {
      throw new EmbedderLoadError(
        `Embedding model folder ${root} does not exist or is not a folder; point to a folder holding ${MODEL_FILE} and ${TOKENIZER_FILE}.`,
      );
    }
    const modelPath = path.join(root, MODEL_FILE);
    const modelBytes = await readRequired(modelPath, 'export the model to ONNX first, e.g. `optimum-cli export onnx --model <hub id> <folder>`');
    const { tokenizer, json, config } = await loadTokenizer(root);

    const fromFile = await readOptionsFile(path.join(root, OPTIONS_FILE));
    const fromArgs = parseOptions(options, 'OnnxEmbedder options');
    const chosen = { ...fromFile, ...dropUndefined(fromArgs) };
    const session = await InferenceSession.create(modelBytes).catch((err: unknown) => {
      throw new EmbedderLoadError(`${modelPath} could not be loaded by onnxruntime (${message(err)}); re-export it or check that the file is complete.`, {
        cause: err,
      });
    });
    try {
      checkInputs(session, modelPath);
      const settings: Settings = {
        pooling: chosen.pooling ?? 'mean',
        maxLength: chosen.maxLength ?? defaultMaxLength(json, config),
        batchSize: chosen.batchSize ?? 16,
        instruction: chosen.instruction ?? '',
        normalize: chosen.normalize ?? true,
        outputName: chooseOutput(session, chosen.outputName, modelPath),
        padId: padTokenId(tokenizer, json, config),
      };

      const hash = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
      // Everything that changes the vectors is in the id, so a changed tokenizer or setting
      // invalidates indexes built before it.
      const vectorSettings = JSON.stringify({
        tokenizer: json,
        config,
        maxLength: settings.maxLength,
        normalize: settings.normalize,
        output: settings.outputName,
      });
      let id = `onnx:${path.basename(root)}:${hash(modelBytes).slice(0, 12)}:${settings.pooling}:cfg-${hash(vectorSettings).slice(0, 8)}`;
      if (settings.instruction) id += `:instr-${hash(settings.instruction).slice(0, 8)}`;

      const embedder = new OnnxEmbedder(id, session, tokenizer, settings);
      // Exported models rarely declare a static hidden size, so one tiny run tells us `dim`.
      const [probe] = await embedder.embed(['dimension probe']).catch((err: unknown) => {
        throw new EmbedderLoadError(
          `${modelPath}: a test embedding failed (${message(err)}); output "${settings.outputName}" must be float32 [batch, seq, hidden] or [batch, hidden].`,
          { cause: err },
        );
      });
      embedder.probedDim = probe?.length ?? 0;
      return embedder;
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    // Batching texts of similar length keeps padding, i.e. wasted compute, small.
    const items = texts.map((text, index) => ({ index, ids: this.encode(text) })).sort((a, b) => a.ids.length - b.ids.length);
    const vectors = new Array<Float32Array>(texts.length);
    for (let start = 0; start < items.length; start += this.settings.batchSize) {
      const batch = items.slice(start, start + this.settings.batchSize);
      const pooled = await this.run(batch.map((item) => item.ids));
      batch.forEach((item, row) => (vectors[item.index] = pooled[row]!)); // run() checked the row count
    }
    return vectors;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }

  private encode(text: string): number[] {
    const input = this.settings.instruction + text;
    const max = this.settings.maxLength;
    const full: number[] = this.tokenizer.encode(input).ids;
    if (full.length <= max) return full;
    // tokenizers.js never truncates, so cut the content and re-wrap it in the special tokens the
    // post-processor added ([CLS] … [SEP], <s> … </s>): models expect the closing token.
    const content: number[] = this.tokenizer.encode(input, { add_special_tokens: false }).ids;
    const head = indexOfRun(full, content);
    if (head < 0) return full.slice(0, max);
    const tail = full.slice(head + content.length);
    return [...full.slice(0, head), ...content.slice(0, Math.max(0, max - head - tail.length)), ...tail];
  }

  private async run(sequences: number[][]): Promise<Float32Array[]> {
    const { padId, outputName, pooling, normalize } = this.settings;
    const batch = sequences.length;
    const seq = Math.max(1, ...sequences.map((s) => s.length));
    const ids = new BigInt64Array(batch * seq).fill(BigInt(padId));
    const mask = new BigInt64Array(batch * seq);
    sequences.forEach((tokens, b) =>
      tokens.forEach((token, t) => {
        ids[b * seq + t] = BigInt(token);
        mask[b * seq + t] = 1n;
      }),
    );
    const dims = [batch, seq];
    const inputs = this.session.inputNames;
    const feeds: Record<string, Tensor> = { input_ids: new Tensor('int64', ids, dims) };
    if (inputs.includes('attention_mask')) feeds.attention_mask = new Tensor('int64', mask, dims);
    if (inputs.includes('token_type_ids')) feeds.token_type_ids = new Tensor('int64', new BigInt64Array(batch * seq), dims);

    const output = (await this.session.run(feeds, [outputName]))[outputName];
    if (!output || output.type !== 'float32') throw new Error(`output "${outputName}" is ${output?.type ?? 'missing'}, expected float32`);
    const vectors = pool(output.data as Float32Array, output.dims, mask, seq, pooling);
    if (vectors.length !== batch) throw new Error(`output "${outputName}" has ${vectors.length} rows for ${batch} texts`);
    return normalize ? vectors.map(l2normalize) : vectors;
  }
}

/** Splits the model output into one vector per text, pooling token vectors when the output is per token. */
function pool(data: Float32Array, dims: readonly number[], mask: BigInt64Array, seq: number, pooling: Settings['pooling']): Float32Array[] {
  const [batch = 0, second = 0, third] = dims;
  if (dims.length === 2) {
    return Array.from({ length: batch }, (_, b) => data.slice(b * second, (b + 1) * second));
  }
  if (dims.length !== 3 || second !== seq || third === undefined) {
    throw new Error(`output shape [${dims.join(', ')}] is neither [batch, ${seq}, hidden] nor [batch, hidden]`);
  }
  const hidden = third;
  return Array.from({ length: batch }, (_, b) => {
    if (pooling === 'cls') return data.slice(b * seq * hidden, (b * seq + 1) * hidden);
    const sum = new Float32Array(hidden);
    let count = 0;
    for (let t = 0; t < seq; t++) {
      if (mask[b * seq + t] === 0n) continue;
      const row = (b * seq + t) * hidden;
      for (let h = 0; h < hidden; h++) sum[h] = (sum[h] ?? 0) + (data[row + h] ?? 0);
      count++;
    }
    return count > 0 ? sum.map((v) => v / count) : sum;
  });
}

function l2normalize(v: Float32Array): Float32Array {
  const norm = Math.hypot(...v);
  return norm > 0 ? v.map((x) => x / norm) : v;
}

/** Position of `needle` inside `haystack`, or -1. */
function indexOfRun(haystack: number[], needle: number[]): number {
  for (let start = 0; start + needle.length <= haystack.length; start++) {
    if (needle.every((id, k) => haystack[start + k] === id)) return start;
  }
  return -1;
}

function checkInputs(session: InferenceSession, modelPath: string): void {
  const names = session.inputNames;
  const unfeedable = names.filter((n) => !FEEDABLE_INPUTS.includes(n));
  if (!names.includes('input_ids') || unfeedable.length > 0) {
    throw new EmbedderLoadError(
      `${modelPath} takes inputs [${names.join(', ')}], but only ${FEEDABLE_INPUTS.join(', ')} can be fed and input_ids is required; ` +
        're-export the encoder for feature extraction (e.g. `optimum-cli export onnx --task feature-extraction`).',
    );
  }
}

function chooseOutput(session: InferenceSession, requested: string | undefined, modelPath: string): string {
  const names = session.outputNames;
  const name = requested ?? ['sentence_embedding', 'last_hidden_state'].find((n) => names.includes(n)) ?? names[0];
  if (name === undefined || !names.includes(name)) {
    throw new EmbedderLoadError(
      `${modelPath} has no output ${name === undefined ? '' : `"${name}" `}(outputs: [${names.join(', ')}]); set "outputName" in ${OPTIONS_FILE} to one of them.`,
    );
  }
  return name;
}

async function loadTokenizer(root: string): Promise<{ tokenizer: Tokenizer; json: unknown; config: Record<string, unknown> }> {
  const tokenizerPath = path.join(root, TOKENIZER_FILE);
  const resave = 'save a fast tokenizer with `AutoTokenizer.from_pretrained(<hub id>).save_pretrained(<folder>)`';
  const json = parseJson(tokenizerPath, (await readRequired(tokenizerPath, resave)).toString('utf8'), resave);
  const configPath = path.join(root, TOKENIZER_CONFIG_FILE);
  const configText = await readOptional(configPath);
  const config = configText === undefined ? {} : parseJson(configPath, configText, resave);
  if (!isRecord(config)) throw new EmbedderLoadError(`${configPath} must hold a JSON object; ${resave}.`);
  try {
    return { tokenizer: new Tokenizer(json as object, config), json, config };
  } catch (err) {
    throw new EmbedderLoadError(`${tokenizerPath} is not a tokenizer @huggingface/tokenizers understands (${message(err)}); ${resave}.`, { cause: err });
  }
}

async function readOptionsFile(file: string): Promise<OnnxEmbedderOptions> {
  const text = await readOptional(file);
  return text === undefined ? {} : parseOptions(parseJson(file, text, 'fix the JSON syntax'), file);
}

function parseOptions(value: unknown, source: string): OnnxEmbedderOptions {
  const parsed = optionsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) =>
    issue.code === 'unrecognized_keys'
      ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`
      : `${issue.path.length > 0 ? `"${issue.path.join('.')}": ` : ''}${issue.message}`,
  );
  throw new EmbedderLoadError(`${source}: ${problems.join('; ')}. Allowed keys: ${Object.keys(optionsSchema.shape).join(', ')}.`);
}

function defaultMaxLength(json: unknown, config: Record<string, unknown>): number {
  const fromTruncation = field(json, 'truncation', 'max_length');
  if (isPositiveInt(fromTruncation)) return fromTruncation;
  const fromConfig = config.model_max_length;
  if (isPositiveInt(fromConfig) && fromConfig <= MAX_PLAUSIBLE_LENGTH) return fromConfig;
  return 512;
}

// The pad id matters beyond the attention mask: RoBERTa-family models (UniXcoder, CodeBERT) derive
// position ids from which tokens equal the pad id.
function padTokenId(tokenizer: Tokenizer, json: unknown, config: Record<string, unknown>): number {
  const fromPadding = field(json, 'padding', 'pad_id');
  if (typeof fromPadding === 'number') return fromPadding;
  const configured = config.pad_token;
  const name = typeof configured === 'string' ? configured : field(configured, 'content');
  for (const token of [name, '[PAD]', '<pad>']) {
    const id = typeof token === 'string' ? tokenizer.token_to_id(token) : undefined;
    if (id !== undefined) return id;
  }
  return 0;
}

async function readRequired(file: string, hint: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new EmbedderLoadError(`${file} is missing or unreadable (${message(err)}); ${hint}.`, { cause: err });
  }
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new EmbedderLoadError(`${file} exists but cannot be read (${message(err)}); fix its permissions or remove it.`, { cause: err });
  }
}

function parseJson(file: string, text: string, hint: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new EmbedderLoadError(`${file} is not valid JSON (${message(err)}); ${hint}.`, { cause: err });
  }
}

function field(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((v, k) => (isRecord(v) ? v[k] : undefined), value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveInt(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0;
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
