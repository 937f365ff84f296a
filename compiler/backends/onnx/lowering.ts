import { dimAttr, numberAttr, shapeAttr } from '../../ir/attrs.ts';
import type { Node } from '../../ir/node.ts';
import type { Dim } from '../../ir/shape.ts';
import type { GraphOpName } from '../../ops/registry.ts';
import { fillValue, type GraphEmitter } from './graph-emitter.ts';

/**
 * How each IR op becomes ONNX nodes (opset 18, float32). `lower` gets the names of the input values
 * and returns the name of the node's value. Inputs, host ops and their selectors are not here
 * (registry.ts, GraphOpName): the executor feeds inputs and runs host ops between graphs (stages.ts).
 */
export type OnnxLowering = (e: GraphEmitter, inputs: readonly string[], node: Node) => string;

const FLOAT = 1;
const INT64 = 7;

/**
 * x != x, as a boolean tensor: 1 where x is NaN. ONNX's IsNaN (like its Sign) has no kernel in
 * ORT's WebGPU provider, which would run it on the CPU between copies; comparisons run on the GPU.
 */
function isNan(e: GraphEmitter, x: string): string {
  return e.op('Not', [e.op('Equal', [x, x])]);
}

/** A boolean tensor as 0/1 floats. */
function asFloat(e: GraphEmitter, condition: string): string {
  return e.op('Cast', [condition], { to: { int: FLOAT } });
}

function one(op: string): OnnxLowering {
  return (e, inputs) => e.op(op, inputs);
}

/**
 * Ids stored as floats -> int64, rounded half up as the reference kernels (Math.round) round them:
 * floor(x + 0.5). ONNX's Round rounds half to even, which would send 2.5 to row 2, not 3.
 */
function rowIndices(e: GraphEmitter, ids: string): string {
  return e.op('Cast', [e.op('Floor', [e.op('Add', [ids, e.scalar(0.5)])])], { to: { int: INT64 } });
}

/**
 * `base` (zeros[rows, width] when absent) with values[i] added into row ids[i], duplicates summed.
 * ScatterND's reduction accumulates into its data input, so a sum of scatters is one chain.
 */
function scatterRows(e: GraphEmitter, values: string, ids: string, rows: Dim, width: Dim, base?: string): string {
  const data = base ?? e.op('ConstantOfShape', [e.shape([rows, width])], { value: fillValue(0) });
  const indices = e.op('Unsqueeze', [rowIndices(e, ids), e.ints([1])]);
  return e.op('ScatterND', [data, indices, values], { reduction: { string: 'add' } });
}

/**
 * `base + node` for a `scatter_add` or `segment_pool` node, scattering straight into `base`: no
 * zero-filled table and no table-sized addition (the gradient of an embedding table used at two
 * time slots is such a sum). `inputs` are the scatter node's input names.
 */
export function scatterInto(e: GraphEmitter, inputs: readonly string[], node: Node, base: string): string {
  const rows = dimAttr(node.attrs, 'rows');
  if (node.op === 'scatter_add') return scatterRows(e, inputs[0], inputs[1], rows, node.shape[1], base);
  if (node.op !== 'segment_pool') throw new TypeError(`scatterInto: '${node.op}' is not a scatter`);
  const [table, ids, weights, rowIds] = inputs;
  return scatterRows(e, pooledValues(e, table, ids, weights), rowIds, rows, node.shape[1], base);
}

/** weights[i] · table[ids[i]], the rows a segment_pool sums. */
function pooledValues(e: GraphEmitter, table: string, ids: string, weights: string): string {
  const looked = e.op('Gather', [table, rowIndices(e, ids)], { axis: { int: 0 } });
  return e.op('Mul', [looked, e.op('Unsqueeze', [weights, e.ints([1])])]);
}

function reduce(op: string, axes?: number): OnnxLowering {
  return (e, [x], node) => {
    if (node.inputs[0].shape.length === 0) return e.op('Identity', [x]);
    const axisInput = axes === undefined ? [] : [e.ints([axes])];
    return e.op(op, [x, ...axisInput], { keepdims: { int: 0 } });
  };
}

export const onnxLowering = {
  const: (e, _inputs, node) => {
    const value = numberAttr(node.attrs, 'value');
    const shape = shapeAttr(node.attrs);
    return shape.length === 0 ? e.scalar(value) : e.op('ConstantOfShape', [e.shape(shape)], { value: fillValue(value) });
  },
  eye: (e, _inputs, node) => {
    // Not EyeLike: ORT's WebGPU provider has no kernel for it, and with a symbolic n nothing folds
    // it away. The identity is the row [1, 0 x n] repeated n times and cut to n*n values (row k
    // then starts at k*(n+1)): Concat, Expand, Slice and Reshape run on every provider.
    const n = dimAttr(node.attrs, 'n');
    const row = e.op('Concat', [e.op('Reshape', [e.scalar(1), e.ints([1])]), e.op('ConstantOfShape', [e.dim(n)], { value: fillValue(0) })], { axis: { int: 0 } });
    const rows = e.op('Expand', [row, e.op('Concat', [e.dim(n), e.dimArith('Add', n, 1)], { axis: { int: 0 } })]);
    const flat = e.op('Slice', [e.op('Reshape', [rows, e.ints([-1])]), e.ints([0]), e.dimArith('Mul', n, n), e.ints([0])]);
    return e.op('Reshape', [flat, e.shape([n, n])]);
  },
  dimsize: (e, _inputs, node) => e.op('Reshape', [e.op('Cast', [e.dim(dimAttr(node.attrs, 'dim'))], { to: { int: FLOAT } }), e.ints([])]),

  neg: one('Neg'),
  exp: one('Exp'),
  log: one('Log'),
  // ONNX has no Log1p, and Log(1 + x) loses the digits of a small x to the rounding of 1 + x.
  // Goldberg's correction: with u = 1 + x rounded, log(u)·x/(u − 1) is accurate to a few ulps.
  // Where u − 1 = x exactly (x = ±∞ and −1 included), log(u) is; where u = 1, x is.
  log1p: (e, [x]) => {
    const u = e.op('Add', [x, e.scalar(1)]);
    const d = e.op('Sub', [u, e.scalar(1)]);
    const log = e.op('Log', [u]);
    const corrected = e.op('Where', [e.op('Equal', [d, e.scalar(0)]), x, e.op('Mul', [log, e.op('Div', [x, d])])]);
    return e.op('Where', [e.op('Equal', [d, x]), log, corrected]);
  },
  sqrt: one('Sqrt'),
  abs: one('Abs'),
  square: (e, [x]) => e.op('Mul', [x, x]),
  relu: one('Relu'),
  softplus: one('Softplus'),
  sigmoid: one('Sigmoid'),
  tanh: one('Tanh'),
  // (x > 0) - (x < 0), written with comparisons for the WebGPU provider (isNan); NaN stays NaN.
  sign: (e, [x]) => e.op('Where', [isNan(e, x), x, e.op('Sub', [asFloat(e, e.op('Greater', [x, e.scalar(0)])), asFloat(e, e.op('Less', [x, e.scalar(0)]))])]),
  // 1 where x > 0, else 0; NaN stays NaN as in the reference kernel.
  step: (e, [x]) => e.op('Where', [isNan(e, x), x, asFloat(e, e.op('Greater', [x, e.scalar(0)]))]),
  stop_gradient: one('Identity'),

  add: one('Add'),
  sub: one('Sub'),
  mul: one('Mul'),
  div: one('Div'),
  pow: one('Pow'),
  maximum: one('Max'),
  minimum: one('Min'),
  eq: (e, inputs) => e.op('Cast', [e.op('Equal', inputs)], { to: { int: FLOAT } }),

  // Columns first: ORT sums all entries into one float32 running total, which over an n×d matrix
  // grows until its rounding swallows most terms (1.3e-3 off at 65536×256, enough to turn the card's
  // balance term negative); column sums keep every running total below n terms.
  sum: (e, [x], node) => (node.inputs[0].shape.length === 2 ? e.op('ReduceSum', [e.op('ReduceSum', [x, e.ints([0])], { keepdims: { int: 0 } })], { keepdims: { int: 0 } }) : reduce('ReduceSum')(e, [x], node)),
  max: reduce('ReduceMax'),
  min: reduce('ReduceMin'),
  sum_rows: reduce('ReduceSum', 0),
  sum_cols: reduce('ReduceSum', 1),

  broadcast: (e, [x], node) => (node.shape.length === 0 ? e.op('Identity', [x]) : e.op('Expand', [x, e.shape(shapeAttr(node.attrs))])),
  bcast_rows: (e, [v], node) => e.op('Expand', [v, e.shape(node.shape)]),
  bcast_cols: (e, [v], node) => e.op('Expand', [e.op('Unsqueeze', [v, e.ints([1])]), e.shape(node.shape)]),

  matmul: one('MatMul'),
  transpose: (e, [x]) => e.op('Transpose', [x], { perm: { ints: [1, 0] } }),
  // Every (k+1)-th entry of the flattened matrix: no products with an identity, so an infinite
  // off-diagonal entry cannot make the diagonal NaN.
  diag: (e, [m], node) => {
    const k = node.shape[0];
    const flat = e.op('Reshape', [m, e.ints([-1])]);
    return e.op('Slice', [flat, e.ints([0]), e.dimArith('Mul', k, k), e.ints([0]), e.dimArith('Add', k, 1)]);
  },
  // Rows [v_i, 0 x k] flattened put v_i at i(k+1); the first k² entries are diag(v), exactly.
  diag_embed: (e, [v], node) => {
    const k = node.shape[0];
    const column = e.op('Unsqueeze', [v, e.ints([1])]);
    const pads = e.op('Concat', [e.ints([0, 0, 0]), e.dim(k)], { axis: { int: 0 } });
    const wide = e.op('Reshape', [e.op('Pad', [column, pads]), e.ints([-1])]);
    const square = e.op('Slice', [wide, e.ints([0]), e.dimArith('Mul', k, k), e.ints([0])]);
    return e.op('Reshape', [square, e.shape([k, k])]);
  },

  pad: (e, [v], node) => {
    const extra = e.dimArith('Sub', dimAttr(node.attrs, 'length'), node.inputs[0].shape[0]);
    return e.op('Pad', [v, e.op('Concat', [e.ints([0]), extra], { axis: { int: 0 } })]);
  },
  slice: (e, [v], node) => e.op('Slice', [v, e.ints([0]), e.dim(dimAttr(node.attrs, 'length')), e.ints([0])]),

  gather: (e, [table, ids]) => e.op('Gather', [table, rowIndices(e, ids)], { axis: { int: 0 } }),
  scatter_add: (e, [values, ids], node) => scatterRows(e, values, ids, dimAttr(node.attrs, 'rows'), node.shape[1]),
  // gather, scale, scatter: ONNX has no fused segment sum; the [m, e] intermediate stays inside the graph.
  segment_pool: (e, [table, ids, weights, rows], node) =>
    scatterRows(e, pooledValues(e, table, ids, weights), rows, dimAttr(node.attrs, 'rows'), node.shape[1]),
} satisfies Record<GraphOpName, OnnxLowering>;

export const onnxLowerings: Readonly<Record<GraphOpName, OnnxLowering>> = onnxLowering;
