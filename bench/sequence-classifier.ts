// A small convolutional network over the code's token sequence, predicting the CWE as the
// bag-of-tokens classifier does, but seeing order: `buf [ i ] =` is a write through an index
// where a bag sees `buf`, `i` and `=`; `free ( p ) ; … p ->` a use after free. Trained from zero,
// deterministic for the same documents (seeded initialisation and shuffling).
//
// A variant of the tuning harness (bench:retrieval-cv), not shipped: on the training folds it
// learns less than the bag-of-tokens classifier and lowers acc@1 when mixed with it (the figures
// are beside its configs in retrieval-cv.ts). It runs in plain TypeScript; onnxruntime-node would
// only have served it at query time, and a model that loses on the folds needs no runtime.
//
// Embedding → one convolution of width `width` with ReLU → max over positions → softmax layer.
// Back-propagation through the max touches only the winning position of each filter, so a step
// costs little more than the forward pass.
import { seededRandom } from '../src/embed/lsa/random.js';
import { TOKEN } from '../src/text/code-tokens.js';
import { normalizedLexeme } from '../src/text/token-pairs.js';
import type { LabelledCode } from '../src/corpus/cwe-examples.js';
import type { CwePredictor } from '../src/retrieve/cwe-classifier.js';

export interface SequenceClassifierOptions {
  embeddingDim?: number;
  filters?: number;
  width?: number;
  /** Tokens read from the start of the code (default 400). */
  maxTokens?: number;
  /** Most frequent lexemes kept; the rest are one unknown token (default 6000). */
  vocabularySize?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  l2?: number;
  /** Share of pooled features dropped while training (default 0.3). */
  dropout?: number;
  seed?: number;
  /** Class weight = count^-power, as in the bag-of-tokens classifier (default 1). */
  classWeightPower?: number;
}

export interface SequenceClassifierModel {
  classes: string[];
  vocabulary: string[];
  embeddingDim: number;
  filters: number;
  width: number;
  maxTokens: number;
  /** vocabulary+2 rows (0 padding, 1 unknown) × embeddingDim. */
  embedding: number[];
  /** filters × (width·embeddingDim). */
  kernel: number[];
  kernelBias: number[];
  /** classes × filters. */
  output: number[];
  outputBias: number[];
}

const PAD = 0;

function addAt(array: Float32Array | Float64Array, index: number, value: number): void {
  array[index] = (array[index] as number) + value;
}
const UNKNOWN = 1;

function lexemes(code: string, maxTokens: number): string[] {
  return (code.match(TOKEN) ?? []).slice(0, maxTokens).map(normalizedLexeme);
}

interface Parameters {
  embedding: Float32Array;
  kernel: Float32Array;
  kernelBias: Float32Array;
  output: Float32Array;
  outputBias: Float32Array;
}

interface Shape {
  dim: number;
  filters: number;
  width: number;
  classes: number;
}

interface Forward {
  pooled: Float32Array;
  /** Position of each filter's maximum; -1 when no position was positive. */
  argmax: Int32Array;
  probabilities: Float64Array;
}

function forward(ids: Int32Array, params: Parameters, shape: Shape, keep?: Float32Array): Forward {
  const { dim, filters, width, classes } = shape;
  const span = width * dim;
  const positions = Math.max(1, ids.length - width + 1);
  const window = new Float32Array(span);
  const pooled = new Float32Array(filters);
  const argmax = new Int32Array(filters).fill(-1);
  for (let t = 0; t < positions; t += 1) {
    for (let j = 0; j < width; j += 1) {
      const id = t + j < ids.length ? (ids[t + j] as number) : PAD;
      window.set(params.embedding.subarray(id * dim, id * dim + dim), j * dim);
    }
    for (let f = 0; f < filters; f += 1) {
      let sum = params.kernelBias[f] as number;
      const base = f * span;
      for (let k = 0; k < span; k += 1) sum += (params.kernel[base + k] as number) * (window[k] as number);
      if (sum > (pooled[f] as number)) {
        pooled[f] = sum;
        argmax[f] = t;
      }
    }
  }
  if (keep) for (let f = 0; f < filters; f += 1) pooled[f] = (pooled[f] as number) * (keep[f] as number);
  const probabilities = new Float64Array(classes);
  let max = -Infinity;
  for (let c = 0; c < classes; c += 1) {
    let sum = params.outputBias[c] as number;
    for (let f = 0; f < filters; f += 1) sum += (params.output[c * filters + f] as number) * (pooled[f] as number);
    probabilities[c] = sum;
    max = Math.max(max, sum);
  }
  let total = 0;
  for (let c = 0; c < classes; c += 1) {
    probabilities[c] = Math.exp((probabilities[c] as number) - max);
    total += probabilities[c] as number;
  }
  for (let c = 0; c < classes; c += 1) probabilities[c] = (probabilities[c] as number) / total;
  return { pooled, argmax, probabilities };
}

class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private step = 0;

  constructor(
    private readonly values: Float32Array,
    private readonly rate: number,
    private readonly l2: number,
  ) {
    this.m = new Float32Array(values.length);
    this.v = new Float32Array(values.length);
  }

  apply(gradient: Float32Array): void {
    this.step += 1;
    const c1 = 1 - 0.9 ** this.step;
    const c2 = 1 - 0.999 ** this.step;
    for (let i = 0; i < this.values.length; i += 1) {
      const g = (gradient[i] as number) + this.l2 * (this.values[i] as number);
      if (g === 0) continue;
      this.m[i] = 0.9 * (this.m[i] as number) + 0.1 * g;
      this.v[i] = 0.999 * (this.v[i] as number) + 0.001 * g * g;
      this.values[i] = (this.values[i] as number) - (this.rate * ((this.m[i] as number) / c1)) / (Math.sqrt((this.v[i] as number) / c2) + 1e-8);
    }
  }
}

export class SequenceClassifier implements CwePredictor {
  private readonly termIndex: Map<string, number>;
  private readonly params: Parameters;
  private readonly shape: Shape;

  private constructor(readonly model: SequenceClassifierModel) {
    this.termIndex = new Map(model.vocabulary.map((term, index) => [term, index + 2]));
    this.params = {
      embedding: Float32Array.from(model.embedding),
      kernel: Float32Array.from(model.kernel),
      kernelBias: Float32Array.from(model.kernelBias),
      output: Float32Array.from(model.output),
      outputBias: Float32Array.from(model.outputBias),
    };
    this.shape = { dim: model.embeddingDim, filters: model.filters, width: model.width, classes: model.classes.length };
  }

  get classes(): readonly string[] {
    return this.model.classes;
  }

  static fromModel(model: SequenceClassifierModel): SequenceClassifier {
    return new SequenceClassifier(model);
  }

  /** Undefined when fewer than two CWEs are labelled. */
  static train(documents: readonly LabelledCode[], options: SequenceClassifierOptions = {}): SequenceClassifier | undefined {
    const labelled = documents.filter((doc) => doc.cwe.length > 0);
    const classes = [...new Set(labelled.flatMap((doc) => doc.cwe))].sort();
    if (classes.length < 2) return undefined;
    const classIndex = new Map(classes.map((cwe, index) => [cwe, index]));
    const dim = options.embeddingDim ?? 16;
    const filters = options.filters ?? 64;
    const width = options.width ?? 3;
    const maxTokens = options.maxTokens ?? 400;
    const random = seededRandom(options.seed ?? 1);

    const sequences = labelled.map((doc) => lexemes(doc.code, maxTokens));
    const documentFrequency = new Map<string, number>();
    for (const sequence of sequences) for (const lexeme of new Set(sequence)) documentFrequency.set(lexeme, (documentFrequency.get(lexeme) ?? 0) + 1);
    const vocabulary = [...documentFrequency]
      .filter(([, df]) => df >= 2)
      .sort(([a, da], [b, db]) => db - da || a.localeCompare(b))
      .slice(0, options.vocabularySize ?? 6000)
      .map(([term]) => term);
    const termIndex = new Map(vocabulary.map((term, index) => [term, index + 2]));
    const ids = sequences.map((sequence) => Int32Array.from(sequence, (lexeme) => termIndex.get(lexeme) ?? UNKNOWN));

    const span = width * dim;
    const uniform = (n: number, scale: number) => Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);
    const params: Parameters = {
      embedding: uniform((vocabulary.length + 2) * dim, 0.5),
      kernel: uniform(filters * span, Math.sqrt(6 / span)),
      kernelBias: new Float32Array(filters).fill(0.01),
      output: uniform(classes.length * filters, Math.sqrt(6 / (filters + classes.length))),
      outputBias: new Float32Array(classes.length),
    };
    params.embedding.fill(0, PAD * dim, PAD * dim + dim);
    const shape: Shape = { dim, filters, width, classes: classes.length };

    const classCounts = new Float64Array(classes.length);
    for (const doc of labelled) for (const cwe of doc.cwe) addAt(classCounts, classIndex.get(cwe) as number, 1 / doc.cwe.length);
    const power = options.classWeightPower ?? 1;
    const docWeights = labelled.map(
      (doc) => doc.cwe.reduce((s, cwe) => s + (classCounts[classIndex.get(cwe) as number] as number) ** -power, 0) / doc.cwe.length,
    );
    const meanWeight = docWeights.reduce((a, b) => a + b, 0) / docWeights.length;

    const rate = options.learningRate ?? 0.005;
    const l2 = options.l2 ?? 1e-5;
    const optimizers = {
      embedding: new Adam(params.embedding, rate, l2),
      kernel: new Adam(params.kernel, rate, l2),
      kernelBias: new Adam(params.kernelBias, rate, 0),
      output: new Adam(params.output, rate, l2),
      outputBias: new Adam(params.outputBias, rate, 0),
    };
    const gradients: Parameters = {
      embedding: new Float32Array(params.embedding.length),
      kernel: new Float32Array(params.kernel.length),
      kernelBias: new Float32Array(filters),
      output: new Float32Array(params.output.length),
      outputBias: new Float32Array(classes.length),
    };
    const dropout = options.dropout ?? 0.3;
    const batchSize = options.batchSize ?? 32;
    const order = labelled.map((_, i) => i);
    const keep = new Float32Array(filters);
    const dPooled = new Float32Array(filters);

    for (let epoch = 0; epoch < (options.epochs ?? 8); epoch += 1) {
      for (let i = order.length - 1; i > 0; i -= 1) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      for (let start = 0; start < order.length; start += batchSize) {
        const batch = order.slice(start, start + batchSize);
        for (const gradient of Object.values(gradients) as Float32Array[]) gradient.fill(0);
        for (const i of batch) {
          const sequence = ids[i] as Int32Array;
          for (let f = 0; f < filters; f += 1) keep[f] = random() < dropout ? 0 : 1 / (1 - dropout);
          const { pooled, argmax, probabilities } = forward(sequence, params, shape, keep);
          const doc = labelled[i] as LabelledCode;
          for (const cwe of doc.cwe) addAt(probabilities, classIndex.get(cwe) as number, -(1 / doc.cwe.length));
          const scale = (docWeights[i] as number) / meanWeight / batch.length;
          dPooled.fill(0);
          for (let c = 0; c < classes.length; c += 1) {
            const delta = (probabilities[c] as number) * scale;
            addAt(gradients.outputBias, c, delta);
            for (let f = 0; f < filters; f += 1) {
              addAt(gradients.output, c * filters + f, delta * (pooled[f] as number));
              addAt(dPooled, f, delta * (params.output[c * filters + f] as number));
            }
          }
          for (let f = 0; f < filters; f += 1) {
            const t = argmax[f] as number;
            if (t < 0 || keep[f] === 0) continue;
            const d = (dPooled[f] as number) * (keep[f] as number);
            addAt(gradients.kernelBias, f, d);
            for (let j = 0; j < width; j += 1) {
              const id = t + j < sequence.length ? (sequence[t + j] as number) : PAD;
              for (let k = 0; k < dim; k += 1) {
                const w = f * span + j * dim + k;
                addAt(gradients.kernel, w, d * (params.embedding[id * dim + k] as number));
                if (id !== PAD) addAt(gradients.embedding, id * dim + k, d * (params.kernel[w] as number));
              }
            }
          }
        }
        for (const name of Object.keys(optimizers) as (keyof Parameters)[]) optimizers[name].apply(gradients[name]);
      }
    }
    return new SequenceClassifier({
      classes,
      vocabulary,
      embeddingDim: dim,
      filters,
      width,
      maxTokens,
      embedding: Array.from(params.embedding),
      kernel: Array.from(params.kernel),
      kernelBias: Array.from(params.kernelBias),
      output: Array.from(params.output),
      outputBias: Array.from(params.outputBias),
    });
  }

  predict(code: string): Float64Array {
    const ids = Int32Array.from(lexemes(code, this.model.maxTokens), (lexeme) => this.termIndex.get(lexeme) ?? UNKNOWN);
    return forward(ids, this.params, this.shape).probabilities;
  }
}
