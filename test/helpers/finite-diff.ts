import { evaluate } from '../../compiler/backends/reference/evaluate.ts';
import type { Program } from '../../compiler/ir/node.ts';
import { tensor64, type Tensor64 } from '../../compiler/ir/tensor.ts';

/**
 * Finite differences in float64, the oracle for gradient tests. Central differences with one
 * step of Richardson extrapolation: with D(h) = (f(x + hv) - f(x - hv)) / 2h, the estimate
 * (4 D(h/2) - D(h)) / 3 has truncation error O(h⁴) instead of O(h²), so a step large enough to
 * keep rounding small (h = 1e-3 on unit directions) still gives about 10 correct digits.
 */

export type Inputs = ReadonlyMap<string, Tensor64>;
export type ScalarFunction = (inputs: Inputs) => number;

export const DEFAULT_STEP = 1e-3;

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

/** d/dt f(x + t·v) at t = 0, by Richardson-extrapolated central differences. */
export function directionalDerivative(f: ScalarFunction, inputs: Inputs, direction: Inputs, h = DEFAULT_STEP): number {
  const central = (step: number): number =>
    (f(displaced(inputs, direction, step)) - f(displaced(inputs, direction, -step))) / (2 * step);
  return (4 * central(h / 2) - central(h)) / 3;
}

/** ∂f/∂x[name][index]: the directional derivative along one coordinate. */
export function entryDerivative(f: ScalarFunction, inputs: Inputs, name: string, index: number, h = DEFAULT_STEP): number {
  const direction = new Map<string, Tensor64>();
  const x = inputs.get(name)!;
  const unit = tensor64(x.shape);
  unit.data[index] = 1;
  direction.set(name, unit);
  return directionalDerivative(f, inputs, direction, h);
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
