// The default embedder as an ONNX graph, so it runs on the same onnxruntime path as pretrained
// models. Input is sparse (term ids and counts per text, padded with a zero-weight id), which
// keeps a query's cost proportional to its distinct terms rather than to the vocabulary.
//
//   w      = idf[ids] · log(1 + counts)        (sublinear TF-IDF)
//   w      = w / ‖w‖
//   vector = Σ_t w_t · components[ids_t]        (LSA projection)
//   vector = vector / ‖vector‖
import { encodeOnnxModel, type OnnxNode } from '../onnx-graph.js';
import type { LsaModel } from './train.js';

export const LSA_INPUT_IDS = 'term_ids';
export const LSA_INPUT_COUNTS = 'term_counts';
export const LSA_OUTPUT = 'embedding';

/** Divides each row of a [batch, n] tensor by its L2 norm. */
function l2NormalizeRows(input: string, output: string, prefix: string): OnnxNode[] {
  return [
    { op: 'Mul', inputs: [input, input], outputs: [`${prefix}_sq`] },
    { op: 'ReduceSum', inputs: [`${prefix}_sq`, 'axis_1'], outputs: [`${prefix}_sum`], attributes: { keepdims: { int: 1 } } },
    { op: 'Sqrt', inputs: [`${prefix}_sum`], outputs: [`${prefix}_norm`] },
    // The epsilon keeps a text with no known term at the zero vector instead of NaN.
    { op: 'Add', inputs: [`${prefix}_norm`, 'epsilon'], outputs: [`${prefix}_safe`] },
    { op: 'Div', inputs: [input, `${prefix}_safe`], outputs: [output] },
  ];
}

/** The padding id: one past the vocabulary, with zero idf and a zero projection row. */
export function paddingId(model: Pick<LsaModel, 'vocabulary'>): number {
  return model.vocabulary.length;
}

export function lsaToOnnx(model: LsaModel, metadata: Record<string, string> = {}): Uint8Array {
  const rows = model.vocabulary.length + 1;
  const idf = new Float32Array(rows);
  idf.set(model.idf);
  const components = new Float32Array(rows * model.dim);
  components.set(model.components);
  return encodeOnnxModel({
    name: 'seccoder-lsa',
    producer: 'seccoder',
    metadata,
    inputs: [
      { name: LSA_INPUT_IDS, type: 'int64', shape: ['batch', 'terms'] },
      { name: LSA_INPUT_COUNTS, type: 'float32', shape: ['batch', 'terms'] },
    ],
    outputs: [{ name: LSA_OUTPUT, type: 'float32', shape: ['batch', model.dim] }],
    initializers: [
      { name: 'idf', type: 'float32', dims: [rows], data: idf },
      { name: 'components', type: 'float32', dims: [rows, model.dim], data: components },
      { name: 'one', type: 'float32', dims: [], data: Float32Array.of(1) },
      { name: 'epsilon', type: 'float32', dims: [], data: Float32Array.of(1e-12) },
      { name: 'axis_1', type: 'int64', dims: [1], data: BigInt64Array.of(1n) },
      { name: 'axis_2', type: 'int64', dims: [1], data: BigInt64Array.of(2n) },
    ],
    nodes: [
      { op: 'Gather', inputs: ['idf', LSA_INPUT_IDS], outputs: ['term_idf'], attributes: { axis: { int: 0 } } },
      { op: 'Add', inputs: [LSA_INPUT_COUNTS, 'one'], outputs: ['counts_plus_one'] },
      { op: 'Log', inputs: ['counts_plus_one'], outputs: ['log_tf'] },
      { op: 'Mul', inputs: ['term_idf', 'log_tf'], outputs: ['tfidf'] },
      ...l2NormalizeRows('tfidf', 'tfidf_unit', 'tfidf'),
      { op: 'Unsqueeze', inputs: ['tfidf_unit', 'axis_2'], outputs: ['term_weight'] },
      { op: 'Gather', inputs: ['components', LSA_INPUT_IDS], outputs: ['term_rows'], attributes: { axis: { int: 0 } } },
      { op: 'Mul', inputs: ['term_rows', 'term_weight'], outputs: ['weighted_rows'] },
      { op: 'ReduceSum', inputs: ['weighted_rows', 'axis_1'], outputs: ['projected'], attributes: { keepdims: { int: 0 } } },
      ...l2NormalizeRows('projected', LSA_OUTPUT, 'projected'),
    ],
  });
}
