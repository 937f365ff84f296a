import { evaluate, inferSizes } from '../../compiler/backends/reference/evaluate.ts';
import { IrBuilder } from '../../compiler/ir/builder.ts';
import type { Node, Program } from '../../compiler/ir/node.ts';
import type { Shape } from '../../compiler/ir/shape.ts';
import { tensor64, type Tensor64 } from '../../compiler/ir/tensor.ts';
import type { OpName } from '../../compiler/ops/registry.ts';
import type { Float32Tensor } from '../../runtime/executors/executor.ts';
import { alignColumns } from './align-columns.ts';
import { seededUniform as seeded } from './finite-diff.ts';
import { programFromInputs } from './program-from-inputs.ts';

/**
 * One small program per IR op (and a few variants), with inputs drawn in each op's domain, for
 * the per-op backend tests: every executor runs each row and is compared with the float64
 * reference kernels (tfjs/lowering.test.ts, onnx/lowering.test.ts).
 */

type Gen = 'any' | 'pos' | 'int' | 'spd' | 'ids';
export interface Row {
  /** Program inputs: name -> [declared shape, concrete shape, values]. */
  readonly inputs: Readonly<Record<string, readonly [Shape, readonly number[], Gen]>>;
  readonly outputs: (b: IrBuilder, x: Readonly<Record<string, Node>>) => Readonly<Record<string, Node>>;
  /** Eigenvectors are unique only up to sign: compare columns after aligning their signs. */
  readonly signless?: readonly string[];
}

const M: readonly [Shape, readonly number[], Gen] = [['n', 'd'], [3, 4], 'any'];
const M2: readonly [Shape, readonly number[], Gen] = [['n', 'd'], [3, 4], 'any'];
const POS: readonly [Shape, readonly number[], Gen] = [['n', 'd'], [3, 4], 'pos'];
const SQ: readonly [Shape, readonly number[], Gen] = [['k', 'k'], [5, 5], 'any'];
const SPD: readonly [Shape, readonly number[], Gen] = [['k', 'k'], [5, 5], 'spd'];
const S: readonly [Shape, readonly number[], Gen] = [[], [], 'any'];
const vec = (len: number | string, concrete: number, gen: Gen = 'any') => [[len], [concrete], gen] as const;

const unary = (op: OpName, gen: Gen = 'any'): Row => ({
  inputs: { A: gen === 'pos' ? POS : M },
  outputs: (b, x) => ({ out: b.make(op, [x.A]) }),
});
const binary = (op: OpName, gen: Gen = 'any'): Row => ({
  inputs: { A: [M[0], M[1], gen], B: [M2[0], M2[1], gen] },
  outputs: (b, x) => ({ out: b.make(op, [x.A, x.B]) }),
});
const eighOf = (b: IrBuilder, x: Readonly<Record<string, Node>>) => b.make('eigh', [x.S]);

/** One row per IR op: the type checker fails when an op has no row. */
export const OP_ROWS = {
  input: { inputs: { A: M }, outputs: (_b, x) => ({ out: x.A }) },
  const: { inputs: { A: M }, outputs: (b) => ({ out: b.make('const', [], { value: 2.5, shape: ['n', 'd'] }) }) },
  eye: { inputs: { A: M }, outputs: (b) => ({ out: b.make('eye', [], { n: 'd' }) }) },
  dimsize: { inputs: { A: M }, outputs: (b) => ({ out: b.make('dimsize', [], { dim: 'n' }) }) },
  neg: unary('neg'),
  exp: unary('exp'),
  log: unary('log', 'pos'),
  sqrt: unary('sqrt', 'pos'),
  abs: unary('abs'),
  square: unary('square'),
  relu: unary('relu'),
  softplus: unary('softplus'),
  sigmoid: unary('sigmoid'),
  tanh: unary('tanh'),
  sign: { inputs: { A: [M[0], M[1], 'int'] }, outputs: (b, x) => ({ out: b.make('sign', [x.A]) }) },
  step: { inputs: { A: [M[0], M[1], 'int'] }, outputs: (b, x) => ({ out: b.make('step', [x.A]) }) },
  stop_gradient: unary('stop_gradient'),
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div', 'pos'),
  pow: { inputs: { A: POS, p: S }, outputs: (b, x) => ({ out: b.make('pow', [x.A, x.p]) }) },
  maximum: binary('maximum'),
  minimum: binary('minimum'),
  eq: binary('eq', 'int'),
  sum: unary('sum'),
  max: unary('max'),
  min: unary('min'),
  sum_rows: unary('sum_rows'),
  sum_cols: unary('sum_cols'),
  broadcast: { inputs: { s: S, A: M }, outputs: (b, x) => ({ out: b.make('broadcast', [x.s], { shape: ['n', 'd'] }) }) },
  bcast_rows: { inputs: { v: vec('d', 4), A: M }, outputs: (b, x) => ({ out: b.make('bcast_rows', [x.v], { rows: 'n' }) }) },
  bcast_cols: { inputs: { v: vec('n', 3), A: M }, outputs: (b, x) => ({ out: b.make('bcast_cols', [x.v], { cols: 'd' }) }) },
  matmul: {
    inputs: { A: M, B: [['d', 'm'], [4, 2], 'any'] },
    outputs: (b, x) => ({ out: b.make('matmul', [x.A, x.B]) }),
  },
  transpose: unary('transpose'),
  diag: { inputs: { A: SQ }, outputs: (b, x) => ({ out: b.make('diag', [x.A]) }) },
  diag_embed: { inputs: { v: vec('k', 5) }, outputs: (b, x) => ({ out: b.make('diag_embed', [x.v]) }) },
  eigh: {
    inputs: { S: SPD },
    outputs: (b, x) => ({ values: b.make('eigvals', [eighOf(b, x)]), vectors: b.make('eigvecs', [eighOf(b, x)]) }),
    signless: ['vectors'],
  },
  eigvals: { inputs: { S: SPD }, outputs: (b, x) => ({ out: b.make('eigvals', [eighOf(b, x)]) }) },
  eigvecs: { inputs: { S: SPD }, outputs: (b, x) => ({ out: b.make('eigvecs', [eighOf(b, x)]) }), signless: ['out'] },
  pad: { inputs: { v: vec('k', 3) }, outputs: (b, x) => ({ out: b.make('pad', [x.v], { length: 5 }) }) },
  slice: { inputs: { v: vec('k', 5) }, outputs: (b, x) => ({ out: b.make('slice', [x.v], { length: 3 }) }) },
  gather: {
    inputs: { T: [['V', 'e'], [5, 3], 'any'], ids: [['m'], [6], 'ids'] },
    outputs: (b, x) => ({ out: b.make('gather', [x.T, x.ids]) }),
  },
  scatter_add: {
    inputs: { X: [['m', 'e'], [6, 3], 'any'], ids: [['m'], [6], 'ids'] },
    outputs: (b, x) => ({ out: b.make('scatter_add', [x.X, x.ids], { rows: 5 }) }),
  },
  segment_pool: {
    inputs: { T: [['V', 'e'], [6, 3], 'any'], ids: [['m'], [7], 'ids'], w: [['m'], [7], 'any'], rows: [['m'], [7], 'ids'] },
    outputs: (b, x) => ({ out: b.make('segment_pool', [x.T, x.ids, x.w, x.rows], { rows: 5 }) }),
  },
} satisfies Record<OpName, Row>;

/** Variants the one-row-per-op table does not cover: scalar operands, negative bases, symbolic attrs. */
export const EXTRA_ROWS: Record<string, Row> = {
  'add scalar+matrix': { inputs: { s: S, A: M }, outputs: (b, x) => ({ out: b.make('add', [x.s, x.A]) }) },
  'sub matrix-scalar': { inputs: { s: S, A: M }, outputs: (b, x) => ({ out: b.make('sub', [x.A, x.s]) }) },
  'div scalar/matrix': { inputs: { s: S, A: POS }, outputs: (b, x) => ({ out: b.make('div', [x.s, x.A]) }) },
  'mul vector*scalar': { inputs: { s: S, v: vec('d', 4) }, outputs: (b, x) => ({ out: b.make('mul', [x.v, x.s]) }) },
  'maximum matrix,scalar': { inputs: { s: S, A: M }, outputs: (b, x) => ({ out: b.make('maximum', [x.A, x.s]) }) },
  'eq matrix,scalar max': {
    inputs: { A: [M[0], M[1], 'int'] },
    outputs: (b, x) => ({ out: b.make('eq', [x.A, b.make('max', [x.A])]) }),
  },
  'pow negative base, integer exponent': {
    inputs: { A: M },
    outputs: (b, x) => ({ out: b.make('pow', [x.A, b.make('const', [], { value: 3, shape: [] })]) }),
  },
  'pad vector to symbolic length': {
    inputs: { v: vec('k', 3), A: [['m', 'm'], [6, 6], 'any'] },
    outputs: (b, x) => ({ out: b.make('pad', [x.v], { length: 'm' }) }),
  },
  'segment_pool into a symbolic number of rows': {
    inputs: { T: [['V', 'e'], [5, 3], 'any'], ids: [['m'], [7], 'ids'], w: [['m'], [7], 'any'], rows: [['m'], [7], 'ids'] },
    outputs: (b, x) => ({ out: b.make('segment_pool', [x.T, x.ids, x.w, x.rows], { rows: 'V' }) }),
  },
  'segment_pool of no entries': {
    inputs: { T: [['V', 'e'], [5, 3], 'any'], ids: [['m'], [0], 'ids'], w: [['m'], [0], 'any'], rows: [['m'], [0], 'ids'] },
    outputs: (b, x) => ({ out: b.make('segment_pool', [x.T, x.ids, x.w, x.rows], { rows: 4 }) }),
  },
  'scalar const': { inputs: {}, outputs: (b) => ({ out: b.make('const', [], { value: -1.25, shape: [] }) }) },
  'softplus of large magnitudes': {
    inputs: { A: M },
    outputs: (b, x) => ({ out: b.make('softplus', [b.make('mul', [x.A, b.make('const', [], { value: 40, shape: [] })])]) }),
  },
  'one node used as two outputs and as an input': {
    inputs: { A: M },
    outputs: (b, x) => ({ first: b.make('exp', [x.A]), second: b.make('exp', [x.A]), inputItself: x.A }),
  },
  'slice to a symbolic length': {
    inputs: { v: vec(7, 7), A: [['m', 'm'], [4, 4], 'any'] },
    outputs: (b, x) => ({ out: b.make('slice', [x.v], { length: 'm' }) }),
  },
  'scatter_add into a symbolic number of rows': {
    inputs: { X: [['m', 'e'], [6, 3], 'any'], ids: [['m'], [6], 'ids'], T: [['V', 'e'], [5, 3], 'any'] },
    outputs: (b, x) => ({ out: b.make('scatter_add', [x.X, x.ids], { rows: 'V' }) }),
  },
  'diag of a fixed-size matrix': { inputs: { A: [[4, 4], [4, 4], 'any'] }, outputs: (b, x) => ({ out: b.make('diag', [x.A]) }) },
  'scalar broadcast (an alias)': { inputs: { s: S }, outputs: (b, x) => ({ out: b.make('exp', [b.make('broadcast', [x.s], { shape: [] })]) }) },
  'stop_gradient of a computed tensor, read twice': {
    inputs: { A: M },
    outputs: (b, x) => {
      const held = b.make('stop_gradient', [b.make('exp', [x.A])]);
      return { out: b.make('add', [held, b.make('square', [held])]) };
    },
  },
};

function makeInput(shape: readonly number[], gen: Gen, random: () => number): Tensor64 {
  const size = shape.reduce((a, b) => a * b, 1);
  const t = tensor64(shape);
  if (gen === 'spd') {
    const k = shape[0];
    const a = Array.from({ length: k * k }, () => random() * 2 - 1);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p] * a[j * k + p];
        t.data[i * k + j] = s + (i === j ? 2 * (i + 1) : 0); // distinct, well-separated eigenvalues
      }
    }
  } else {
    for (let i = 0; i < size; i++) {
      const u = random();
      t.data[i] = gen === 'pos' ? 0.5 + 2.5 * u : gen === 'int' ? Math.floor(u * 3) - 1 : gen === 'ids' ? Math.floor(u * 5) : 4 * u - 2;
    }
  }
  return tensor64(shape, Float32Array.from(t.data)); // float32 values: both sides see the same inputs
}

/** The row's program, its float32-valued inputs (drawn from `seed`), and its input nodes by name. */
export function buildCase(row: Row, seed: number) {
  const random = seeded(seed);
  const values = new Map(Object.entries(row.inputs).map(([name, [, concrete, gen]]) => [name, makeInput(concrete, gen, random)]));
  const shapes = Object.fromEntries(Object.entries(row.inputs).map(([name, [shape]]) => [name, shape]));
  const { program, inputs } = programFromInputs(shapes, row.outputs);
  return { program, values, inputs };
}

export const ALL_ROWS: [string, Row][] = [...Object.entries(OP_ROWS as Record<string, Row>), ...Object.entries(EXTRA_ROWS)];

/**
 * The largest entry-wise relative error of `got` against `want`, where an entry smaller than
 * `floor` times the largest |want| is measured against that instead (float32 cannot resolve it
 * better). Eigenvector columns (`signless`) are sign-aligned first. Non-finite entries must match.
 */
export function entryError(got: ArrayLike<number>, want: Tensor64, floor: number, signless = false): number {
  const data = signless ? alignColumns(got, want) : got;
  if (data.length !== want.data.length) return Number.POSITIVE_INFINITY;
  let scale = 0;
  for (const w of want.data) if (Number.isFinite(w)) scale = Math.max(scale, Math.abs(w));
  let worst = 0;
  for (let i = 0; i < data.length; i++) {
    const [g, w] = [data[i], want.data[i]];
    if (!Number.isFinite(g) || !Number.isFinite(w)) {
      if (!(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)))) return Number.POSITIVE_INFINITY;
      continue;
    }
    worst = Math.max(worst, Math.abs(g - w) / Math.max(Math.abs(w), floor * scale, 1e-300));
  }
  return worst;
}

/**
 * What float32 rounding allows one op: `tolerance` on entryError with `floor`. Entry-wise ops round
 * once per entry (a few ulps: 1e-6 relative); contractions (sums, matmul) accumulate rounding over
 * their terms and can cancel, so they are measured against the largest entry.
 */
export interface OpTolerance {
  readonly tolerance: number;
  readonly floor: number;
}

/** A few ulps of each entry; entries below 1e-3 of the largest are measured against that. */
export const ENTRYWISE: OpTolerance = { tolerance: 1e-6, floor: 1e-3 };
/** Copies and selections: float32 reproduces them up to the one rounding of the input. */
export const EXACT: OpTolerance = { tolerance: 1e-7, floor: 1e-3 };
/** Sums of a few terms: their rounding, relative to the largest entry. */
export const CONTRACTION: OpTolerance = { tolerance: 1e-6, floor: 1 };

/**
 * What float32 rounding allows each op on every executor, against the float64 kernels: the type
 * checker asks for a row for each new op. Measured on ONNX Runtime, tfjs-wasm and tfjs-cpu (seed
 * 7): at most 1.3e-7 (segment_pool on ONNX), an ulp or two; a lowering 0.1% off is 1e-3.
 */
export const FLOAT32_TOLERANCE = {
  input: EXACT,
  const: EXACT,
  eye: EXACT,
  dimsize: EXACT,
  neg: EXACT,
  exp: ENTRYWISE,
  log: ENTRYWISE,
  sqrt: ENTRYWISE,
  abs: EXACT,
  square: ENTRYWISE,
  relu: EXACT,
  softplus: ENTRYWISE,
  sigmoid: ENTRYWISE,
  tanh: ENTRYWISE,
  sign: EXACT,
  step: EXACT,
  stop_gradient: EXACT,
  add: ENTRYWISE,
  sub: ENTRYWISE,
  mul: ENTRYWISE,
  div: ENTRYWISE,
  pow: ENTRYWISE,
  maximum: EXACT,
  minimum: EXACT,
  eq: EXACT,
  sum: CONTRACTION,
  max: EXACT,
  min: EXACT,
  sum_rows: CONTRACTION,
  sum_cols: CONTRACTION,
  broadcast: EXACT,
  bcast_rows: EXACT,
  bcast_cols: EXACT,
  matmul: CONTRACTION,
  transpose: EXACT,
  diag: EXACT,
  diag_embed: EXACT,
  eigh: ENTRYWISE,
  eigvals: ENTRYWISE,
  eigvecs: ENTRYWISE,
  pad: EXACT,
  slice: EXACT,
  gather: EXACT,
  scatter_add: ENTRYWISE,
  segment_pool: ENTRYWISE,
} satisfies Record<OpName, OpTolerance>;

/** One output of a row as an executor computed it: its error and what its op's tolerance allows. */
export interface OutputError {
  readonly output: string;
  readonly op: OpName;
  readonly error: number;
  readonly tolerance: number;
}

/**
 * Runs `row` (seed 7) through `run` and measures each output against the float64 reference, with
 * the tolerance of the op that computes the output.
 */
export async function rowErrors(
  run: (program: Program, inputs: Map<string, Float32Tensor>) => Promise<Map<string, Float32Tensor>>,
  row: Row,
): Promise<OutputError[]> {
  const { program, values } = buildCase(row, 7);
  const want = evaluate(program, values, inferSizes(program, values));
  const got = await run(program, new Map([...values].map(([name, t]) => [name, { shape: [...t.shape], data: Float32Array.from(t.data) }])));
  return program.outputs.map(({ name, node }) => outputError(name, node.op, got.get(name), want.get(name)!, row.signless?.includes(name)));
}

/** One output against the reference, at the tolerance of the op that computes it. */
export function outputError(output: string, op: OpName, got: { readonly shape: readonly number[]; readonly data: ArrayLike<number> } | undefined, want: Tensor64, signless = false): OutputError {
  const { tolerance, floor } = FLOAT32_TOLERANCE[op];
  const fits = got !== undefined && got.shape.length === want.shape.length && got.shape.every((d, i) => d === want.shape[i]);
  return { output, op, error: fits ? entryError(got.data, want, floor, signless) : Number.POSITIVE_INFINITY, tolerance };
}

/**
 * The largest error of `row` in units of its tolerance while `mutate` holds (it changes a lowering
 * and returns how to undo it; undone however the run ends). Above 1: the row caught the change.
 */
export async function worstUnder(mutate: () => () => void, errors: () => Promise<OutputError[]>): Promise<number> {
  const restore = mutate();
  try {
    return Math.max(...(await errors()).map((e) => e.error / e.tolerance));
  } finally {
    restore();
  }
}
