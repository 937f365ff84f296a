import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import type { Node } from '../../../compiler/ir/node.ts';
import { tensor64 } from '../../../compiler/ir/tensor.ts';
import { SPECTRAL_RULES, spectral } from '../../../compiler/passes/spectral.ts';
import { optimize } from '../../../compiler/pipeline.ts';
import { eigenvalues, input, opsOf, programOf, randomInputs, run, scalarConst, worstDifference } from './fixtures.ts';
import { RULE_SIZES, ruleInputs, SPECTRAL_CASES } from './rule-cases.ts';

describe('spectral', () => {
  it('has a test case for every rule', () => {
    expect(Object.keys(SPECTRAL_CASES).sort()).toEqual(SPECTRAL_RULES.map((r) => r.name).sort());
  });

  describe.each(SPECTRAL_RULES.map((r) => [r.name, r.identity] as const))('%s (%s)', (name) => {
    const b = new IrBuilder();
    const program = programOf({ out: SPECTRAL_CASES[name](ruleInputs(b)) });
    const result = spectral(program);

    it('fires and keeps the value', () => {
      expect(result.fired.map((f) => f.rule)).toContain(name);
      for (let seed = 1; seed <= 3; seed++) {
        const inputs = randomInputs(program, RULE_SIZES, seed);
        expect(worstDifference(run(program, inputs, RULE_SIZES), run(result.program, inputs, RULE_SIZES))).toBeLessThan(1e-12);
      }
    });
  });

  /** Builds `f(eigvals(eigh(A + Aᵀ)))` for A: [k, k], and also returns the eigenvalues node. */
  function overSpectrum(f: (b: IrBuilder, s: Node) => Node) {
    const b = new IrBuilder();
    const a = input(b, 'A', ['k', 'k']);
    const s = eigenvalues(b, b.make('add', [a, b.make('transpose', [a])]));
    return programOf({ value: f(b, s) });
  }

  const pow = (b: IrBuilder, x: Node, k: number) => b.make('pow', [x, scalarConst(b, k)]);
  const REMOVABLE: [string, (b: IrBuilder, s: Node) => Node][] = [
    ['Σ s', (b, s) => b.make('sum', [s])],
    ['Σ s²', (b, s) => b.make('sum', [b.make('square', [s])])],
    ['Σ s^2', (b, s) => b.make('sum', [pow(b, s, 2)])],
    ['Σ s^3', (b, s) => b.make('sum', [pow(b, s, 3)])],
    ['Σ s^4', (b, s) => b.make('sum', [pow(b, s, 4)])],
    ['Σ pad(s)', (b, s) => b.make('sum', [b.make('pad', [s], { length: 'm' })])],
    ['Σ pad(s)²', (b, s) => b.make('sum', [b.make('square', [b.make('pad', [s], { length: 'm' })])])],
    ['Σ pad(s)^3', (b, s) => b.make('sum', [pow(b, b.make('pad', [s], { length: 'm' }), 3)])],
    ['Σ (c s)', (b, s) => b.make('sum', [b.make('mul', [s, scalarConst(b, -0.7)])])],
    ['Σ (s / c)²', (b, s) => b.make('sum', [b.make('square', [b.make('div', [s, scalarConst(b, 3)])])])],
    ['Σ (c s)^3', (b, s) => b.make('sum', [pow(b, b.make('mul', [s, scalarConst(b, 1.5)]), 3)])],
    [
      'Σ pad(s / (1 + Σ s²))²',
      (b, s) => {
        const norm = b.make('add', [scalarConst(b, 1), b.make('sum', [b.make('square', [s])])]);
        return b.make('sum', [b.make('square', [b.make('pad', [b.make('div', [s, norm])], { length: 'm' })])]);
      },
    ],
  ];

  describe.each(REMOVABLE)('%s needs no eigensolver', (_name, f) => {
    const program = overSpectrum(f);

    it('and keeps its value on random symmetric matrices', () => {
      const optimised = optimize(program).program;
      expect(opsOf(optimised)).not.toContain('eigh');
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 3 }), fc.integer(), (k, extra, seed) => {
          const sizes = new Map([
            ['k', k],
            ['m', k + extra],
          ]);
          const inputs = randomInputs(program, sizes, seed, -2, 2);
          const before = run(program, inputs, sizes).get('value')!.data[0];
          const after = run(optimised, inputs, sizes).get('value')!.data[0];
          // Power sums can cancel: compare against the sum of magnitudes, Σ |λ|⁴ + 1 bounds them all.
          const a = inputs.get('A')!;
          const scale = 1 + Math.max(1, ...Array.from(a.data, Math.abs)) ** 4 * 16 * k ** 4;
          expect(Math.abs(before - after)).toBeLessThanOrEqual(1e-12 * scale);
        }),
        { numRuns: 60, seed: 3 },
      );
    });
  });

  it('keeps the eigensolver where no identity applies', () => {
    for (const f of [(b: IrBuilder, s: Node) => b.make('max', [s]), (b: IrBuilder, s: Node) => b.make('sum', [b.make('exp', [s])])]) {
      expect(opsOf(optimize(overSpectrum(f)).program)).toContain('eigh');
    }
  });

  it('does not rewrite Σ s^k for k outside 1..4 or non-integer k', () => {
    for (const k of [5, 2.5, -1]) {
      const program = overSpectrum((b, s) => b.make('sum', [pow(b, s, k)]));
      expect(spectral(program).fired).toEqual([]);
    }
  });

  it('computes trace powers exactly on a known matrix', () => {
    // M = [[2, 1], [1, 2]] has eigenvalues 3 and 1.
    const program = overSpectrum((b, s) => b.make('sum', [pow(b, s, 3)]));
    const optimised = optimize(program).program;
    const a = new Map([['A', tensor64([2, 2], [1, 0.5, 0.5, 1])]]);
    expect(run(optimised, a, new Map([['k', 2]])).get('value')!.data[0]).toBeCloseTo(28, 12);
  });
});
