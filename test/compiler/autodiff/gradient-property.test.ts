import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { differentiate } from '../../../compiler/autodiff.ts';
import { evaluate } from '../../../compiler/backends/reference/evaluate.ts';
import { compareGradients, seededUniform } from '../../helpers/finite-diff.ts';
import { DIFFERENTIABLE_OPS, randomProgram } from '../../helpers/random-ir.ts';

/**
 * Reverse-mode gradients of random well-shaped programs against finite differences of the
 * float64 forward value. Method (see test/helpers/finite-diff.ts): JAX check_grads style, the
 * directional derivative <∇f, v> along 3 random unit directions v against Ridders-extrapolated
 * central differences of t -> f(x + tv), plus every partial derivative when the inputs have at
 * most 12 entries in all. Relative error |ad - fd| / max(|ad|, |fd|, 1e-3·max(1, |f|, ‖∇f‖))
 * must be <= 1e-6. Inputs sit at least 1e-2 (relative) away from every kink, tie and eigenvalue
 * crossing (test/helpers/random-ir.ts), so the value is smooth where it is differenced.
 */

const TOLERANCE = 1e-6;
const ENTRY_CHECK_LIMIT = 12;

describe('gradient property', () => {
  it('differentiate agrees with finite differences on random programs', () => {
    fc.assert(
      fc.property(randomProgram(), fc.integer(), (sample, seed) => {
        const entries = [...sample.inputs.values()].reduce((n, t) => n + t.data.length, 0);
        const result = compareGradients(sample.program, sample.inputs, sample.sizes, {
          directions: 3,
          entries: entries <= ENTRY_CHECK_LIMIT,
          uniform: seededUniform(seed),
        });
        if (!(result.worst <= TOLERANCE)) throw new Error(`relative error ${result.worst} at ${result.where}\n${sample}`);
      }),
      { numRuns: 400 },
    );
  });

  it('the differentiated program computes the same value, to the bit', () => {
    fc.assert(
      fc.property(randomProgram(), (sample) => {
        const plain = evaluate(sample.program, sample.inputs, sample.sizes).get('value')!.data[0];
        const withGrad = evaluate(differentiate(sample.program), sample.inputs, sample.sizes).get('value')!.data[0];
        expect(Object.is(plain, withGrad)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('the generator composes every differentiable op, over all kinds of sizes', () => {
    const samples = fc.sample(randomProgram(), { numRuns: 400, seed: 20261125 });
    const used = new Set(samples.flatMap((s) => [...s.ops]));
    expect(DIFFERENTIABLE_OPS.filter((op) => !used.has(op))).toEqual([]);
    const sizes = samples.map((s) => [s.sizes.get('n')!, s.sizes.get('d')!]);
    expect(sizes.some(([n, d]) => n < d)).toBe(true);
    expect(sizes.some(([n, d]) => n > d)).toBe(true);
    // Most programs must have a gradient to check (some are flat: relu < 0, the other side of a max).
    const uniform = seededUniform(1);
    const nonzero = samples.filter(
      (s) => compareGradients(s.program, s.inputs, s.sizes, { directions: 0, entries: false, uniform }).gradientNorm > 1e-9,
    );
    expect(nonzero.length / samples.length).toBeGreaterThan(0.6);
  });
});
