import { IrBuilder } from '../../../compiler/ir/builder.ts';
import type { Node, Program } from '../../../compiler/ir/node.ts';
import { topoOrder } from '../../../compiler/ir/node.ts';
import { bindShape, type Shape } from '../../../compiler/ir/shape.ts';
import { tensor64, type Tensor64 } from '../../../compiler/ir/tensor.ts';
import { evaluate } from '../../../compiler/backends/reference/evaluate.ts';
import { seededUniform as uniform } from '../../helpers/finite-diff.ts';

/** The tests' shared seeded uniform generator, under the name these tests use. */
export { uniform };

/** Shared helpers for the pass and pipeline tests: IR shapes the lowering makes, data, comparison. */

export function scalarConst(b: IrBuilder, value: number): Node {
  return b.make('const', [], { value, shape: [] });
}

export function input(b: IrBuilder, name: string, shape: Shape): Node {
  return b.make('input', [], { name, shape: [...shape] });
}

/** A program over the `input` nodes it reaches, with the given outputs. */
export function programOf(outputs: Record<string, Node>): Program {
  const nodes = topoOrder(Object.values(outputs));
  const inputs = nodes.filter((n) => n.op === 'input').map((n) => ({ name: String(n.attrs.name), shape: n.shape }));
  return { inputs, outputs: Object.entries(outputs).map(([name, node]) => ({ name, node })) };
}

/** `center(Z)` as the lowering writes it. */
export function center(b: IrBuilder, z: Node): Node {
  const [n] = z.shape;
  const mean = b.make('div', [b.make('sum_rows', [z]), b.make('dimsize', [], { dim: n })]);
  return b.make('sub', [z, b.make('bcast_rows', [mean], { rows: n })]);
}

/** `cov(Z)` as the lowering writes it. */
export function cov(b: IrBuilder, z: Node): Node {
  const c = center(b, z);
  const dof = b.make('sub', [b.make('dimsize', [], { dim: z.shape[0] }), scalarConst(b, 1)]);
  return b.make('div', [b.make('matmul', [b.make('transpose', [c]), c]), dof]);
}

export function eigenvalues(b: IrBuilder, m: Node): Node {
  return b.make('eigvals', [b.make('eigh', [m])]);
}

/** `spectrum(Z) = eigvals(cov(Z))`. */
export function spectrum(b: IrBuilder, z: Node): Node {
  return eigenvalues(b, cov(b, z));
}

/** `balance2(s) = 1 - (sum(s)^2 / sum(s^2)) / len(s)`, unguarded. */
export function balance2(b: IrBuilder, s: Node): Node {
  const two = scalarConst(b, 2);
  const ratio = b.make('div', [b.make('pow', [b.make('sum', [s]), two]), b.make('sum', [b.make('pow', [s, two])])]);
  return b.make('sub', [scalarConst(b, 1), b.make('div', [ratio, b.make('dimsize', [], { dim: s.shape[0] })])]);
}

/** Random inputs in [-1, 1) (or [lo, hi)) for every program input under `sizes`. */
export function randomInputs(program: Program, sizes: ReadonlyMap<string, number>, seed: number, lo = -1, hi = 1): Map<string, Tensor64> {
  const next = uniform(seed);
  const out = new Map<string, Tensor64>();
  for (const { name, shape } of program.inputs) {
    const bound = bindShape(shape, sizes).map((dim) => dim as number);
    const t = tensor64(bound);
    for (let i = 0; i < t.data.length; i++) t.data[i] = lo + (hi - lo) * next();
    out.set(name, t);
  }
  return out;
}

/** Inputs of `program` restricted to its own input names (passes may drop inputs that became dead). */
export function inputsFor(program: Program, all: ReadonlyMap<string, Tensor64>): Map<string, Tensor64> {
  return new Map(program.inputs.map((i) => [i.name, all.get(i.name)!]));
}

export function run(program: Program, inputs: ReadonlyMap<string, Tensor64>, sizes: ReadonlyMap<string, number>): Map<string, Tensor64> {
  return evaluate(program, inputsFor(program, inputs), sizes);
}

/**
 * Normwise relative difference of two tensors: max |a - b| over max(|a|, |b|) (0 when both are
 * zero). NaN in the same entries counts as equal; NaN against a number is Infinity.
 */
export function relativeDifference(a: Tensor64, b: Tensor64): number {
  if (a.data.length !== b.data.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i];
    const y = b.data[i];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      return Infinity;
    }
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      if (x === y) continue;
      return Infinity;
    }
    diff = Math.max(diff, Math.abs(x - y));
    scale = Math.max(scale, Math.abs(x), Math.abs(y));
  }
  return diff === 0 ? 0 : diff / scale;
}

/** The largest relative difference over the outputs both maps have. */
export function worstDifference(a: ReadonlyMap<string, Tensor64>, b: ReadonlyMap<string, Tensor64>): number {
  let worst = 0;
  for (const [name, x] of a) {
    const y = b.get(name);
    if (y === undefined) return Infinity;
    worst = Math.max(worst, relativeDifference(x, y));
  }
  return worst;
}

export function allFinite(outputs: ReadonlyMap<string, Tensor64>): boolean {
  for (const t of outputs.values()) for (const x of t.data) if (!Number.isFinite(x)) return false;
  return true;
}

export function opsOf(program: Program): string[] {
  return topoOrder(program.outputs.map((o) => o.node)).map((n) => n.op);
}

export { IrBuilder };
