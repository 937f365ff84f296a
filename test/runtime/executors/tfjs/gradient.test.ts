import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differentiate } from '../../../../compiler/autodiff.ts';
import { IrBuilder } from '../../../../compiler/ir/builder.ts';
import type { Node, Program } from '../../../../compiler/ir/node.ts';
import type { Shape } from '../../../../compiler/ir/shape.ts';
import { tensor64, type Tensor64 } from '../../../../compiler/ir/tensor.ts';
import type { TfjsExecutor } from '../../../../runtime/executors/tfjs/tfjs-executor.ts';
import { loadExecutors, reference, relativeError, seeded, TEST_BACKENDS, toFloat32, TOLERANCE } from '../helpers.ts';

type In = Readonly<Record<string, Node>>;
interface GradRow {
  /** Inputs beyond the weights W: name -> [declared shape, concrete shape, positive?]. */
  readonly inputs: Readonly<Record<string, readonly [Shape, readonly number[], boolean?]>>;
  /** f(inputs); the objective is sum(f(inputs) * W) with W a random input of f's shape. */
  readonly f: (b: IrBuilder, x: In) => Node;
}

const A = [['n', 'd'], [5, 3]] as const;
const Apos = [['n', 'd'], [5, 3], true] as const;
const B = [['n', 'd'], [5, 3]] as const;
const c = (b: IrBuilder, value: number) => b.make('const', [], { value, shape: [] });
const unary = (op: Node['op'], positive = false): GradRow => ({ inputs: { A: positive ? Apos : A }, f: (b, x) => b.make(op, [x.A]) });
const binary = (op: Node['op'], positive = false): GradRow => ({
  inputs: { A: positive ? Apos : A, B: positive ? [B[0], B[1], true] : B },
  f: (b, x) => b.make(op, [x.A, x.B]),
});
/** A symmetric positive definite matrix from A: AᵀA + I. */
const spd = (b: IrBuilder, x: In) => b.make('add', [b.make('matmul', [b.make('transpose', [x.A]), x.A]), b.make('eye', [], { n: 'd' })]);

/** Every differentiable op, and the ones whose gradient is zero, under differentiate. */
const rows: Record<string, GradRow> = {
  neg: unary('neg'),
  exp: unary('exp'),
  log: unary('log', true),
  sqrt: unary('sqrt', true),
  abs: unary('abs'),
  square: unary('square'),
  relu: unary('relu'),
  softplus: unary('softplus'),
  sigmoid: unary('sigmoid'),
  'sign (zero gradient)': { inputs: { A }, f: (b, x) => b.make('add', [b.make('sign', [x.A]), x.A]) },
  'step (zero gradient)': { inputs: { A }, f: (b, x) => b.make('mul', [b.make('step', [x.A]), x.A]) },
  stop_gradient: { inputs: { A }, f: (b, x) => b.make('mul', [b.make('stop_gradient', [x.A]), x.A]) },
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div', true),
  'pow (scalar exponent input)': { inputs: { A: Apos, p: [[], [], true] }, f: (b, x) => b.make('pow', [x.A, x.p]) },
  'pow (negative base, integer exponent)': { inputs: { A }, f: (b, x) => b.make('pow', [x.A, c(b, 3)]) },
  maximum: binary('maximum'),
  minimum: binary('minimum'),
  'eq (zero gradient)': { inputs: { A }, f: (b, x) => b.make('mul', [b.make('eq', [x.A, b.make('max', [x.A])]), x.A]) },
  sum: { inputs: { A }, f: (b, x) => b.make('sum', [b.make('square', [x.A])]) },
  max: { inputs: { A }, f: (b, x) => b.make('max', [x.A]) },
  min: { inputs: { A }, f: (b, x) => b.make('min', [x.A]) },
  sum_rows: unary('sum_rows'),
  sum_cols: unary('sum_cols'),
  broadcast: { inputs: { A }, f: (b, x) => b.make('broadcast', [b.make('sum', [x.A])], { shape: ['n', 'd'] }) },
  bcast_rows: { inputs: { A }, f: (b, x) => b.make('bcast_rows', [b.make('sum_rows', [x.A])], { rows: 'n' }) },
  bcast_cols: { inputs: { A }, f: (b, x) => b.make('bcast_cols', [b.make('sum_cols', [x.A])], { cols: 'd' }) },
  matmul: { inputs: { A, C: [['d', 'm'], [3, 4]] }, f: (b, x) => b.make('matmul', [x.A, x.C]) },
  transpose: unary('transpose'),
  diag: { inputs: { A }, f: (b, x) => b.make('diag', [b.make('matmul', [b.make('transpose', [x.A]), x.A])]) },
  diag_embed: { inputs: { A }, f: (b, x) => b.make('diag_embed', [b.make('sum_rows', [x.A])]) },
  'eigvals (through eigh)': { inputs: { A }, f: (b, x) => b.make('eigvals', [b.make('eigh', [spd(b, x)])]) },
  pad: { inputs: { A }, f: (b, x) => b.make('pad', [b.make('sum_rows', [x.A])], { length: 'n' }) },
  slice: { inputs: { A }, f: (b, x) => b.make('slice', [b.make('sum_cols', [x.A])], { length: 'd' }) },
  'dimsize, const, eye (leaves)': {
    inputs: { A },
    f: (b, x) =>
      b.make('add', [
        b.make('mul', [b.make('dimsize', [], { dim: 'n' }), b.make('matmul', [b.make('transpose', [x.A]), x.A])]),
        b.make('eye', [], { n: 'd' }),
      ]),
  },
};

function objective(row: GradRow, seed: number): { program: Program; inputs: Map<string, Tensor64> } {
  const b = new IrBuilder();
  const random = seeded(seed);
  const x: Record<string, Node> = {};
  const inputs = new Map<string, Tensor64>();
  const declared: { name: string; shape: Shape }[] = [];
  for (const [name, [shape, concrete, positive]] of Object.entries(row.inputs)) {
    x[name] = b.make('input', [], { name, shape });
    declared.push({ name, shape });
    const size = concrete.reduce((p, q) => p * q, 1);
    inputs.set(name, tensor64(concrete, Float32Array.from({ length: size }, () => (positive ? 0.5 + 2 * random() : 4 * random() - 2))));
  }
  const f = row.f(b, x);
  const sizes = new Map<string, number>([['n', 5], ['d', 3], ['m', 4]]);
  const wShape = f.shape.map((dim) => (typeof dim === 'number' ? dim : sizes.get(dim)!));
  const w = b.make('input', [], { name: 'W', shape: f.shape });
  declared.push({ name: 'W', shape: f.shape });
  inputs.set('W', tensor64(wShape, Float32Array.from({ length: wShape.reduce((p, q) => p * q, 1) }, () => 2 * random() - 1)));
  const value = b.make('sum', [b.make('mul', [f, w])]);
  return { program: { inputs: declared, outputs: [{ name: 'value', node: value }] }, inputs };
}

let executors: Map<string, TfjsExecutor>;
beforeAll(async () => {
  executors = await loadExecutors();
});
afterAll(() => executors?.forEach((e) => e.dispose()));

describe.each(TEST_BACKENDS)('differentiate(program) on tfjs %s matches the float64 reference', (backend) => {
  it.each(Object.entries(rows))('%s', async (_name, row) => {
    const { program: forward, inputs } = objective(row, 11);
    const program = differentiate(forward);
    const want = reference(program, inputs);
    const got = await executors.get(backend)!.run(program, toFloat32(inputs));
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [name, w] of want) {
      expect(got.get(name)!.shape, name).toEqual(w.shape);
      expect(relativeError(got.get(name)!.data, w.data), name).toBeLessThan(TOLERANCE);
    }
  });
});
