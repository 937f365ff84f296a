import { expect } from 'vitest';
import { evaluate, inferSizes } from '../../compiler/backends/reference/evaluate.ts';
import { IrBuilder } from '../../compiler/ir/builder.ts';
import type { Node, Program } from '../../compiler/ir/node.ts';
import type { Shape } from '../../compiler/ir/shape.ts';
import { tensor64, type Tensor64 } from '../../compiler/ir/tensor.ts';
import type { OpName } from '../../compiler/ops/registry.ts';
import type { Float32Tensor } from '../../runtime/executors/executor.ts';
import { alignColumns } from './align-columns.ts';
import { A, B, eig2, m, map, P, S, s, T, v, X, zip, type Array64 } from './example-arrays.ts';
import { seededUniform as seeded } from './finite-diff.ts';
import { programFromInputs } from './program-from-inputs.ts';

/**
 * Everything the tests need to know about each IR op, in one record (OP_TESTS), so that a new op
 * is one entry here and the type checker asks for it:
 * - `program`: a small program with inputs drawn in the op's domain, which every executor runs
 *   against the float64 reference kernels (tfjs/lowering.test.ts, onnx/lowering.test.ts,
 *   typescript/ts-lowering.test.ts), at the `float32` tolerance;
 * - `examples`: values on small arrays against hand formulas, and gradients against finite
 *   differences (test/compiler/ops/op-table.test.ts);
 * - `random`: how random programs use it (random-ir.ts), for the gradient and pass property tests.
 */

type Gen = 'any' | 'pos' | 'int' | 'spd' | 'ids';
export interface Row {
  /** Program inputs: name -> [declared shape, concrete shape, values]. */
  readonly inputs: Readonly<Record<string, readonly [Shape, readonly number[], Gen]>>;
  readonly outputs: (b: IrBuilder, x: Readonly<Record<string, Node>>) => Readonly<Record<string, Node>>;
  /** Eigenvectors are unique only up to sign: compare columns after aligning their signs. */
  readonly signless?: readonly string[];
}

/**
 * What float32 rounding allows one op: `tolerance` on entryError with `floor`. Entry-wise ops round
 * once per entry (a few ulps: 1e-6 relative); contractions (sums, matmul) accumulate rounding over
 * their terms and can cancel, so they are measured against the largest entry. Measured on ONNX
 * Runtime, tfjs-wasm and tfjs-cpu (seed 7): at most 1.3e-7 (segment_pool on ONNX), an ulp or two;
 * a lowering 0.1% off is 1e-3.
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
 * Eigenvectors from a float32 eigensolver (ssyevd, the executors' default): their error is about
 * eps32·‖S‖/gap (Davis–Kahan), far more than one rounding when eigenvalues are close. Measured 5.9e-5
 * on the rows' 5×5 SPD input; a lowering 0.1% off (1e-3) still fails by a factor of 5.
 */
export const EIGENVECTORS: OpTolerance = { tolerance: 2e-4, floor: 1e-3 };

/** The op's value on small arrays against an independent hand formula, and its gradient. */
export interface Example {
  readonly label?: string;
  readonly inputs: Readonly<Record<string, Array64>>;
  readonly build: (b: IrBuilder, x: Readonly<Record<string, Node>>) => Node;
  /** The node's symbolic shape. */
  readonly shape: Shape;
  /** An independent formula for the output (row-major), or a check of it. */
  readonly expected: readonly number[] | ((out: Tensor64) => void);
  /**
   * 'fd' (default): the gradient of sum(out ⊙ W) against finite differences; 'zero': no gradient
   * reaches the inputs; 'throws': differentiating is an internal error.
   */
  readonly gradient?: 'fd' | 'zero' | 'throws';
}

/** Drawn by random programs' producer of unary ops smooth on all reals: such an op needs nothing more. */
export const SMOOTH = 'smooth';
/** Drawn by random programs' producer of unary ops smooth for x > 0, on a positive operand. */
export const POSITIVE = 'positive';
/** Drawn by a producer of its own (random-ir.ts's PRODUCERS). */
export const OWN = 'own';

export interface OpTest {
  readonly program: Row;
  readonly float32: OpTolerance;
  /** At least one example, or which other op's examples build this one. */
  readonly examples: readonly [Example, ...Example[]] | string;
  /** SMOOTH, POSITIVE or OWN; any other string says why random programs cannot use the op. */
  readonly random: string;
}

const M: readonly [Shape, readonly number[], Gen] = [['n', 'd'], [3, 4], 'any'];
const M2: readonly [Shape, readonly number[], Gen] = [['n', 'd'], [3, 4], 'any'];
const POS: readonly [Shape, readonly number[], Gen] = [['n', 'd'], [3, 4], 'pos'];
const SQ: readonly [Shape, readonly number[], Gen] = [['k', 'k'], [5, 5], 'any'];
const SPD: readonly [Shape, readonly number[], Gen] = [['k', 'k'], [5, 5], 'spd'];
const SC: readonly [Shape, readonly number[], Gen] = [[], [], 'any'];
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

/** The example of an entry-by-entry op of one input: op(X) (op(P) for `positive`) against `expected`. */
function entrywise(op: OpName, expected: readonly number[] | ((t: number) => number), positive = false): Example {
  const arg = positive ? P : X;
  return {
    inputs: positive ? { P } : { X },
    build: (b, x) => b.make(op, [positive ? x.P : x.X]),
    shape: ['d'],
    expected: typeof expected === 'function' ? map(arg.data, expected) : expected,
  };
}
const c = (b: IrBuilder, value: number): Node => b.make('const', [], { value, shape: [] });
const NO_GRADIENT = 'no gradient';
const NEEDS_IDS = (test: string) => `needs integer ids (${test})`;

/** One entry per IR op: the type checker fails when an op has none. */
export const OP_TESTS = {
  // leaves
  input: {
    program: { inputs: { A: M }, outputs: (_b, x) => ({ out: x.A }) },
    float32: EXACT,
    examples: [{ inputs: { Z: A }, build: (_b, x) => x.Z, shape: ['n', 'd'], expected: A.data }],
    random: 'a leaf: every program has inputs, no producer is needed',
  },
  const: {
    program: { inputs: { A: M }, outputs: (b) => ({ out: b.make('const', [], { value: 2.5, shape: ['n', 'd'] }) }) },
    float32: EXACT,
    examples: [{ inputs: { Z: A }, build: (b) => b.make('const', [], { value: 2.5, shape: ['n', 2] }), shape: ['n', 2], expected: [2.5, 2.5, 2.5, 2.5] }],
    random: 'a leaf: drawn among CONSTANTS',
  },
  eye: {
    program: { inputs: { A: M }, outputs: (b) => ({ out: b.make('eye', [], { n: 'd' }) }) },
    float32: EXACT,
    examples: [{ inputs: { Z: A }, build: (b) => b.make('eye', [], { n: 'n' }), shape: ['n', 'n'], expected: [1, 0, 0, 1] }],
    random: NO_GRADIENT,
  },
  dimsize: {
    program: { inputs: { A: M }, outputs: (b) => ({ out: b.make('dimsize', [], { dim: 'n' }) }) },
    float32: EXACT,
    examples: [{ inputs: { Z: A }, build: (b) => b.make('dimsize', [], { dim: 'd' }), shape: [], expected: [3] }],
    random: NO_GRADIENT,
  },
  // elementwise, one input
  neg: { program: unary('neg'), float32: EXACT, examples: [entrywise('neg', (t) => -t)], random: SMOOTH },
  exp: { program: unary('exp'), float32: ENTRYWISE, examples: [entrywise('exp', Math.exp)], random: SMOOTH },
  log: { program: unary('log', 'pos'), float32: ENTRYWISE, examples: [entrywise('log', Math.log, true)], random: POSITIVE },
  log1p: {
    program: unary('log1p', 'pos'),
    float32: ENTRYWISE,
    examples: [
      entrywise('log1p', (t) => Math.log(1 + t), true),
      {
        label: 'near 0, against its series x − x²/2 + x³/3',
        inputs: { e: v(['d'], [1e-10, -3e-9, 2e-12]) },
        build: (b, x) => b.make('log1p', [x.e]),
        shape: ['d'],
        expected: [1e-10, -3e-9, 2e-12].map((t) => t - (t * t) / 2 + (t * t * t) / 3),
      },
    ],
    random: POSITIVE,
  },
  sqrt: { program: unary('sqrt', 'pos'), float32: ENTRYWISE, examples: [entrywise('sqrt', (t) => t ** 0.5, true)], random: POSITIVE },
  abs: { program: unary('abs'), float32: EXACT, examples: [entrywise('abs', [0.7, 1.3, 2.1])], random: OWN },
  square: { program: unary('square'), float32: ENTRYWISE, examples: [entrywise('square', (t) => t * t)], random: SMOOTH },
  relu: { program: unary('relu'), float32: EXACT, examples: [entrywise('relu', [0.7, 0, 2.1])], random: OWN },
  softplus: { program: unary('softplus'), float32: ENTRYWISE, examples: [entrywise('softplus', (t) => Math.log(1 + Math.exp(t)))], random: SMOOTH },
  sigmoid: { program: unary('sigmoid'), float32: ENTRYWISE, examples: [entrywise('sigmoid', (t) => 1 / (1 + Math.exp(-t)))], random: SMOOTH },
  tanh: {
    program: unary('tanh'),
    float32: ENTRYWISE,
    examples: [entrywise('tanh', (t) => (Math.exp(t) - Math.exp(-t)) / (Math.exp(t) + Math.exp(-t)))],
    random: SMOOTH,
  },
  sign: {
    program: { inputs: { A: [M[0], M[1], 'int'] }, outputs: (b, x) => ({ out: b.make('sign', [x.A]) }) },
    float32: EXACT,
    examples: [entrywise('sign', [1, -1, 1])],
    random: NO_GRADIENT,
  },
  step: {
    program: { inputs: { A: [M[0], M[1], 'int'] }, outputs: (b, x) => ({ out: b.make('step', [x.A]) }) },
    float32: EXACT,
    examples: [entrywise('step', [1, 0, 1])],
    random: NO_GRADIENT,
  },
  stop_gradient: {
    program: unary('stop_gradient'),
    float32: EXACT,
    examples: [{ ...entrywise('stop_gradient', X.data), gradient: 'zero' }],
    random: 'finite differences see through it (the autodiff tests cover it)',
  },
  // elementwise, two inputs
  add: {
    program: binary('add'),
    float32: ENTRYWISE,
    examples: [
      { inputs: { A, B }, build: (b, x) => b.make('add', [x.A, x.B]), shape: ['n', 'd'], expected: zip(A.data, B.data, (p, q) => p + q) },
      { label: 'scalar + matrix', inputs: { A, k: s(0.5) }, build: (b, x) => b.make('add', [x.k, x.A]), shape: ['n', 'd'], expected: map(A.data, (p) => p + 0.5) },
    ],
    random: OWN,
  },
  sub: {
    program: binary('sub'),
    float32: ENTRYWISE,
    examples: [
      { inputs: { A, B }, build: (b, x) => b.make('sub', [x.A, x.B]), shape: ['n', 'd'], expected: zip(A.data, B.data, (p, q) => p - q) },
      { label: 'scalar - vector', inputs: { X, k: s(0.5) }, build: (b, x) => b.make('sub', [x.k, x.X]), shape: ['d'], expected: map(X.data, (p) => 0.5 - p) },
    ],
    random: OWN,
  },
  mul: {
    program: binary('mul'),
    float32: ENTRYWISE,
    examples: [
      { inputs: { A, B }, build: (b, x) => b.make('mul', [x.A, x.B]), shape: ['n', 'd'], expected: zip(A.data, B.data, (p, q) => p * q) },
      { label: 'vector * scalar', inputs: { X, k: s(-1.5) }, build: (b, x) => b.make('mul', [x.X, x.k]), shape: ['d'], expected: map(X.data, (p) => -1.5 * p) },
    ],
    random: OWN,
  },
  div: {
    program: binary('div', 'pos'),
    float32: ENTRYWISE,
    examples: [
      { inputs: { X, P }, build: (b, x) => b.make('div', [x.X, x.P]), shape: ['d'], expected: zip(X.data, P.data, (p, q) => p / q) },
      { label: 'matrix / scalar', inputs: { A, k: s(1.7) }, build: (b, x) => b.make('div', [x.A, x.k]), shape: ['n', 'd'], expected: map(A.data, (p) => p / 1.7) },
      { label: 'scalar / vector', inputs: { P, k: s(1.7) }, build: (b, x) => b.make('div', [x.k, x.P]), shape: ['d'], expected: map(P.data, (p) => 1.7 / p) },
    ],
    random: OWN,
  },
  pow: {
    program: { inputs: { A: POS, p: SC }, outputs: (b, x) => ({ out: b.make('pow', [x.A, x.p]) }) },
    float32: ENTRYWISE,
    examples: [
      { label: 'negative bases, integer exponent', inputs: { X }, build: (b, x) => b.make('pow', [x.X, c(b, 3)]), shape: ['d'], expected: map(X.data, (t) => t * t * t) },
      {
        label: 'exponent is an input',
        inputs: { P, p: s(1.7) },
        build: (b, x) => b.make('pow', [x.P, x.p]),
        shape: ['d'],
        expected: map(P.data, (t) => Math.exp(1.7 * Math.log(t))),
      },
    ],
    random: OWN,
  },
  maximum: {
    program: binary('maximum'),
    float32: EXACT,
    examples: [
      { inputs: { A, B }, build: (b, x) => b.make('maximum', [x.A, x.B]), shape: ['n', 'd'], expected: zip(A.data, B.data, (p, q) => (p > q ? p : q)) },
      { label: 'vector vs scalar', inputs: { X, k: s(0.5) }, build: (b, x) => b.make('maximum', [x.X, x.k]), shape: ['d'], expected: [0.7, 0.5, 2.1] },
    ],
    random: OWN,
  },
  minimum: {
    program: binary('minimum'),
    float32: EXACT,
    examples: [
      { inputs: { A, B }, build: (b, x) => b.make('minimum', [x.A, x.B]), shape: ['n', 'd'], expected: zip(A.data, B.data, (p, q) => (p < q ? p : q)) },
      { label: 'scalar vs vector', inputs: { X, k: s(0.5) }, build: (b, x) => b.make('minimum', [x.k, x.X]), shape: ['d'], expected: [0.5, -1.3, 0.5] },
    ],
    random: OWN,
  },
  eq: {
    program: binary('eq', 'int'),
    float32: EXACT,
    examples: [
      {
        inputs: { X, Y: v(['d'], [0.7, 1.3, -2.1]) },
        build: (b, x) => b.make('eq', [x.X, x.Y]),
        shape: ['d'],
        expected: [1, 0, 0],
        // Piecewise constant (and at a tie here, where finite differences jump): no gradient.
        gradient: 'zero',
      },
    ],
    random: NO_GRADIENT,
  },
  // reductions
  sum: {
    program: unary('sum'),
    float32: CONTRACTION,
    examples: [{ inputs: { A }, build: (b, x) => b.make('sum', [x.A]), shape: [], expected: [1 - 2 + 0.5 + 0.25 + 3 - 1.5] }],
    random: OWN,
  },
  max: { program: unary('max'), float32: EXACT, examples: [{ inputs: { A }, build: (b, x) => b.make('max', [x.A]), shape: [], expected: [3] }], random: OWN },
  min: { program: unary('min'), float32: EXACT, examples: [{ inputs: { A }, build: (b, x) => b.make('min', [x.A]), shape: [], expected: [-2] }], random: OWN },
  sum_rows: {
    program: unary('sum_rows'),
    float32: CONTRACTION,
    examples: [{ inputs: { A }, build: (b, x) => b.make('sum_rows', [x.A]), shape: ['d'], expected: [1.25, 1, -1] }],
    random: OWN,
  },
  sum_cols: {
    program: unary('sum_cols'),
    float32: CONTRACTION,
    examples: [{ inputs: { A }, build: (b, x) => b.make('sum_cols', [x.A]), shape: ['n'], expected: [-0.5, 1.75] }],
    random: OWN,
  },
  // broadcasts
  broadcast: {
    program: { inputs: { s: SC, A: M }, outputs: (b, x) => ({ out: b.make('broadcast', [x.s], { shape: ['n', 'd'] }) }) },
    float32: EXACT,
    examples: [
      {
        inputs: { Z: A, k: s(1.5) },
        build: (b, x) => b.make('broadcast', [x.k], { shape: ['d', 'n'] }),
        shape: ['d', 'n'],
        expected: [1.5, 1.5, 1.5, 1.5, 1.5, 1.5],
      },
    ],
    random: OWN,
  },
  bcast_rows: {
    program: { inputs: { v: vec('d', 4), A: M }, outputs: (b, x) => ({ out: b.make('bcast_rows', [x.v], { rows: 'n' }) }) },
    float32: EXACT,
    examples: [{ inputs: { X, Z: A }, build: (b, x) => b.make('bcast_rows', [x.X], { rows: 'n' }), shape: ['n', 'd'], expected: [...X.data, ...X.data] }],
    random: OWN,
  },
  bcast_cols: {
    program: { inputs: { v: vec('n', 3), A: M }, outputs: (b, x) => ({ out: b.make('bcast_cols', [x.v], { cols: 'd' }) }) },
    float32: EXACT,
    examples: [
      { inputs: { X }, build: (b, x) => b.make('bcast_cols', [x.X], { cols: 2 }), shape: ['d', 2], expected: [0.7, 0.7, -1.3, -1.3, 2.1, 2.1] },
    ],
    random: OWN,
  },
  // linear algebra
  matmul: {
    program: { inputs: { A: M, B: [['d', 'm'], [4, 2], 'any'] }, outputs: (b, x) => ({ out: b.make('matmul', [x.A, x.B]) }) },
    float32: CONTRACTION,
    examples: [
      {
        inputs: { A, S },
        build: (b, x) => b.make('matmul', [x.A, x.S]),
        shape: ['n', 'd'],
        // (A S)ᵢⱼ = Σₖ Aᵢₖ Sₖⱼ
        expected: [0, 1].flatMap((i) => [0, 1, 2].map((j) => [0, 1, 2].reduce((acc, k) => acc + A.data[i * 3 + k] * S.data[k * 3 + j], 0))),
      },
    ],
    random: OWN,
  },
  transpose: {
    program: unary('transpose'),
    float32: EXACT,
    examples: [{ inputs: { A }, build: (b, x) => b.make('transpose', [x.A]), shape: ['d', 'n'], expected: [1, 0.25, -2, 3, 0.5, -1.5] }],
    random: OWN,
  },
  diag: {
    program: { inputs: { A: SQ }, outputs: (b, x) => ({ out: b.make('diag', [x.A]) }) },
    float32: EXACT,
    examples: [{ inputs: { S }, build: (b, x) => b.make('diag', [x.S]), shape: ['d'], expected: [2, 1, -1.5] }],
    random: OWN,
  },
  diag_embed: {
    program: { inputs: { v: vec('k', 5) }, outputs: (b, x) => ({ out: b.make('diag_embed', [x.v]) }) },
    float32: EXACT,
    examples: [{ inputs: { X }, build: (b, x) => b.make('diag_embed', [x.X]), shape: ['d', 'd'], expected: [0.7, 0, 0, 0, -1.3, 0, 0, 0, 2.1] }],
    random: OWN,
  },
  eigh: {
    program: {
      inputs: { S: SPD },
      outputs: (b, x) => ({ values: b.make('eigvals', [eighOf(b, x)]), vectors: b.make('eigvecs', [eighOf(b, x)]) }),
      signless: ['vectors'],
    },
    float32: ENTRYWISE,
    examples: "a tuple: eigvals' and eigvecs' examples build it",
    random: 'reached through eigvals, which differentiates it',
  },
  eigvals: {
    program: { inputs: { S: SPD }, outputs: (b, x) => ({ out: b.make('eigvals', [eighOf(b, x)]) }) },
    float32: ENTRYWISE,
    examples: [
      {
        label: 'of T + Tᵀ, closed form for 2x2',
        inputs: { T },
        build: (b, x) => b.make('eigvals', [b.make('eigh', [b.make('add', [x.T, b.make('transpose', [x.T])])])]),
        shape: ['k'],
        expected: eig2(2, 0.2, 4).sort((p, q) => q - p),
      },
    ],
    random: OWN,
  },
  eigvecs: {
    program: { inputs: { S: SPD }, outputs: (b, x) => ({ out: b.make('eigvecs', [eighOf(b, x)]) }), signless: ['out'] },
    float32: EIGENVECTORS,
    examples: [
      {
        label: 'columns are unit eigenvectors in the order of the eigenvalues',
        inputs: { T },
        build: (b, x) => b.make('eigvecs', [b.make('eigh', [b.make('add', [x.T, b.make('transpose', [x.T])])])]),
        shape: ['k', 'k'],
        expected: (out) => {
          const [l1, l2] = eig2(2, 0.2, 4);
          const sym = [[2, 0.2], [0.2, 4]];
          [l1, l2].forEach((lambda, col) => {
            const u = [out.data[col], out.data[2 + col]];
            expect(Math.hypot(u[0], u[1])).toBeCloseTo(1, 14);
            for (let r = 0; r < 2; r++) expect(sym[r][0] * u[0] + sym[r][1] * u[1]).toBeCloseTo(lambda * u[r], 13);
          });
        },
        gradient: 'throws',
      },
    ],
    random: 'eigenvectors are not differentiable',
  },
  // vectors
  pad: {
    program: { inputs: { v: vec('k', 3) }, outputs: (b, x) => ({ out: b.make('pad', [x.v], { length: 5 }) }) },
    float32: EXACT,
    examples: [{ inputs: { Y: v(['n'], [1.5, -2]), Z: A }, build: (b, x) => b.make('pad', [x.Y], { length: 'd' }), shape: ['d'], expected: [1.5, -2, 0] }],
    random: OWN,
  },
  slice: {
    program: { inputs: { v: vec('k', 5) }, outputs: (b, x) => ({ out: b.make('slice', [x.v], { length: 3 }) }) },
    float32: EXACT,
    examples: [{ inputs: { X, Z: A }, build: (b, x) => b.make('slice', [x.X], { length: 'n' }), shape: ['n'], expected: [0.7, -1.3] }],
    random: OWN,
  },
  // indexing
  gather: {
    program: {
      inputs: { T: [['V', 'e'], [5, 3], 'any'], ids: [['m'], [6], 'ids'] },
      outputs: (b, x) => ({ out: b.make('gather', [x.T, x.ids]) }),
    },
    float32: EXACT,
    examples: [
      {
        inputs: { T: m(['d', 'k'], [[1, 2], [3, 4], [5, 6]]), ids: v(['n'], [2, 0]) },
        build: (b, x) => b.make('gather', [x.T, x.ids]),
        shape: ['n', 'k'],
        expected: [5, 6, 1, 2],
      },
    ],
    random: NEEDS_IDS('test/compiler/ops/gather.test.ts'),
  },
  scatter_add: {
    program: {
      inputs: { X: [['m', 'e'], [6, 3], 'any'], ids: [['m'], [6], 'ids'] },
      outputs: (b, x) => ({ out: b.make('scatter_add', [x.X, x.ids], { rows: 5 }) }),
    },
    float32: ENTRYWISE,
    examples: [
      { inputs: { X: A, ids: v(['n'], [1, 1]) }, build: (b, x) => b.make('scatter_add', [x.X, x.ids], { rows: 2 }), shape: [2, 'd'], expected: [0, 0, 0, 1.25, 1, -1] },
    ],
    random: NEEDS_IDS('test/compiler/ops/gather.test.ts'),
  },
  segment_pool: {
    program: {
      inputs: { T: [['V', 'e'], [6, 3], 'any'], ids: [['m'], [7], 'ids'], w: [['m'], [7], 'any'], rows: [['m'], [7], 'ids'] },
      outputs: (b, x) => ({ out: b.make('segment_pool', [x.T, x.ids, x.w, x.rows], { rows: 5 }) }),
    },
    float32: ENTRYWISE,
    examples: [
      {
        label: 'duplicate ids and rows',
        inputs: {
          T: m(['d', 'k'], [[1, 2], [3, 4], [5, 6]]),
          ids: v([4], [2, 0, 2, 1]),
          w: v([4], [0.5, -1.5, 2, 0.25]),
          rows: v([4], [1, 1, 0, 1]),
        },
        build: (b, x) => b.make('segment_pool', [x.T, x.ids, x.w, x.rows], { rows: 2 }),
        shape: [2, 'k'],
        // out[0] = 2·T[2]; out[1] = 0.5·T[2] - 1.5·T[0] + 0.25·T[1]
        expected: [2 * 5, 2 * 6, 0.5 * 5 - 1.5 * 1 + 0.25 * 3, 0.5 * 6 - 1.5 * 2 + 0.25 * 4],
      },
    ],
    random: NEEDS_IDS('test/compiler/ops/segment-pool.test.ts'),
  },
} satisfies Record<OpName, OpTest>;

const TESTED = Object.entries(OP_TESTS) as [OpName, OpTest][];

/** Each op's program, for the per-op backend tests. */
export const OP_ROWS = Object.fromEntries(TESTED.map(([op, t]) => [op, t.program])) as Readonly<Record<OpName, Row>>;

/** Every example, with its op, in the order of OP_TESTS. */
export const OP_EXAMPLES: readonly (Example & { readonly op: OpName })[] = TESTED.flatMap(([op, t]) =>
  typeof t.examples === 'string' ? [] : t.examples.map((example) => ({ ...example, op })),
);

/** The ops random programs use as `use` (SMOOTH, POSITIVE, OWN), in the order of OP_TESTS. */
export const randomlyUsedAs = (use: string): OpName[] => TESTED.filter(([, t]) => t.random === use).map(([op]) => op);

/** Variants the one-row-per-op table does not cover: scalar operands, negative bases, symbolic attrs. */
export const EXTRA_ROWS: Record<string, Row> = {
  'add scalar+matrix': { inputs: { s: SC, A: M }, outputs: (b, x) => ({ out: b.make('add', [x.s, x.A]) }) },
  'sub matrix-scalar': { inputs: { s: SC, A: M }, outputs: (b, x) => ({ out: b.make('sub', [x.A, x.s]) }) },
  'div scalar/matrix': { inputs: { s: SC, A: POS }, outputs: (b, x) => ({ out: b.make('div', [x.s, x.A]) }) },
  'mul vector*scalar': { inputs: { s: SC, v: vec('d', 4) }, outputs: (b, x) => ({ out: b.make('mul', [x.v, x.s]) }) },
  'maximum matrix,scalar': { inputs: { s: SC, A: M }, outputs: (b, x) => ({ out: b.make('maximum', [x.A, x.s]) }) },
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
  // Where 1 + x rounds away x's digits: a lowering as log(1 + x) is off by up to 6% here.
  'log1p of small values': {
    inputs: { A: M },
    outputs: (b, x) => ({ out: b.make('log1p', [b.make('mul', [x.A, b.make('const', [], { value: 1e-6, shape: [] })])]) }),
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
  'scalar broadcast (an alias)': { inputs: { s: SC }, outputs: (b, x) => ({ out: b.make('exp', [b.make('broadcast', [x.s], { shape: [] })]) }) },
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

/** The row's program, its float32-valued inputs (drawn from `seed`), its input nodes by name, and its builder. */
export function buildCase(row: Row, seed: number) {
  const random = seeded(seed);
  const values = new Map(Object.entries(row.inputs).map(([name, [, concrete, gen]]) => [name, makeInput(concrete, gen, random)]));
  const shapes = Object.fromEntries(Object.entries(row.inputs).map(([name, [shape]]) => [name, shape]));
  const { program, inputs, b } = programFromInputs(shapes, row.outputs);
  return { program, values, inputs, b };
}

export const ALL_ROWS: [string, Row][] = [...Object.entries(OP_ROWS), ...Object.entries(EXTRA_ROWS)];

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
  const { tolerance, floor } = OP_TESTS[op].float32;
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
