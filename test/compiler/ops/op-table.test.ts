import { describe, expect, it } from 'vitest';
import { differentiate } from '../../../compiler/autodiff.ts';
import { evaluate, inferSizes } from '../../../compiler/backends/reference/evaluate.ts';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import { IrError } from '../../../compiler/ir/ir-error.ts';
import type { Node, Program } from '../../../compiler/ir/node.ts';
import type { Shape } from '../../../compiler/ir/shape.ts';
import { tensor64, type Tensor64 } from '../../../compiler/ir/tensor.ts';
import { OP_NAMES, type OpName } from '../../../compiler/ops/registry.ts';
import { compareGradients, seededUniform } from '../../helpers/finite-diff.ts';
import { programFromInputs } from '../../helpers/program-from-inputs.ts';

/**
 * One row per op (some ops have a row per broadcasting case): the value on a small example
 * against an independent hand formula, and the gradient of sum(out ⊙ W), W a random extra input,
 * against finite differences (Ridders, every entry and two random directions, relative error
 * <= 1e-6, see compareGradients).
 */

interface Array64 {
  readonly shape: Shape;
  readonly data: readonly number[];
}
const s = (x: number): Array64 => ({ shape: [], data: [x] });
const v = (shape: Shape, data: number[]): Array64 => ({ shape, data });
const m = (shape: Shape, rows: number[][]): Array64 => ({ shape, data: rows.flat() });

interface Row {
  readonly op: OpName;
  readonly label?: string;
  readonly inputs: Record<string, Array64>;
  readonly build: (b: IrBuilder, x: Record<string, Node>) => Node;
  /** The node's symbolic shape. */
  readonly shape: Shape;
  /** An independent formula for the output (row-major), or a check of it. */
  readonly expected: readonly number[] | ((out: Tensor64) => void);
  /** 'fd' (default): compare with finite differences; 'zero': no gradient reaches the inputs; 'throws': differentiating is an internal error. */
  readonly gradient?: 'fd' | 'zero' | 'throws';
}

const X = v(['d'], [0.7, -1.3, 2.1]);
const P = v(['d'], [0.7, 1.3, 2.1]); // positive
const A = m(['n', 'd'], [[1, -2, 0.5], [0.25, 3, -1.5]]);
const B = m(['n', 'd'], [[-0.5, 1, 2], [1.5, -0.75, 0.3]]);
const S = m(['d', 'd'], [[2, 0.5, -1], [0.3, 1, 0.2], [0.1, -0.4, -1.5]]);
const c = (b: IrBuilder, value: number): Node => b.make('const', [], { value, shape: [] });
const map = (xs: readonly number[], f: (x: number) => number): number[] => xs.map(f);
const zip = (xs: readonly number[], ys: readonly number[], f: (x: number, y: number) => number): number[] =>
  xs.map((x, i) => f(x, ys[i]));

/** Symmetric 2x2 [[a, b], [b, c]]: eigenvalues (a+c)/2 ± √(((a-c)/2)² + b²). */
function eig2(a: number, b: number, cc: number): [number, number] {
  const mid = (a + cc) / 2;
  const r = Math.hypot((a - cc) / 2, b);
  return [mid + r, mid - r];
}
const T = m(['k', 'k'], [[1, 0.4], [-0.2, 2]]); // T + Tᵀ = [[2, 0.2], [0.2, 4]]

/** The rows, with the type of the ops they cover kept (for the check below). */
function rowsOf<const O extends OpName>(rows: readonly (Row & { readonly op: O })[]): readonly (Row & { readonly op: O })[] {
  return rows;
}

const ROWS = rowsOf([
  // leaves
  { op: 'input', inputs: { Z: A }, build: (_b, x) => x.Z, shape: ['n', 'd'], expected: A.data },
  {
    op: 'const',
    inputs: { Z: A },
    build: (b) => b.make('const', [], { value: 2.5, shape: ['n', 2] }),
    shape: ['n', 2],
    expected: [2.5, 2.5, 2.5, 2.5],
  },
  { op: 'eye', inputs: { Z: A }, build: (b) => b.make('eye', [], { n: 'n' }), shape: ['n', 'n'], expected: [1, 0, 0, 1] },
  { op: 'dimsize', inputs: { Z: A }, build: (b) => b.make('dimsize', [], { dim: 'd' }), shape: [], expected: [3] },
  // elementwise, one input
  { op: 'neg', inputs: { X }, build: (b, x) => b.make('neg', [x.X]), shape: ['d'], expected: map(X.data, (t) => -t) },
  { op: 'exp', inputs: { X }, build: (b, x) => b.make('exp', [x.X]), shape: ['d'], expected: map(X.data, Math.exp) },
  { op: 'log', inputs: { P }, build: (b, x) => b.make('log', [x.P]), shape: ['d'], expected: map(P.data, Math.log) },
  { op: 'sqrt', inputs: { P }, build: (b, x) => b.make('sqrt', [x.P]), shape: ['d'], expected: map(P.data, (t) => t ** 0.5) },
  { op: 'abs', inputs: { X }, build: (b, x) => b.make('abs', [x.X]), shape: ['d'], expected: [0.7, 1.3, 2.1] },
  { op: 'square', inputs: { X }, build: (b, x) => b.make('square', [x.X]), shape: ['d'], expected: map(X.data, (t) => t * t) },
  { op: 'relu', inputs: { X }, build: (b, x) => b.make('relu', [x.X]), shape: ['d'], expected: [0.7, 0, 2.1] },
  {
    op: 'softplus',
    inputs: { X },
    build: (b, x) => b.make('softplus', [x.X]),
    shape: ['d'],
    expected: map(X.data, (t) => Math.log(1 + Math.exp(t))),
  },
  {
    op: 'sigmoid',
    inputs: { X },
    build: (b, x) => b.make('sigmoid', [x.X]),
    shape: ['d'],
    expected: map(X.data, (t) => 1 / (1 + Math.exp(-t))),
  },
  { op: 'tanh', inputs: { X }, build: (b, x) => b.make('tanh', [x.X]), shape: ['d'], expected: map(X.data, (t) => (Math.exp(t) - Math.exp(-t)) / (Math.exp(t) + Math.exp(-t))) },
  { op: 'sign', inputs: { X }, build: (b, x) => b.make('sign', [x.X]), shape: ['d'], expected: [1, -1, 1] },
  { op: 'step', inputs: { X }, build: (b, x) => b.make('step', [x.X]), shape: ['d'], expected: [1, 0, 1] },
  {
    op: 'stop_gradient',
    inputs: { X },
    build: (b, x) => b.make('stop_gradient', [x.X]),
    shape: ['d'],
    expected: X.data,
    gradient: 'zero',
  },
  // elementwise, two inputs
  { op: 'add', inputs: { A, B }, build: (b, x) => b.make('add', [x.A, x.B]), shape: ['n', 'd'], expected: zip(A.data, B.data, (p, q) => p + q) },
  {
    op: 'add',
    label: 'scalar + matrix',
    inputs: { A, k: s(0.5) },
    build: (b, x) => b.make('add', [x.k, x.A]),
    shape: ['n', 'd'],
    expected: map(A.data, (p) => p + 0.5),
  },
  { op: 'sub', inputs: { A, B }, build: (b, x) => b.make('sub', [x.A, x.B]), shape: ['n', 'd'], expected: zip(A.data, B.data, (p, q) => p - q) },
  {
    op: 'sub',
    label: 'scalar - vector',
    inputs: { X, k: s(0.5) },
    build: (b, x) => b.make('sub', [x.k, x.X]),
    shape: ['d'],
    expected: map(X.data, (p) => 0.5 - p),
  },
  { op: 'mul', inputs: { A, B }, build: (b, x) => b.make('mul', [x.A, x.B]), shape: ['n', 'd'], expected: zip(A.data, B.data, (p, q) => p * q) },
  {
    op: 'mul',
    label: 'vector * scalar',
    inputs: { X, k: s(-1.5) },
    build: (b, x) => b.make('mul', [x.X, x.k]),
    shape: ['d'],
    expected: map(X.data, (p) => -1.5 * p),
  },
  { op: 'div', inputs: { X, P }, build: (b, x) => b.make('div', [x.X, x.P]), shape: ['d'], expected: zip(X.data, P.data, (p, q) => p / q) },
  {
    op: 'div',
    label: 'matrix / scalar',
    inputs: { A, k: s(1.7) },
    build: (b, x) => b.make('div', [x.A, x.k]),
    shape: ['n', 'd'],
    expected: map(A.data, (p) => p / 1.7),
  },
  {
    op: 'div',
    label: 'scalar / vector',
    inputs: { P, k: s(1.7) },
    build: (b, x) => b.make('div', [x.k, x.P]),
    shape: ['d'],
    expected: map(P.data, (p) => 1.7 / p),
  },
  {
    op: 'pow',
    label: 'negative bases, integer exponent',
    inputs: { X },
    build: (b, x) => b.make('pow', [x.X, c(b, 3)]),
    shape: ['d'],
    expected: map(X.data, (t) => t * t * t),
  },
  {
    op: 'pow',
    label: 'exponent is an input',
    inputs: { P, p: s(1.7) },
    build: (b, x) => b.make('pow', [x.P, x.p]),
    shape: ['d'],
    expected: map(P.data, (t) => Math.exp(1.7 * Math.log(t))),
  },
  {
    op: 'maximum',
    inputs: { A, B },
    build: (b, x) => b.make('maximum', [x.A, x.B]),
    shape: ['n', 'd'],
    expected: zip(A.data, B.data, (p, q) => (p > q ? p : q)),
  },
  {
    op: 'maximum',
    label: 'vector vs scalar',
    inputs: { X, k: s(0.5) },
    build: (b, x) => b.make('maximum', [x.X, x.k]),
    shape: ['d'],
    expected: [0.7, 0.5, 2.1],
  },
  {
    op: 'minimum',
    inputs: { A, B },
    build: (b, x) => b.make('minimum', [x.A, x.B]),
    shape: ['n', 'd'],
    expected: zip(A.data, B.data, (p, q) => (p < q ? p : q)),
  },
  {
    op: 'minimum',
    label: 'scalar vs vector',
    inputs: { X, k: s(0.5) },
    build: (b, x) => b.make('minimum', [x.k, x.X]),
    shape: ['d'],
    expected: [0.5, -1.3, 0.5],
  },
  {
    op: 'eq',
    inputs: { X, Y: v(['d'], [0.7, 1.3, -2.1]) },
    build: (b, x) => b.make('eq', [x.X, x.Y]),
    shape: ['d'],
    expected: [1, 0, 0],
    // Piecewise constant (and at a tie here, where finite differences jump): no gradient.
    gradient: 'zero',
  },
  // reductions
  { op: 'sum', inputs: { A }, build: (b, x) => b.make('sum', [x.A]), shape: [], expected: [1 - 2 + 0.5 + 0.25 + 3 - 1.5] },
  { op: 'max', inputs: { A }, build: (b, x) => b.make('max', [x.A]), shape: [], expected: [3] },
  { op: 'min', inputs: { A }, build: (b, x) => b.make('min', [x.A]), shape: [], expected: [-2] },
  { op: 'sum_rows', inputs: { A }, build: (b, x) => b.make('sum_rows', [x.A]), shape: ['d'], expected: [1.25, 1, -1] },
  { op: 'sum_cols', inputs: { A }, build: (b, x) => b.make('sum_cols', [x.A]), shape: ['n'], expected: [-0.5, 1.75] },
  // broadcasts
  {
    op: 'broadcast',
    inputs: { Z: A, k: s(1.5) },
    build: (b, x) => b.make('broadcast', [x.k], { shape: ['d', 'n'] }),
    shape: ['d', 'n'],
    expected: [1.5, 1.5, 1.5, 1.5, 1.5, 1.5],
  },
  {
    op: 'bcast_rows',
    inputs: { X, Z: A },
    build: (b, x) => b.make('bcast_rows', [x.X], { rows: 'n' }),
    shape: ['n', 'd'],
    expected: [...X.data, ...X.data],
  },
  {
    op: 'bcast_cols',
    inputs: { X },
    build: (b, x) => b.make('bcast_cols', [x.X], { cols: 2 }),
    shape: ['d', 2],
    expected: [0.7, 0.7, -1.3, -1.3, 2.1, 2.1],
  },
  // linear algebra
  {
    op: 'matmul',
    inputs: { A, S },
    build: (b, x) => b.make('matmul', [x.A, x.S]),
    shape: ['n', 'd'],
    // (A S)ᵢⱼ = Σₖ Aᵢₖ Sₖⱼ
    expected: [0, 1].flatMap((i) => [0, 1, 2].map((j) => [0, 1, 2].reduce((acc, k) => acc + A.data[i * 3 + k] * S.data[k * 3 + j], 0))),
  },
  {
    op: 'transpose',
    inputs: { A },
    build: (b, x) => b.make('transpose', [x.A]),
    shape: ['d', 'n'],
    expected: [1, 0.25, -2, 3, 0.5, -1.5],
  },
  { op: 'diag', inputs: { S }, build: (b, x) => b.make('diag', [x.S]), shape: ['d'], expected: [2, 1, -1.5] },
  {
    op: 'diag_embed',
    inputs: { X },
    build: (b, x) => b.make('diag_embed', [x.X]),
    shape: ['d', 'd'],
    expected: [0.7, 0, 0, 0, -1.3, 0, 0, 0, 2.1],
  },
  {
    op: 'eigvals',
    label: 'of T + Tᵀ, closed form for 2x2',
    inputs: { T },
    build: (b, x) => b.make('eigvals', [b.make('eigh', [b.make('add', [x.T, b.make('transpose', [x.T])])])]),
    shape: ['k'],
    expected: eig2(2, 0.2, 4).sort((p, q) => q - p),
  },
  {
    op: 'eigh',
    label: 'eigvecs: columns are unit eigenvectors in the order of the eigenvalues',
    inputs: { T },
    build: (b, x) => b.make('eigvecs', [b.make('eigh', [b.make('add', [x.T, b.make('transpose', [x.T])])])]),
    shape: ['k', 'k'],
    expected: (out) => {
      const [l1, l2] = eig2(2, 0.2, 4);
      const M = [[2, 0.2], [0.2, 4]];
      [l1, l2].forEach((lambda, col) => {
        const u = [out.data[col], out.data[2 + col]];
        expect(Math.hypot(u[0], u[1])).toBeCloseTo(1, 14);
        for (let r = 0; r < 2; r++) expect(M[r][0] * u[0] + M[r][1] * u[1]).toBeCloseTo(lambda * u[r], 13);
      });
    },
    gradient: 'throws',
  },
  // vectors
  {
    op: 'pad',
    inputs: { Y: v(['n'], [1.5, -2]), Z: A },
    build: (b, x) => b.make('pad', [x.Y], { length: 'd' }),
    shape: ['d'],
    expected: [1.5, -2, 0],
  },
  {
    op: 'slice',
    inputs: { X, Z: A },
    build: (b, x) => b.make('slice', [x.X], { length: 'n' }),
    shape: ['n'],
    expected: [0.7, -1.3],
  },
  // indexing
  {
    op: 'gather',
    inputs: { T: m(['d', 'k'], [[1, 2], [3, 4], [5, 6]]), ids: v(['n'], [2, 0]) },
    build: (b, x) => b.make('gather', [x.T, x.ids]),
    shape: ['n', 'k'],
    expected: [5, 6, 1, 2],
  },
  {
    op: 'scatter_add',
    inputs: { X: A, ids: v(['n'], [1, 1]) },
    build: (b, x) => b.make('scatter_add', [x.X, x.ids], { rows: 2 }),
    shape: [2, 'd'],
    expected: [0, 0, 0, 1.25, 1, -1],
  },
  {
    op: 'segment_pool',
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
]);

/** The ops without a row (eigvecs is built by eigh's row): the type checker names any. */
type Uncovered = Exclude<OpName, (typeof ROWS)[number]['op'] | 'eigvecs'>;
const everyOpHasARow: [Uncovered] extends [never] ? true : Uncovered = true;

/** The sizes the example arrays have; inferSizes must find them again. */
const SIZES: Record<string, number> = { n: 2, d: 3, k: 2 };

function programOf(row: Row): { program: Program; inputs: Map<string, Tensor64>; node: Node; b: IrBuilder } {
  const shapes = Object.fromEntries(Object.entries(row.inputs).map(([name, array]) => [name, array.shape]));
  const { program, b } = programFromInputs(shapes, (builder, x) => ({ out: row.build(builder, x) }));
  const inputs = new Map(
    Object.entries(row.inputs).map(([name, array]) => [name, tensor64(array.shape.map((dim) => (typeof dim === 'number' ? dim : SIZES[dim])), array.data)]),
  );
  return { program, inputs, node: program.outputs[0].node, b };
}

const label = (row: Row): string => (row.label === undefined ? row.op : `${row.op} (${row.label})`);

describe('op table: value against a hand formula, gradient against finite differences', () => {
  it('has a row for every op', () => {
    expect(everyOpHasARow).toBe(true);
    const covered = new Set(ROWS.flatMap((row) => [row.op, ...(row.op === 'eigh' ? ['eigvecs' as OpName] : [])]));
    expect(OP_NAMES.filter((name) => !covered.has(name))).toEqual([]);
  });

  for (const row of ROWS) {
    it(`${label(row)}: value`, () => {
      const { program, inputs, node } = programOf(row);
      expect(node.shape).toEqual(row.shape);
      const out = evaluate(program, inputs, inferSizes(program, inputs)).get('out')!;
      if (typeof row.expected === 'function') row.expected(out);
      else {
        expect(out.data.length).toBe(row.expected.length);
        out.data.forEach((x, i) => expect(x).toBeCloseTo((row.expected as number[])[i], 13));
      }
    });

    it(`${label(row)}: gradient`, () => {
      const { program, inputs, node, b } = programOf(row);
      // value = sum(out ⊙ W): W, an extra input of random entries, weighs every output entry.
      const W = b.make('input', [], { name: 'W', shape: node.shape });
      const objective: Program = {
        inputs: [...program.inputs, { name: 'W', shape: node.shape }],
        outputs: [{ name: 'value', node: b.make('sum', [b.make('mul', [node, W])]) }],
      };
      const sizes = inferSizes(program, inputs);
      const uniform = seededUniform(ROWS.indexOf(row) + 1);
      const outShape = node.shape.map((dim) => (typeof dim === 'number' ? dim : sizes.get(dim)!));
      const withW = new Map(inputs);
      withW.set('W', tensor64(outShape, Array.from({ length: outShape.reduce((p, q) => p * q, 1) }, () => 2 * uniform() - 1)));
      const mode = row.gradient ?? 'fd';
      if (mode === 'throws') {
        expect(() => differentiate(objective)).toThrow(IrError);
        return;
      }
      if (mode === 'zero') {
        const outputs = evaluate(differentiate(objective), withW, sizes);
        for (const { name } of program.inputs) expect([...outputs.get(`grad:${name}`)!.data].every((x) => x === 0)).toBe(true);
        return;
      }
      const result = compareGradients(objective, withW, sizes, { directions: 2, entries: true, uniform });
      expect(result.worst, result.where).toBeLessThanOrEqual(1e-6);
    });
  }
});
