import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Program } from '../../../compiler/ir/node.ts';
import type { Tensor64 } from '../../../compiler/ir/tensor.ts';
import { cse } from '../../../compiler/passes/cse.ts';
import { dual } from '../../../compiler/passes/dual.ts';
import { fold } from '../../../compiler/passes/fold.ts';
import type { PassResult } from '../../../compiler/passes/pass.ts';
import { simplify } from '../../../compiler/passes/simplify.ts';
import { specialize } from '../../../compiler/passes/specialize.ts';
import { spectral } from '../../../compiler/passes/spectral.ts';
import { optimize } from '../../../compiler/pipeline.ts';
import { candidatePrograms, randomProgram, type RandomProgram } from '../../helpers/random-ir.ts';
import { run } from './fixtures.ts';

/**
 * Every pass preserves values on random programs (test/helpers/random-ir.ts): the optimised and
 * the unoptimised program agree within 1e-10, normwise relative to max(1, |value|) (random
 * programs keep every intermediate value below 1e4, so cancellation cannot hide behind a tiny
 * result).
 */
const TOLERANCE = 1e-10;

function difference(a: Tensor64, b: Tensor64): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < a.data.length; i++) {
    const [x, y] = [a.data[i], b.data[i]];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === y) continue;
    diff = Math.max(diff, Math.abs(x - y));
    scale = Math.max(scale, Math.abs(x), Math.abs(y));
  }
  return Number.isNaN(diff) ? Infinity : diff / scale;
}

function agree(sample: RandomProgram, optimised: Program): void {
  const before = run(sample.program, sample.inputs, sample.sizes);
  const after = run(optimised, sample.inputs, sample.sizes);
  for (const [name, value] of before) {
    const other = after.get(name)!;
    expect(other.shape, `${name} shape\n${sample}`).toEqual(value.shape);
    const d = difference(value, other);
    if (!(d <= TOLERANCE)) {
      throw new Error(`${name}: ${value.data} vs ${other.data} (relative difference ${d})\n${sample}`);
    }
  }
}

const PASSES: [string, (sample: RandomProgram) => PassResult][] = [
  ['specialize', (s) => specialize(s.program, s.sizes)],
  ['fold', (s) => fold(s.program)],
  ['fold after specialize', (s) => fold(specialize(s.program, s.sizes).program)],
  ['simplify', (s) => simplify(s.program)],
  ['simplify after specialize', (s) => simplify(specialize(s.program, s.sizes).program)],
  ['spectral', (s) => spectral(s.program)],
  ['dual after specialize and fold', (s) => dual(fold(specialize(s.program, s.sizes).program).program)],
  ['cse', (s) => cse(s.program)],
];

describe('passes preserve values on random programs', () => {
  const fired = new Map<string, Set<string>>();

  it.each(PASSES)('%s', (name, pass) => {
    const rules = new Set<string>();
    fired.set(name, rules);
    fc.assert(
      fc.property(randomProgram(), (sample) => {
        const result = pass(sample);
        for (const f of result.fired) rules.add(f.rule);
        agree(sample, result.program);
      }),
      { numRuns: 150, seed: 20261125 },
    );
  });

  it('the whole optimisation, with and without sizes, also off the smooth domain', () => {
    fc.assert(
      fc.property(candidatePrograms(), fc.boolean(), (sample, withSizes) => {
        const before = run(sample.program, sample.inputs, sample.sizes);
        // Off the smooth domain values may overflow: rewrites are exact for finite values only.
        for (const t of before.values()) fc.pre(t.data.every((x) => Number.isFinite(x) && Math.abs(x) < 1e8));
        const result = optimize(sample.program, withSizes ? { sizes: sample.sizes } : {});
        expect(result.converged).toBe(true);
        agree(sample, result.program);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('random programs exercise the rules (sanity check of the generator)', () => {
    // Not a correctness property: it guards against the properties above passing vacuously.
    expect(fired.get('simplify')!.size).toBeGreaterThan(5);
    expect(fired.get('spectral')!.size).toBeGreaterThan(0);
    // The generator's Gram matrices XᵀX take X with at least as many rows as columns (so that
    // eigenvalues stay distinct), where the dual form never applies: dual.test.ts draws its own.
    if (process.env.DFLC_SHOW_COVERAGE) console.log(fired);
  });
});
