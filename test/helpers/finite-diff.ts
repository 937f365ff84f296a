import { differentiate } from '../../compiler/autodiff.ts';
import { evaluate } from '../../compiler/backends/reference/evaluate.ts';
import type { Program } from '../../compiler/ir/node.ts';
import { tensor64, type Tensor64 } from '../../compiler/ir/tensor.ts';

/**
 * Finite differences in float64, the oracle for gradient tests: Ridders' method (Numerical
 * Recipes' `dfridr`). Central differences D(h) = (f(x + hv) - f(x - hv)) / 2h at steps h, h/1.4,
 * h/1.4², ... are extrapolated to h -> 0 in a Neville tableau, and the entry with the smallest
 * error estimate is kept; it stops when extrapolating further makes things worse. This adapts to
 * the function's curvature (no single step suits both eˣ-type and nearly flat objectives) and
 * typically gives 10-13 correct digits in float64.
 */

export type Inputs = ReadonlyMap<string, Tensor64>;
export type ScalarFunction = (inputs: Inputs) => number;

/** The first (largest) step, along a direction of unit norm. */
export const DEFAULT_STEP = 1e-3;
const SHRINK = 1.4;
const TABLE = 10;
const SAFE = 2;

/** An estimate of a derivative and of its error. */
export interface Estimate {
  readonly value: number;
  readonly error: number;
}

/** Ridders' extrapolation of the central difference of `g` at 0. */
export function ridders(g: (t: number) => number, h = DEFAULT_STEP): Estimate {
  const tableau: number[][] = [];
  let best = { value: Number.NaN, error: Infinity };
  let step = h;
  for (let i = 0; i < TABLE; i++, step /= SHRINK) {
    const row = [(g(step) - g(-step)) / (2 * step)];
    let factor = SHRINK * SHRINK;
    for (let j = 1; j <= i; j++, factor *= SHRINK * SHRINK) {
      row.push((row[j - 1] * factor - tableau[i - 1][j - 1]) / (factor - 1));
      const error = Math.max(Math.abs(row[j] - row[j - 1]), Math.abs(row[j] - tableau[i - 1][j - 1]));
      if (error <= best.error) best = { value: row[j], error };
    }
    tableau.push(row);
    if (i > 0 && Math.abs(row[i] - tableau[i - 1][i - 1]) >= SAFE * best.error) break;
  }
  return best;
}

/** The program's `value` output as a function of its inputs. */
export function valueFunction(program: Program, sizes: ReadonlyMap<string, number>): ScalarFunction {
  return (inputs) => evaluate(program, inputs, sizes).get('value')!.data[0];
}

/** x + t·v, input by input (inputs missing from `direction` stay put). */
export function displaced(inputs: Inputs, direction: Inputs, t: number): Map<string, Tensor64> {
  const out = new Map<string, Tensor64>();
  for (const [name, x] of inputs) {
    const v = direction.get(name);
    const data = Float64Array.from(x.data, (xi, i) => xi + t * (v === undefined ? 0 : v.data[i]));
    out.set(name, tensor64(x.shape, data));
  }
  return out;
}

/** d/dt f(x + t·v) at t = 0, by Ridders' extrapolation of central differences. */
export function directionalDerivative(f: ScalarFunction, inputs: Inputs, direction: Inputs, h = DEFAULT_STEP): number {
  return ridders((t) => f(displaced(inputs, direction, t)), h).value;
}

/** ∂f/∂x[name][index]: the directional derivative along one coordinate. */
export function entryDerivative(f: ScalarFunction, inputs: Inputs, name: string, index: number, h = DEFAULT_STEP): number {
  const x = inputs.get(name)!;
  const unit = tensor64(x.shape);
  unit.data[index] = 1;
  return directionalDerivative(f, inputs, new Map([[name, unit]]), h);
}

/** <a, v> summed over every input. */
export function innerProduct(a: Inputs, v: Inputs): number {
  let total = 0;
  for (const [name, x] of v) {
    const y = a.get(name)!;
    for (let i = 0; i < x.data.length; i++) total += x.data[i] * y.data[i];
  }
  return total;
}

/** A direction of unit Euclidean norm over all inputs, from `uniform` (values in [0, 1)). */
export function unitDirection(inputs: Inputs, uniform: () => number): Map<string, Tensor64> {
  const direction = new Map<string, Tensor64>();
  let norm2 = 0;
  for (const [name, x] of inputs) {
    const v = tensor64(x.shape, Float64Array.from(x.data, () => 2 * uniform() - 1));
    for (const vi of v.data) norm2 += vi * vi;
    direction.set(name, v);
  }
  const scale = norm2 > 0 ? 1 / Math.sqrt(norm2) : 0;
  for (const v of direction.values()) for (let i = 0; i < v.data.length; i++) v.data[i] *= scale;
  return direction;
}

/**
 * |a - b| relative to the larger of |a|, |b| and `floor`. The floor stands for the size of the
 * quantity being compared, so that a derivative that is 0 (where finite differences leave
 * rounding noise) is judged against that size instead of against 0.
 */
export function relativeError(a: number, b: number, floor: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b), floor);
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

/** A small deterministic PRNG (mulberry32), for directions chosen from a test's seed. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How an automatic gradient compares with finite differences. */
export interface GradientComparison {
  /** The largest relative error found (see `compareGradients`). */
  readonly worst: number;
  /** Where it was found, e.g. `direction 0: ad 1.25, fd 1.2500000001` or `Z[3]: ad ..., fd ...`. */
  readonly where: string;
  readonly value: number;
  /** ‖∇f‖₂ over all inputs. */
  readonly gradientNorm: number;
}

/**
 * Differentiates `program`, evaluates value and gradient with the reference backend, and
 * compares them with finite differences (Ridders) of the float64 forward value: the directional
 * derivative <∇f, v> against d/dt f(x + tv) for `directions` random unit directions v (JAX
 * check_grads style), and, with `entries`, every partial derivative. The relative error is
 * |ad - fd| / max(|ad|, |fd|, floor) with floor = 1e-3·max(1, |f(x)|, ‖∇f‖₂): relative where the
 * derivative has a size, absolute against the size of f and ∇f where it is (near) 0.
 */
export function compareGradients(
  program: Program,
  inputs: Inputs,
  sizes: ReadonlyMap<string, number>,
  options: { readonly directions: number; readonly entries: boolean; readonly uniform: () => number },
): GradientComparison {
  const outputs = evaluate(differentiate(program), inputs, sizes);
  const value = outputs.get('value')!.data[0];
  const grads = new Map([...inputs.keys()].map((name) => [name, outputs.get(`grad:${name}`)!]));
  let norm2 = 0;
  for (const g of grads.values()) for (const x of g.data) norm2 += x * x;
  const gradientNorm = Math.sqrt(norm2);
  const floor = 1e-3 * Math.max(1, Math.abs(value), gradientNorm);
  const f = valueFunction(program, sizes);
  let worst = 0;
  let where = 'nowhere';
  const compare = (label: string, ad: number, fd: number): void => {
    const error = relativeError(ad, fd, floor);
    // A NaN error (a NaN gradient) is the worst there is, and stays.
    if (!Number.isNaN(worst) && !(error <= worst)) [worst, where] = [error, `${label}: ad ${ad}, fd ${fd}`];
  };
  for (let k = 0; k < options.directions; k++) {
    const v = unitDirection(inputs, options.uniform);
    compare(`direction ${k}`, innerProduct(grads, v), directionalDerivative(f, inputs, v));
  }
  if (options.entries) {
    for (const [name, x] of inputs) {
      for (let i = 0; i < x.data.length; i++) {
        compare(`${name}[${i}]`, grads.get(name)!.data[i], entryDerivative(f, inputs, name, i));
      }
    }
  }
  return { worst, where, value, gradientNorm };
}
