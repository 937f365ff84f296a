import * as tf from '@tensorflow/tfjs-core';
import { hostRowIds } from '../host-row-ids.ts';
import { dimAttr, numberAttr, shapeAttr } from '../../../compiler/ir/attrs.ts';
import type { Attrs, Node } from '../../../compiler/ir/node.ts';
import type { Dim } from '../../../compiler/ir/shape.ts';
import { OP_NAMES, runsOnHost, selectedPart, type HostOpName, type OpName, type SelectorOpName } from '../../../compiler/ops/registry.ts';
import { hostKernels } from '../host/host-kernels.ts';

/** What a node computes to on tfjs: a tensor, or for a host op (`eigh`) the tuple of its parts. */
export type TfValue = tf.Tensor | readonly tf.Tensor[];

/** What a lowering may ask of the run it is part of. */
export interface LoweringContext {
  /** The number a (possibly symbolic) dimension is bound to in this run. */
  dim(dim: Dim): number;
  /** The tensor given for the program input `name`. */
  input(name: string): tf.Tensor;
}

/**
 * How one IR op runs on TensorFlow.js. `kernels` names every tfjs kernel that `lower` may run
 * (directly or through tfjs-core's composite ops), so that a program can be checked against a
 * backend's kernel registry before any work is done; a test records the kernels each lowering
 * really runs and checks they are declared. `lower` may return one of its inputs unchanged (an
 * alias): the executor counts holders, not nodes, before disposing.
 */
export interface TfjsLowering {
  readonly kernels: readonly string[];
  readonly lower: (inputs: readonly TfValue[], attrs: Attrs, ctx: LoweringContext, node: Node) => TfValue;
}

function tensor(value: TfValue): tf.Tensor {
  if (Array.isArray(value)) throw new TypeError('tfjs lowering: expected a tensor, got a tuple');
  return value as tf.Tensor;
}

function tuple(value: TfValue): readonly tf.Tensor[] {
  if (!Array.isArray(value)) throw new TypeError('tfjs lowering: expected the tuple of a host op');
  return value;
}

/** Backends whose tensors live in host memory, where reading a tensor costs a copy at most. */
const HOST_MEMORY_BACKENDS = new Set(['wasm', 'cpu']);

/** Sums over more entries than this run in two stages (see `sum`). */
const TWO_STAGE_SUM_FROM = 4096;

function rowIds(op: string, ids: tf.Tensor, rows: number): Int32Array {
  return hostRowIds(op, ids.dataSync(), rows);
}

/**
 * out[to[i]] += scale[i] · source[from[i]] for every entry i, rows of `width` floats. Unrolled by
 * eight: V8 keeps the scalar loop's bounds checks and induction per element, and the unrolled
 * loop takes about 60% of its time (1.2 against 2.0 ms for 10,000 rows of 128).
 */
function addScaledRows(out: Float32Array, source: Float32Array, width: number, from: Int32Array, scale: Float32Array, to: Int32Array): void {
  const unrolled = width - (width % 8);
  for (let i = 0; i < from.length; i++) {
    const s = from[i] * width;
    const d = to[i] * width;
    const w = scale[i];
    let j = 0;
    for (; j < unrolled; j += 8) {
      out[d + j] += w * source[s + j];
      out[d + j + 1] += w * source[s + j + 1];
      out[d + j + 2] += w * source[s + j + 2];
      out[d + j + 3] += w * source[s + j + 3];
      out[d + j + 4] += w * source[s + j + 4];
      out[d + j + 5] += w * source[s + j + 5];
      out[d + j + 6] += w * source[s + j + 6];
      out[d + j + 7] += w * source[s + j + 7];
    }
    for (; j < width; j++) out[d + j] += w * source[s + j];
  }
}

/** An op that is one tfjs call on its tensor inputs. */
function direct(kernel: string, f: (...xs: tf.Tensor[]) => tf.Tensor): TfjsLowering {
  return { kernels: [kernel], lower: (inputs) => f(...inputs.map(tensor)) };
}

/**
 * Every IR op on TensorFlow.js. Binary elementwise ops rely on tfjs broadcasting a rank-0 operand;
 * matmul never uses the transpose flags (the IR has explicit `transpose` nodes, and the wasm
 * backend is 10-40x slower with the flags). Host ops and their selectors are not here (hostSide).
 */
const graphLowering = {
  input: { kernels: [], lower: (_inputs, attrs, ctx) => ctx.input(String(attrs.name)) },
  const: {
    kernels: [tf.Fill],
    lower: (_inputs, attrs, ctx) => {
      const shape = shapeAttr(attrs).map((d) => ctx.dim(d));
      const value = numberAttr(attrs, 'value');
      return shape.length === 0 ? tf.scalar(value, 'float32') : tf.fill(shape, value, 'float32');
    },
  },
  // diag(ones) builds the matrix on the device; tf.eye fills an n x n buffer on the host.
  eye: {
    kernels: [tf.Fill, tf.Diag],
    lower: (_inputs, attrs, ctx) => tf.tidy(() => tf.diag(tf.ones([ctx.dim(dimAttr(attrs, 'n'))]))),
  },
  dimsize: { kernels: [], lower: (_inputs, attrs, ctx) => tf.scalar(ctx.dim(dimAttr(attrs, 'dim')), 'float32') },

  neg: direct(tf.Neg, tf.neg),
  exp: direct(tf.Exp, tf.exp),
  log: direct(tf.Log, tf.log),
  // tfjs-wasm's Log1p is log(1 + x) in float32, which loses a small x's digits (39% off at 1e-6):
  // Goldberg's correction, as in the ONNX lowering (compiler/backends/onnx/lowering.ts).
  log1p: {
    kernels: [tf.Add, tf.Sub, tf.Log, tf.Equal, tf.Select, tf.Multiply, tf.RealDiv],
    lower: ([v]) =>
      tf.tidy(() => {
        const x = tensor(v);
        const u = tf.add(x, 1);
        const d = tf.sub(u, 1);
        const log = tf.log(u);
        return tf.where(tf.equal(d, x), log, tf.where(tf.equal(d, 0), x, tf.mul(log, tf.div(x, d))));
      }),
  },
  sqrt: direct(tf.Sqrt, tf.sqrt),
  abs: direct(tf.Abs, tf.abs),
  square: direct(tf.Square, tf.square),
  relu: direct(tf.Relu, tf.relu),
  softplus: direct(tf.Softplus, tf.softplus),
  sigmoid: direct(tf.Sigmoid, tf.sigmoid),
  tanh: direct(tf.Tanh, tf.tanh),
  sign: direct(tf.Sign, tf.sign),
  step: direct(tf.Step, (x) => tf.step(x, 0)),
  // Identity in value: the executor keeps the input's tensor alive while this node holds it.
  stop_gradient: { kernels: [], lower: ([x]) => tensor(x) },

  add: direct(tf.Add, tf.add),
  sub: direct(tf.Sub, tf.sub),
  mul: direct(tf.Multiply, tf.mul),
  div: direct(tf.RealDiv, tf.div),
  pow: direct(tf.Pow, tf.pow),
  maximum: direct(tf.Maximum, tf.maximum),
  minimum: direct(tf.Minimum, tf.minimum),
  eq: {
    kernels: [tf.Equal, tf.Cast],
    lower: (inputs) =>
      tf.tidy(() => {
        const [a, b] = inputs.map(tensor);
        return tf.cast(tf.equal(a, b), 'float32');
      }),
  },

  // Two stages (rows of about √N, then their sums): the wasm kernel adds one value after another
  // in float32, which loses 1e-4 relative over 1e5 entries; two stages keep it near 1e-7.
  sum: {
    kernels: [tf.Sum, tf.PadV2, tf.Reshape],
    lower: ([v]) => {
      const x = tensor(v);
      if (x.size <= TWO_STAGE_SUM_FROM) return tf.sum(x);
      return tf.tidy(() => {
        const width = Math.ceil(Math.sqrt(x.size));
        const rows = Math.ceil(x.size / width);
        const flat = tf.pad(tf.reshape(x, [x.size]), [[0, rows * width - x.size]]);
        return tf.sum(tf.sum(tf.reshape(flat, [rows, width]), 1));
      });
    },
  },
  max: direct(tf.Max, (x) => tf.max(x)),
  min: direct(tf.Min, (x) => tf.min(x)),
  // ones[1, r] @ M: tfjs reduces a non-innermost axis by transposing first, 100x slower on wasm
  // (10 ms against 0.1 ms at 4096 x 256) and 10x on cpu.
  sum_rows: {
    kernels: [tf.Fill, tf.BatchMatMul, tf.Reshape],
    lower: ([m]) =>
      tf.tidy(() => {
        const [r, c] = tensor(m).shape;
        return tf.reshape(tf.matMul(tf.ones([1, r]), tensor(m)), [c]);
      }),
  },
  sum_cols: direct(tf.Sum, (x) => tf.sum(x, 1)),

  // Broadcasts are outer products with ones (exact: one product per entry) or a multiplication
  // of ones: tfjs's Tile kernel is 300x slower on wasm (45 ms against 0.15 ms at 4096 x 256).
  broadcast: {
    kernels: [tf.Fill, tf.Multiply],
    lower: ([x], attrs, ctx) => {
      const shape = shapeAttr(attrs).map((d) => ctx.dim(d));
      return shape.length === 0 ? tensor(x) : tf.tidy(() => tf.mul(tf.ones(shape), tensor(x)));
    },
  },
  bcast_rows: {
    kernels: [tf.Fill, tf.Reshape, tf.BatchMatMul],
    lower: ([v], attrs, ctx) =>
      tf.tidy(() => {
        const x = tensor(v);
        return tf.matMul(tf.ones([ctx.dim(dimAttr(attrs, 'rows')), 1]), tf.reshape(x, [1, x.size]));
      }),
  },
  bcast_cols: {
    kernels: [tf.Fill, tf.Reshape, tf.BatchMatMul],
    lower: ([v], attrs, ctx) =>
      tf.tidy(() => {
        const x = tensor(v);
        return tf.matMul(tf.reshape(x, [x.size, 1]), tf.ones([1, ctx.dim(dimAttr(attrs, 'cols'))]));
      }),
  },

  matmul: direct(tf.BatchMatMul, (a, b) => tf.matMul(a, b)),
  transpose: direct(tf.Transpose, (x) => tf.transpose(x)),
  // The diagonal is every (k+1)-th entry of the flattened matrix: no products with an identity,
  // so an infinite off-diagonal entry cannot turn the diagonal into NaN.
  diag: {
    kernels: [tf.Reshape, tf.StridedSlice],
    lower: ([m]) =>
      tf.tidy(() => {
        const x = tensor(m);
        const k = x.shape[0];
        return tf.stridedSlice(tf.reshape(x, [k * k]), [0], [k * k], [k + 1]);
      }),
  },
  diag_embed: direct(tf.Diag, tf.diag),

  pad: {
    kernels: [tf.PadV2],
    lower: ([v], attrs, ctx) => {
      const x = tensor(v);
      return tf.pad(x, [[0, ctx.dim(dimAttr(attrs, 'length')) - x.size]]);
    },
  },
  slice: {
    kernels: [tf.Slice, tf.Identity],
    lower: ([v], attrs, ctx) => tf.slice(tensor(v), [0], [ctx.dim(dimAttr(attrs, 'length'))]),
  },

  // On the host-memory backends rows are copied on the host: tfjs-wasm's GatherV2 takes about
  // 80 ms for 10,000 rows of 128 where a copy takes 2 ms (npm run bench:train). Device backends
  // keep the kernel, which avoids a round trip through host memory.
  gather: {
    kernels: [tf.GatherV2],
    lower: ([table, ids]) => {
      const t = tensor(table);
      const rows = rowIds('gather', tensor(ids), t.shape[0]);
      if (!HOST_MEMORY_BACKENDS.has(tf.getBackend())) {
        return tf.tidy(() => tf.gather(t, tf.tensor1d(rows, 'int32')));
      }
      const width = t.shape[1]!;
      const source = t.dataSync() as Float32Array;
      const out = new Float32Array(rows.length * width);
      for (let i = 0; i < rows.length; i++) out.set(source.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
      return tf.tensor2d(out, [rows.length, width]);
    },
  },
  // ScatterNd sums duplicate indices. Not UnsortedSegmentSum: the wasm backend lacks it, and one
  // lowering per op keeps the declared kernels true on every backend (ScatterNd is on all).
  scatter_add: {
    kernels: [tf.ScatterNd],
    lower: ([values, ids], attrs, ctx, node) =>
      tf.tidy(() => {
        const v = tensor(values);
        const rows = ctx.dim(dimAttr(attrs, 'rows'));
        const indices = tf.tensor2d(rowIds('scatter_add', tensor(ids), rows), [v.shape[0], 1], 'int32');
        return tf.scatterND(indices, v, [rows, ctx.dim(node.shape[1])]);
      }),
  },
  // On the host-memory backends one pass over the entries on the host: read the four inputs,
  // accumulate weights[i] * table[ids[i]] into row rows[i] of a Float32Array, upload it once; no
  // [m, e] intermediate. In npm run bench:train (4 poolings of 10,000 rows of 128 per step) this
  // takes 8 ms where the gather / mul / scatter_add composition took about 13. Device backends
  // run that composition, as one tidy.
  segment_pool: {
    kernels: [tf.GatherV2, tf.Reshape, tf.Multiply, tf.ScatterNd],
    lower: ([table, ids, weights, rows], attrs, ctx) => {
      const t = tensor(table);
      const [tableRows, width] = t.shape as [number, number];
      const buckets = ctx.dim(dimAttr(attrs, 'rows'));
      const from = rowIds('segment_pool (ids)', tensor(ids), tableRows);
      const to = rowIds('segment_pool (rows)', tensor(rows), buckets);
      const w = tensor(weights);
      if (!HOST_MEMORY_BACKENDS.has(tf.getBackend())) {
        return tf.tidy(() => {
          const scaled = tf.mul(tf.gather(t, tf.tensor1d(from, 'int32')), tf.reshape(w, [from.length, 1]));
          return tf.scatterND(tf.tensor2d(to, [to.length, 1], 'int32'), scaled, [buckets, width]);
        });
      }
      const out = new Float32Array(buckets * width);
      addScaledRows(out, t.dataSync() as Float32Array, width, from, w.dataSync() as Float32Array, to);
      return tf.tensor2d(out, [buckets, width]);
    },
  },
} satisfies Record<Exclude<OpName, HostOpName | SelectorOpName>, TfjsLowering>;

/**
 * Host ops read their (small) inputs back, run their host kernel in float64 (host-kernels.ts) and
 * upload the parts; selectors pick a part (facts.selectsPart). Built from the ops' facts, so a new
 * host op needs no row here.
 */
function hostSide(): Record<HostOpName | SelectorOpName, TfjsLowering> {
  const rows: Partial<Record<HostOpName | SelectorOpName, TfjsLowering>> = {};
  for (const op of OP_NAMES) {
    const part = selectedPart(op);
    if (runsOnHost(op)) {
      const kernel = hostKernels[op];
      rows[op] = {
        kernels: [],
        lower: (inputs) => kernel(inputs.map(tensor).map((t) => ({ shape: t.shape, data: t.dataSync() as Float32Array }))).map((p) => tf.tensor(p.data, [...p.shape], 'float32')),
      };
    } else if (part !== undefined) {
      rows[op as SelectorOpName] = { kernels: [], lower: ([value]) => tuple(value)[part] };
    }
  }
  return rows as Record<HostOpName | SelectorOpName, TfjsLowering>;
}

/** Every IR op on TensorFlow.js (inputs included: the caller's tensors). */
export const tfjsLowerings: Readonly<Record<OpName, TfjsLowering>> = { ...graphLowering, ...hostSide() };
