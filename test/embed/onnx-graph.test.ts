import { describe, it, expect } from 'vitest';
import onnxProto from 'onnx-proto';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { encodeOnnxModel, type OnnxGraphSpec } from '../../src/embed/onnx-graph.js';

const { onnx } = onnxProto;

// y = LpNormalize(x · W + b) over the last axis.
const W = [
  [1, 2],
  [0, -1],
  [3, 0.5],
];
const B = [0.5, -2];

const affineSpec: OnnxGraphSpec = {
  name: 'affine',
  inputs: [{ name: 'x', type: 'float32', shape: ['batch', 3] }],
  outputs: [
    { name: 'y', type: 'float32', shape: ['batch', 2] },
    { name: 'z', type: 'float32', shape: ['batch', 2] },
  ],
  initializers: [
    { name: 'W', type: 'float32', dims: [3, 2], data: Float32Array.from(W.flat()) },
    { name: 'b', type: 'float32', dims: [2], data: Float32Array.from(B) },
  ],
  nodes: [
    { op: 'MatMul', inputs: ['x', 'W'], outputs: ['xw'] },
    { op: 'Add', inputs: ['xw', 'b'], outputs: ['z'] },
    { op: 'LpNormalization', inputs: ['z'], outputs: ['y'], attributes: { axis: { int: 1 }, p: { int: 2 } } },
  ],
  producer: 'test',
  metadata: { purpose: 'unit test', hidden: '2' },
};

function affine(x: number[]): number[] {
  return B.map((bias, j) => x.reduce((sum, xi, i) => sum + xi * (W[i]?.[j] ?? NaN), bias));
}

describe('encodeOnnxModel', () => {
  it('produces a model onnxruntime runs with the same result as plain JS', async () => {
    const session = await InferenceSession.create(encodeOnnxModel(affineSpec));
    try {
      expect(session.inputNames).toEqual(['x']);
      expect(session.outputNames).toEqual(['y', 'z']);
      const xs = [
        [1, 2, 3],
        [-1, 0.5, 4],
      ];
      const out = await session.run({ x: new Tensor('float32', Float32Array.from(xs.flat()), [2, 3]) });
      expect(out.z?.dims).toEqual([2, 2]);
      expect(out.y?.dims).toEqual([2, 2]);
      xs.forEach((x, row) => {
        const z = affine(x);
        const norm = Math.hypot(...z);
        z.forEach((value, j) => {
          expect((out.z?.data as Float32Array)[row * 2 + j]).toBeCloseTo(value, 5);
          expect((out.y?.data as Float32Array)[row * 2 + j]).toBeCloseTo(value / norm, 5);
        });
      });
    } finally {
      await session.release();
    }
  });

  it('stores int64 and int32 initializers and handles attributes of several kinds', async () => {
    const table = Float32Array.from([0, 1, 10, 11, 20, 21, 30, 31]); // 4 rows × 2
    const session = await InferenceSession.create(
      encodeOnnxModel({
        inputs: [{ name: 'ids', type: 'int64', shape: ['n'] }],
        outputs: [{ name: 'out', type: 'float32', shape: ['n', 2] }],
        initializers: [
          { name: 'table', type: 'float32', dims: [4, 2], data: table },
          { name: 'offset', type: 'int32', dims: [2], data: Int32Array.from([100, -100]) },
          { name: 'shape', type: 'int64', dims: [2], data: BigInt64Array.from([-1n, 2n]) },
        ],
        nodes: [
          { op: 'Gather', inputs: ['table', 'ids'], outputs: ['rows'], attributes: { axis: { int: 0 } } },
          { op: 'Cast', inputs: ['offset'], outputs: ['offset_f'], attributes: { to: { int: onnx.TensorProto.DataType.FLOAT } } },
          { op: 'Add', inputs: ['rows', 'offset_f'], outputs: ['shifted'] },
          { op: 'Reshape', inputs: ['shifted', 'shape'], outputs: ['reshaped'] },
          { op: 'LeakyRelu', inputs: ['reshaped'], outputs: ['out'], attributes: { alpha: { float: 0.5 } } },
        ],
      }),
    );
    try {
      const out = await session.run({ ids: new Tensor('int64', BigInt64Array.from([3n, 0n]), [2]) });
      // Row 3 → [130, -69]; row 0 → [100, -99]; LeakyRelu halves the negatives.
      expect(Array.from(out.out?.data as Float32Array)).toEqual([130, -34.5, 100, -49.5]);
    } finally {
      await session.release();
    }
  });

  it('writes IR 8, the opset, metadata, symbolic dims and little-endian raw_data', () => {
    const bytes = encodeOnnxModel({ ...affineSpec, opset: 13 });
    const model = onnx.ModelProto.decode(bytes);
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    expect(model.producerName).toBe('test');
    expect(model.metadataProps.map((p) => [p.key, p.value])).toEqual([
      ['purpose', 'unit test'],
      ['hidden', '2'],
    ]);
    const dims = model.graph?.input?.[0]?.type?.tensorType?.shape?.dim ?? [];
    expect(dims.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', 3]);

    const w = model.graph?.initializer?.find((t) => t.name === 'W');
    expect(w?.floatData).toEqual([]);
    const raw = w?.rawData ?? new Uint8Array();
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    expect(Array.from({ length: 6 }, (_, i) => view.getFloat32(i * 4, true))).toEqual(W.flat());

    const lp = model.graph?.node?.find((n) => n.opType === 'LpNormalization');
    expect(lp?.attribute?.map((a) => [a.name, Number(a.i)])).toEqual([
      ['axis', 1],
      ['p', 2],
    ]);
  });

  it('defaults to opset 17 and encodes string and list attributes', () => {
    const model = onnx.ModelProto.decode(
      encodeOnnxModel({
        inputs: [{ name: 'x', type: 'float32', shape: [2] }],
        outputs: [{ name: 'y', type: 'float32', shape: [2] }],
        initializers: [],
        nodes: [{ op: 'Custom', inputs: ['x'], outputs: ['y'], attributes: { mode: { string: 'fast' }, ks: { ints: [1, 2] }, fs: { floats: [0.5] } } }],
      }),
    );
    expect(Number(model.opsetImport[0]?.version)).toBe(17);
    const attrs = model.graph?.node?.[0]?.attribute ?? [];
    expect(new TextDecoder().decode(attrs[0]?.s ?? undefined)).toBe('fast');
    expect(attrs[1]?.ints?.map(Number)).toEqual([1, 2]);
    expect(attrs[2]?.floats).toEqual([0.5]);
  });

  it('rejects tensors whose data does not match their dims or type', () => {
    const spec = (data: Float32Array | Int32Array): OnnxGraphSpec => ({
      inputs: [],
      outputs: [],
      nodes: [],
      initializers: [{ name: 't', type: 'float32', dims: [2, 2], data }],
    });
    expect(() => encodeOnnxModel(spec(new Float32Array(3)))).toThrow(/"t" has 3 values but dims \[2, 2\] need 4/);
    expect(() => encodeOnnxModel(spec(new Int32Array(4)))).toThrow(/declared float32/);
  });
});
