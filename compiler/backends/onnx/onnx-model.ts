import { ProtoWriter } from './protobuf.ts';

/**
 * An ONNX model in memory and its serialisation (onnx.proto, written with ProtoWriter): only the
 * parts dflc emits (one graph of float32 and int64 tensors, default-domain ops).
 */

export type ElemType = 'float' | 'int64';

export interface OnnxTensor {
  readonly name: string;
  readonly type: ElemType;
  readonly dims: readonly number[];
  readonly data: Float32Array | BigInt64Array;
}

export type OnnxAttr =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly ints: readonly number[] }
  | { readonly string: string }
  | { readonly tensor: OnnxTensor };

export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs?: Readonly<Record<string, OnnxAttr>>;
  /** The IR node it was lowered from (`<op>#<id>`), written into the node's name. */
  readonly from?: string;
}

/** A graph input or output: symbolic dimensions are `dim_param`s. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly type: ElemType;
  readonly shape: readonly (number | string)[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly initializers: readonly OnnxTensor[];
}

/** Opset 18: ScatterND's `reduction` (16) and the reductions' `axes` as an input (18). */
export const ONNX_OPSET = 18;
/** The IR version that goes with opset 18. */
const IR_VERSION = 8;

// onnx.proto field numbers.
const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 };
const DATA_TYPE: Record<ElemType, number> = { float: 1, int64: 7 };
const ATTR = { name: 1, f: 2, i: 3, s: 4, t: 5, ints: 8, type: 20 };
const ATTR_TYPE = { float: 1, int: 2, string: 3, tensor: 4, ints: 7 };
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 };
const VALUE_INFO = { name: 1, type: 2 };
const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 };
const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, graph: 7, opsetImport: 8 };

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  w.packedInts(TENSOR.dims, t.dims);
  w.int(TENSOR.dataType, DATA_TYPE[t.type]);
  if (t.name !== '') w.string(TENSOR.name, t.name);
  // raw_data is little-endian, as typed arrays are on every platform Node supports.
  w.bytesField(TENSOR.rawData, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

function writeAttr(w: ProtoWriter, name: string, attr: OnnxAttr): void {
  w.string(ATTR.name, name);
  if ('int' in attr) w.int(ATTR.type, ATTR_TYPE.int).int(ATTR.i, attr.int);
  else if ('float' in attr) w.int(ATTR.type, ATTR_TYPE.float).float(ATTR.f, attr.float);
  else if ('ints' in attr) w.int(ATTR.type, ATTR_TYPE.ints).packedInts(ATTR.ints, attr.ints);
  else if ('string' in attr) w.int(ATTR.type, ATTR_TYPE.string).string(ATTR.s, attr.string);
  else w.int(ATTR.type, ATTR_TYPE.tensor).message(ATTR.t, (t) => writeTensor(t, attr.tensor));
}

function writeValueInfo(w: ProtoWriter, info: OnnxValueInfo): void {
  w.string(VALUE_INFO.name, info.name);
  // TypeProto.tensor_type(1) { elem_type(1), shape(2) { dim(1) { dim_value(1) | dim_param(2) } } }
  w.message(VALUE_INFO.type, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, DATA_TYPE[info.type]);
      tensor.message(2, (shape) => {
        for (const dim of info.shape) shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
      });
    }),
  );
}

export function encodeModel(graph: OnnxGraph): Uint8Array {
  const w = new ProtoWriter();
  w.int(MODEL.irVersion, IR_VERSION);
  w.string(MODEL.producerName, 'dflc');
  w.string(MODEL.producerVersion, '0.1');
  w.message(MODEL.opsetImport, (o) => o.string(1, '').int(2, ONNX_OPSET));
  w.message(MODEL.graph, (g) => {
    graph.nodes.forEach((node, i) =>
      g.message(GRAPH.node, (n) => {
        for (const input of node.inputs) n.string(NODE.input, input);
        for (const output of node.outputs) n.string(NODE.output, output);
        n.string(NODE.name, `n${i}_${node.op}${node.from === undefined ? '' : `:${node.from}`}`);
        n.string(NODE.opType, node.op);
        for (const [name, attr] of Object.entries(node.attrs ?? {})) n.message(NODE.attribute, (a) => writeAttr(a, name, attr));
      }),
    );
    g.string(GRAPH.name, graph.name);
    for (const t of graph.initializers) g.message(GRAPH.initializer, (m) => writeTensor(m, t));
    for (const info of graph.inputs) g.message(GRAPH.input, (m) => writeValueInfo(m, info));
    for (const info of graph.outputs) g.message(GRAPH.output, (m) => writeValueInfo(m, info));
  });
  return w.finish();
}
