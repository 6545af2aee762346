// Writes small ONNX models from plain objects, so tests and tools can build real models that
// onnxruntime runs without a Python exporter in the loop.
import onnxProto from 'onnx-proto';
import type { onnx as Proto } from 'onnx-proto';

// onnx-proto is CommonJS assigning `module.exports`, which Node cannot expose as a named ESM export.
const { onnx } = onnxProto;

export type OnnxElementType = 'float32' | 'int64' | 'int32';

export interface OnnxTensor {
  name: string;
  type: OnnxElementType;
  dims: number[];
  data: Float32Array | BigInt64Array | Int32Array;
}

export type OnnxAttribute = { int: number } | { ints: number[] } | { float: number } | { floats: number[] } | { string: string };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attributes?: Record<string, OnnxAttribute>;
}

/** A graph input or output; a string dimension is symbolic (e.g. 'batch'). */
export interface OnnxValueInfo {
  name: string;
  type: OnnxElementType;
  shape: (number | string)[];
}

export interface OnnxGraphSpec {
  name?: string;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers: OnnxTensor[];
  nodes: OnnxNode[];
  /** Default-domain opset; 17 unless given. */
  opset?: number;
  producer?: string;
  metadata?: Record<string, string>;
}

const IR_VERSION = 8;
const DEFAULT_OPSET = 17;

const DataType = onnx.TensorProto.DataType;
const ELEMENT_TYPES: Record<OnnxElementType, { code: number; array: new (n: number) => OnnxTensor['data'] }> = {
  float32: { code: DataType.FLOAT, array: Float32Array },
  int64: { code: DataType.INT64, array: BigInt64Array },
  int32: { code: DataType.INT32, array: Int32Array },
};

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Serializes `spec` as an ONNX ModelProto (IR 8), tensor data stored as little-endian `raw_data`. */
export function encodeOnnxModel(spec: OnnxGraphSpec): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: spec.producer ?? 'seccoder',
    opsetImport: [{ domain: '', version: spec.opset ?? DEFAULT_OPSET }],
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: spec.name ?? 'graph',
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
      initializer: spec.initializers.map(tensor),
      node: spec.nodes.map((n, i) => ({
        opType: n.op,
        name: n.name ?? `${n.op}_${i}`,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attributes ?? {}).map(([name, value]) => attribute(name, value)),
      })),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function valueInfo(v: OnnxValueInfo): Proto.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPES[v.type].code,
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function tensor(t: OnnxTensor): Proto.ITensorProto {
  const { code, array } = ELEMENT_TYPES[t.type];
  if (!(t.data instanceof array)) {
    throw new TypeError(`ONNX tensor "${t.name}" is declared ${t.type} but its data is a ${t.data.constructor.name}`);
  }
  const expected = t.dims.reduce((a, b) => a * b, 1);
  if (t.data.length !== expected) {
    throw new RangeError(`ONNX tensor "${t.name}" has ${t.data.length} values but dims [${t.dims.join(', ')}] need ${expected}`);
  }
  return { name: t.name, dataType: code, dims: t.dims, rawData: littleEndianBytes(t.data) };
}

// Initializers can be tens of MB, so on little-endian hosts (all mainstream ones) the existing bytes
// are handed over without a copy; the DataView path only keeps big-endian machines correct.
function littleEndianBytes(data: OnnxTensor['data']): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float32Array) view.setFloat32(i * 4, data[i] ?? 0, true);
    else if (data instanceof Int32Array) view.setInt32(i * 4, data[i] ?? 0, true);
    else view.setBigInt64(i * 8, data[i] ?? 0n, true);
  }
  return out;
}

function attribute(name: string, value: OnnxAttribute): Proto.IAttributeProto {
  const Type = onnx.AttributeProto.AttributeType;
  if ('int' in value) return { name, type: Type.INT, i: value.int };
  if ('ints' in value) return { name, type: Type.INTS, ints: value.ints };
  if ('float' in value) return { name, type: Type.FLOAT, f: value.float };
  if ('floats' in value) return { name, type: Type.FLOATS, floats: value.floats };
  return { name, type: Type.STRING, s: new TextEncoder().encode(value.string) };
}
