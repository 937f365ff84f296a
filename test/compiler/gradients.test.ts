import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { differentiate } from '../../compiler/autodiff.ts';
import { compileValueAndGrad, optimize } from '../../compiler/pipeline.ts';
import { evaluate, evaluateNodes } from '../../compiler/backends/reference/evaluate.ts';
import type { Program } from '../../compiler/ir/node.ts';
import { isTuple, tensor64, type Tensor64 } from '../../compiler/ir/tensor.ts';
import { forwardProgram } from '../helpers/compile-source.ts';
import { normals } from '../helpers/linalg64.ts';
import { randomObjective } from '../helpers/random-dfl.ts';

/**
 * Gradients of random DFL objectives, differentiated in the IR and evaluated in float64, against
 * finite differences of the float64 forward value. Method (as JAX's check_grads): in two random
 * unit directions v over all inputs, compare ⟨∇f, v⟩ with a central difference in v refined by
 * one Richardson step, error O(h⁴). Relative error ≤ 1e-6, where the denominator is floored at
 * 1e-6·(1 + |f|) so that a derivative that is 0 up to rounding does not divide by noise, and at
 * 1e6 times the difference quotient's own rounding noise: f is computed to about eps·A, A the sum
 * of the magnitudes of every value it computes, and the quotient divides such errors by h. Without
 * it, sum(center(Z)) (identically 0, computed as a cancelling sum of about 40 magnitude) failed:
 * analytic 0, numeric -1.6e-12.
 *
 * The optimised program (what users run) is checked at every size. The unoptimised one is
 * checked only for n ≥ d: for n < d its primal spectrum holds d − n eigenvalues that are zero
 * up to rounding, and roots of rounding noise are not differentiable; the dual form, which the
 * optimiser applies, computes them as exact zeros.
 */

function randomInputs(program: Program, n: number, d: number, seed: number): Map<string, Tensor64> {
  const next = normals(seed);
  const sizes: Record<string, number> = { n, d };
  return new Map(
    program.inputs.map(({ name, shape }) => {
      const dims = shape.map((dim) => (typeof dim === 'number' ? dim : sizes[dim]));
      return [name, tensor64(dims, Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => next()))];
    }),
  );
}

function shifted(inputs: Map<string, Tensor64>, direction: Map<string, Float64Array>, h: number): Map<string, Tensor64> {
  return new Map(
    [...inputs].map(([name, t]) => [name, tensor64(t.shape, t.data.map((v, i) => v + h * direction.get(name)![i]))]),
  );
}

function directionalCheck(forward: Program, program: Program, inputs: Map<string, Tensor64>, sizes: Map<string, number>, seed: number) {
  const outputs = evaluate(program, inputs, sizes);
  const f = (x: Map<string, Tensor64>) => evaluate(forward, x, sizes).get('value')!.data[0];
  const value = outputs.get('value')!.data[0];
  const next = normals(seed);
  const direction = new Map([...inputs].map(([name, t]) => [name, t.data.map(() => next())]));
  const norm = Math.sqrt([...direction.values()].reduce((s, v) => s + v.reduce((a, x) => a + x * x, 0), 0));
  for (const v of direction.values()) for (let i = 0; i < v.length; i++) v[i] /= norm;
  let analytic = 0;
  for (const [name, v] of direction) {
    const g = outputs.get(`grad:${name}`)!.data;
    for (let i = 0; i < v.length; i++) analytic += g[i] * v[i];
  }
  const central = (h: number) => (f(shifted(inputs, direction, h)) - f(shifted(inputs, direction, -h))) / (2 * h);
  const h = 1e-3;
  const numeric = (4 * central(h / 2) - central(h)) / 3;
  let magnitudes = 0;
  for (const v of evaluateNodes(forward, inputs, sizes).values()) for (const t of isTuple(v) ? v : [v]) for (const x of t.data) magnitudes += Math.abs(x);
  const noise = (2 * Number.EPSILON * magnitudes) / h;
  const scale = Math.max(Math.abs(analytic), Math.abs(numeric), 1e-6 * (1 + Math.abs(value)), noise / 1e-6);
  return { analytic, numeric, value, error: Math.abs(analytic - numeric) / scale };
}

describe('IR-differentiated gradients agree with finite differences', () => {
  it('on random DFL objectives (n < d included), float64', () => {
    fc.assert(
      fc.property(randomObjective(), fc.integer({ min: 1, max: 1e9 }), ({ source, n, d }, seed) => {
        const sizes = new Map([
          ['n', n],
          ['d', d],
        ]);
        const raw = forwardProgram(source);
        const inputs = randomInputs(raw, n, d, seed);
        const variants = [{ label: 'optimised', forward: optimize(raw, { sizes }).program, joint: compileValueAndGrad(raw, { sizes }).program }];
        if (n >= d) variants.push({ label: 'unoptimised', forward: raw, joint: differentiate(raw) });
        for (const { label, forward, joint } of variants) {
          for (const round of [1, 2]) {
            const check = directionalCheck(forward, joint, inputs, sizes, seed + round);
            if (!Number.isFinite(check.value)) return; // overflow of a random composition, not a gradient question
            expect(check.error, `${label} ${source} (n=${n}, d=${d}): analytic ${check.analytic}, numeric ${check.numeric}`).toBeLessThanOrEqual(1e-6);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
