import { dimAttr, numberAttr, shapeAttr } from '../../ir/attrs.ts';
import type { Node } from '../../ir/node.ts';
import type { Dim } from '../../ir/shape.ts';
import type { OpName } from '../../ops/registry.ts';
import { numberLiteral } from './identifiers.ts';

/**
 * What one node becomes in a generated module: a TypeScript expression, and who owns its value.
 * - `tensor`: a new tensor the function body owns (disposed after its last use);
 * - `borrowed`: a tensor the caller owns (an input), never disposed by the body;
 * - `host`: a plain JavaScript value (the float64 result of `eigh`), nothing to dispose;
 * - `alias`: the node's value IS the value of its input `input` (no statement is written).
 */
export type TsCode =
  | { readonly kind: 'tensor' | 'borrowed' | 'host'; readonly expr: string }
  | { readonly kind: 'alias'; readonly input: number };

/** The functions of dflc's runtime entry point (runtime/entry.ts) that lowerings may call. */
export type RuntimeHelper = 'hostEigh' | 'rowIds';

/** What a lowering may ask of the module being generated. */
export interface TsContext {
  /** A dimension as an expression: its number, or the local that holds its size at run time. */
  dim(dim: Dim): string;
  /** The expression that reads the program input `name` from the function's argument. */
  input(name: string): string;
  /** A runtime function to call (the module imports the ones used). */
  runtime(helper: RuntimeHelper): string;
}

/**
 * How one op is written as tfjs-core calls. `args` are the expressions (locals) of the node's
 * inputs. The table mirrors the tfjs executor's (../tfjs/lowering.ts) call for call, so that a
 * generated module computes exactly what `runProgramTf` computes; the comments there say why
 * each call is chosen (no transpose flags on matMul, broadcasts as products with ones, ...).
 */
export type TsLowering = (args: readonly string[], node: Node, ctx: TsContext) => TsCode;

const tensor = (expr: string): TsCode => ({ kind: 'tensor', expr });

function shapeList(shape: readonly Dim[], ctx: TsContext): string {
  return `[${shape.map((d) => ctx.dim(d)).join(', ')}]`;
}

/** a·b, folded when both are numbers. */
function product(a: Dim, b: Dim, ctx: TsContext): string {
  return typeof a === 'number' && typeof b === 'number' ? String(a * b) : `${ctx.dim(a)} * ${ctx.dim(b)}`;
}

/** a − b, folded when both are numbers. */
function difference(a: Dim, b: Dim, ctx: TsContext): string {
  return typeof a === 'number' && typeof b === 'number' ? String(a - b) : `${ctx.dim(a)} - ${ctx.dim(b)}`;
}

/** An op that is one tfjs-core function of its inputs, e.g. `tf.exp(x)`. */
function call(fn: string, ...extra: string[]): TsLowering {
  return (args) => tensor(`tf.${fn}(${[...args, ...extra].join(', ')})`);
}

const same: TsLowering = () => ({ kind: 'alias', input: 0 });

/** Every IR op as TypeScript over tfjs-core: a complete table, so a new op fails type checking here. */
export const tsLowering = {
  input: (_args, node, ctx) => ({ kind: 'borrowed', expr: ctx.input(String(node.attrs.name)) }),
  const: (_args, node, ctx) => {
    const shape = shapeAttr(node.attrs);
    const value = numberLiteral(numberAttr(node.attrs, 'value'));
    return tensor(shape.length === 0 ? `tf.scalar(${value})` : `tf.fill(${shapeList(shape, ctx)}, ${value})`);
  },
  eye: (_args, node, ctx) => tensor(`tf.diag(tf.ones([${ctx.dim(dimAttr(node.attrs, 'n'))}]))`),
  dimsize: (_args, node, ctx) => tensor(`tf.scalar(${ctx.dim(dimAttr(node.attrs, 'dim'))})`),

  neg: call('neg'),
  exp: call('exp'),
  log: call('log'),
  // Goldberg's correction, as the tfjs executor computes it (tfjs-wasm's Log1p loses small x).
  log1p: ([x]) =>
    tensor(
      `((x: tf.Tensor) => { const u = tf.add(x, 1); const d = tf.sub(u, 1); const log = tf.log(u); ` +
        `return tf.where(tf.equal(d, x), log, tf.where(tf.equal(d, 0), x, tf.mul(log, tf.div(x, d)))); })(${x})`,
    ),
  sqrt: call('sqrt'),
  abs: call('abs'),
  square: call('square'),
  relu: call('relu'),
  softplus: call('softplus'),
  sigmoid: call('sigmoid'),
  tanh: call('tanh'),
  sign: call('sign'),
  step: call('step', '0'),
  stop_gradient: same,

  add: call('add'),
  sub: call('sub'),
  mul: call('mul'),
  div: call('div'),
  pow: call('pow'),
  maximum: call('maximum'),
  minimum: call('minimum'),
  eq: ([a, b]) => tensor(`tf.cast(tf.equal(${a}, ${b}), 'float32')`),

  sum: call('sum'),
  max: call('max'),
  min: call('min'),
  sum_rows: ([m], node, ctx) => {
    const [rows, cols] = node.inputs[0].shape;
    return tensor(`tf.reshape(tf.matMul(tf.ones([1, ${ctx.dim(rows)}]), ${m}), [${ctx.dim(cols)}])`);
  },
  sum_cols: call('sum', '1'),

  broadcast: ([x], node, ctx) => {
    const shape = shapeAttr(node.attrs);
    return shape.length === 0 ? { kind: 'alias', input: 0 } : tensor(`tf.mul(tf.ones(${shapeList(shape, ctx)}), ${x})`);
  },
  bcast_rows: ([v], node, ctx) => {
    const [length] = node.inputs[0].shape;
    return tensor(`tf.matMul(tf.ones([${ctx.dim(dimAttr(node.attrs, 'rows'))}, 1]), tf.reshape(${v}, [1, ${ctx.dim(length)}]))`);
  },
  bcast_cols: ([v], node, ctx) => {
    const [length] = node.inputs[0].shape;
    return tensor(`tf.matMul(tf.reshape(${v}, [${ctx.dim(length)}, 1]), tf.ones([1, ${ctx.dim(dimAttr(node.attrs, 'cols'))}]))`);
  },

  matmul: call('matMul'),
  transpose: call('transpose'),
  // Every (k+1)-th entry of the flattened matrix.
  diag: ([m], node, ctx) => {
    const [k] = node.inputs[0].shape;
    const kk = product(k, k, ctx);
    const stride = typeof k === 'number' ? String(k + 1) : `${ctx.dim(k)} + 1`;
    return tensor(`tf.stridedSlice(tf.reshape(${m}, [${kk}]), [0], [${kk}], [${stride}])`);
  },
  diag_embed: call('diag'),
  // A synchronous read-back (allowed inside tf.tidy), decomposed in float64 on the host.
  eigh: ([m], node, ctx) => ({ kind: 'host', expr: `${ctx.runtime('hostEigh')}(${m}.dataSync(), ${ctx.dim(node.shape[0])})` }),
  eigvals: ([e]) => tensor(`tf.tensor1d(Float32Array.from(${e}.values))`),
  eigvecs: ([e], node, ctx) => {
    const k = ctx.dim(node.shape[0]);
    return tensor(`tf.tensor2d(Float32Array.from(${e}.vectors), [${k}, ${k}])`);
  },

  pad: ([v], node, ctx) => tensor(`tf.pad(${v}, [[0, ${difference(dimAttr(node.attrs, 'length'), node.inputs[0].shape[0], ctx)}]])`),
  slice: ([v], node, ctx) => tensor(`tf.slice(${v}, [0], [${ctx.dim(dimAttr(node.attrs, 'length'))}])`),

  // Ids are integers stored as floats, checked and rounded on the host by the runtime's rowIds.
  gather: ([table, ids], node, ctx) =>
    tensor(`tf.gather(${table}, ${ctx.runtime('rowIds')}('gather', ${ids}, ${ctx.dim(node.inputs[0].shape[0])}))`),
  // ScatterNd sums the rows of duplicate ids.
  scatter_add: ([values, ids], node, ctx) => {
    const [rows, width] = node.shape;
    const [count] = node.inputs[1].shape;
    const indices = `tf.reshape(${ctx.runtime('rowIds')}('scatter_add', ${ids}, ${ctx.dim(rows)}), [${ctx.dim(count)}, 1])`;
    return tensor(`tf.scatterND(${indices}, ${values}, [${ctx.dim(rows)}, ${ctx.dim(width)}])`);
  },
  // The tfjs executor's device composition: scatterND(gather(table, ids) * weights as a column, rows).
  segment_pool: ([table, ids, weights, rows], node, ctx) => {
    const [buckets, width] = node.shape;
    const [tableRows] = node.inputs[0].shape;
    const [count] = node.inputs[1].shape;
    const rowIds = ctx.runtime('rowIds');
    const scaled = `tf.mul(tf.gather(${table}, ${rowIds}('segment_pool (ids)', ${ids}, ${ctx.dim(tableRows)})), tf.reshape(${weights}, [${ctx.dim(count)}, 1]))`;
    const indices = `tf.reshape(${rowIds}('segment_pool (rows)', ${rows}, ${ctx.dim(buckets)}), [${ctx.dim(count)}, 1])`;
    return tensor(`tf.scatterND(${indices}, ${scaled}, [${ctx.dim(buckets)}, ${ctx.dim(width)}])`);
  },
} satisfies Record<OpName, TsLowering>;

/** The table seen through its interface, for code that looks ops up by name. */
export const tsLowerings: Readonly<Record<OpName, TsLowering>> = tsLowering;
