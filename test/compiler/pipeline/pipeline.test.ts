import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { differentiate } from '../../../compiler/autodiff.ts';
import { explain } from '../../../compiler/explain.ts';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import type { Program } from '../../../compiler/ir/node.ts';
import { topoOrder } from '../../../compiler/ir/node.ts';
import type { Tensor64 } from '../../../compiler/ir/tensor.ts';
import {
  compileValueAndGrad,
  optimize,
  PASS_NAMES,
  runPipeline,
  VALUE_AND_GRAD_PIPELINE,
} from '../../../compiler/pipeline.ts';
import { forwardProgram } from '../../helpers/compile-source.ts';
import { randomProgram } from '../../helpers/random-ir.ts';
import { balance2, input, opsOf, programOf, randomInputs, run, spectrum } from '../passes/fixtures.ts';

/** max |a - b| / max(1, max |a|, max |b|) over every output. */
function worst(a: ReadonlyMap<string, Tensor64>, b: ReadonlyMap<string, Tensor64>): number {
  let result = 0;
  for (const [name, x] of a) {
    const y = b.get(name)!;
    let diff = 0;
    let scale = 1;
    for (let i = 0; i < x.data.length; i++) {
      diff = Math.max(diff, Math.abs(x.data[i] - y.data[i]));
      scale = Math.max(scale, Math.abs(x.data[i]), Math.abs(y.data[i]));
    }
    result = Math.max(result, Number.isNaN(diff) ? Infinity : diff / scale);
  }
  return result;
}

/** The unoptimised value-and-gradient program: differentiate only. */
const plain = (forward: Program) => differentiate(forward);

function balance2Program(): Program {
  const b = new IrBuilder();
  return programOf({ value: balance2(b, spectrum(b, input(b, 'Z', ['n', 'd']))) });
}

describe('compileValueAndGrad', () => {
  describe('balance2(spectrum(Z)) needs no eigendecomposition', () => {
    const cases: [string, Map<string, number> | undefined][] = [
      ['symbolic sizes', undefined],
      ['n < d', new Map([['n', 4], ['d', 7]])],
      ['n > d', new Map([['n', 9], ['d', 3]])],
    ];

    it.each(cases)('as the lowering writes it, %s', (_name, sizes) => {
      const forward = balance2Program();
      const result = compileValueAndGrad(forward, { sizes });
      expect(result.converged).toBe(true);
      expect(opsOf(result.program)).not.toContain('eigh');
      expect(explain(result.program, result.log, { sizes }).json.ops.map((o) => o.op)).not.toContain('eigh');
      const rules = result.log.map((l) => `${l.pass}/${l.rule}`);
      expect(rules).toContain('spectral/sum-eigvals-trace');
      expect(rules).toContain('spectral/sum-square-eigvals-fro2');

      const bound = sizes ?? new Map([['n', 5], ['d', 4]]);
      for (let seed = 1; seed <= 3; seed++) {
        const inputs = randomInputs(forward, bound, seed);
        expect(worst(run(plain(forward), inputs, bound), run(result.program, inputs, bound))).toBeLessThan(1e-10);
      }
    });

    it('from DFL source through the front end and the stdlib', () => {
      const forward = forwardProgram('balance2(spectrum(Z))');
      const sizes = new Map([['n', 6], ['d', 10]]);
      for (const options of [{}, { sizes }]) {
        const result = compileValueAndGrad(forward, options);
        expect(opsOf(result.program)).not.toContain('eigh');
        const inputs = randomInputs(forward, sizes, 42);
        expect(worst(run(plain(forward), inputs, sizes), run(result.program, inputs, sizes))).toBeLessThan(1e-10);
      }
    });
  });

  describe('the dual form', () => {
    const sizes = new Map([['n', 4], ['d', 9]]);
    const withoutDual = VALUE_AND_GRAD_PIPELINE.filter((step) => step.name !== 'dual');

    const eighSizes = (program: Program) =>
      topoOrder(program.outputs.map((o) => o.node))
        .filter((n) => n.op === 'eigh')
        .map((n) => n.shape[0]);

    it.each([
      ['Σ exp(spectrum(Z)), hand-built', () => {
        const b = new IrBuilder();
        return programOf({ value: b.make('sum', [b.make('exp', [spectrum(b, input(b, 'Z', ['n', 'd']))])]) });
      }],
      ['balance(spectrum(Z)) from DFL source', () => forwardProgram('balance(spectrum(Z))')],
      ['effrank(Z) from DFL source', () => forwardProgram('-effrank(Z)')],
    ] as const)('gives the primal value and gradient: %s', (_name, make) => {
      const forward = make();
      const dualResult = compileValueAndGrad(forward, { sizes });
      const primalResult = runPipeline(withoutDual, forward, { sizes });
      expect(dualResult.log.some((l) => l.pass === 'dual' && l.rule.startsWith('gram-dual'))).toBe(true);
      expect(eighSizes(dualResult.program)).toEqual([4]);
      expect(eighSizes(primalResult.program)).toEqual([9]);
      for (let seed = 1; seed <= 3; seed++) {
        const inputs = randomInputs(forward, sizes, seed, -2, 2);
        const dualOut = run(dualResult.program, inputs, sizes);
        expect(worst(run(primalResult.program, inputs, sizes), dualOut)).toBeLessThan(1e-10);
        expect(worst(run(plain(forward), inputs, sizes), dualOut)).toBeLessThan(1e-10);
      }
    });

    it('needs concrete sizes, and is not used when n >= d', () => {
      const forward = forwardProgram('balance(spectrum(Z))');
      expect(compileValueAndGrad(forward).log.some((l) => l.pass === 'dual')).toBe(false);
      const tall = compileValueAndGrad(forward, { sizes: new Map([['n', 9], ['d', 4]]) });
      expect(tall.log.some((l) => l.pass === 'dual')).toBe(false);
      expect(eighSizes(tall.program)).toEqual([4]);
    });
  });

  it('agrees with plain differentiation on random programs, with and without sizes', () => {
    fc.assert(
      fc.property(randomProgram(), fc.boolean(), (sample, withSizes) => {
        const result = compileValueAndGrad(sample.program, withSizes ? { sizes: sample.sizes } : {});
        expect(result.converged).toBe(true);
        const d = worst(run(plain(sample.program), sample.inputs, sample.sizes), run(result.program, sample.inputs, sample.sizes));
        if (!(d < 1e-10)) throw new Error(`difference ${d}\n${sample}`);
      }),
      { numRuns: 200, seed: 99 },
    );
  });

  it('reaches a fixpoint: optimising its own output fires no rewrite', () => {
    fc.assert(
      fc.property(randomProgram(), (sample) => {
        const once = optimize(sample.program, { sizes: sample.sizes });
        expect(once.converged).toBe(true);
        const twice = optimize(once.program, { sizes: sample.sizes });
        expect(twice.log).toEqual([]);
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  it('stops at maxRounds and says so', () => {
    const result = compileValueAndGrad(balance2Program(), { maxRounds: 1 });
    expect(result.converged).toBe(false);
  });

  it('logs each rule once per phase and pass, with counts', () => {
    const { log } = compileValueAndGrad(balance2Program(), { sizes: new Map([['n', 4], ['d', 7]]) });
    const keys = log.map((l) => `${l.phase}/${l.pass}/${l.rule}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(log.every((l) => l.count > 0)).toBe(true);
    expect(log.find((l) => l.pass === 'specialize')?.phase).toBe('forward');
    expect(log.some((l) => l.phase === 'joint')).toBe(true);
  });
});

describe('pipeline', () => {
  it('is one flat list of named passes', () => {
    expect(PASS_NAMES).toEqual(['specialize', 'fold', 'simplify', 'spectral', 'dual', 'differentiate', 'cse']);
    expect(VALUE_AND_GRAD_PIPELINE.map((s) => s.name)).toEqual([
      'specialize',
      'fold', 'simplify', 'spectral', 'dual',
      'differentiate',
      'fold', 'simplify', 'spectral', 'dual',
      'cse',
    ]);
  });

  it('dumps the program after each run of the named pass', () => {
    const result = compileValueAndGrad(balance2Program(), { dumpAfter: 'spectral' });
    expect(result.dumps.length).toBeGreaterThan(1);
    expect(result.dumps.every((d) => d.pass === 'spectral')).toBe(true);
    expect(new Set(result.dumps.map((d) => d.phase))).toEqual(new Set(['forward', 'joint']));
    expect(result.dumps[0].text).toMatch(/^%0 = /);
    const diff = compileValueAndGrad(balance2Program(), { dumpAfter: 'differentiate' });
    expect(diff.dumps).toHaveLength(1);
    expect(diff.dumps[0].text).toMatch(/grad:Z = %\d+/);
  });

  it('rejects an unknown pass name, listing the known ones', () => {
    expect(() => optimize(balance2Program(), { dumpAfter: 'constant-folding' })).toThrow(/specialize, fold, simplify/);
  });

  it('optimize leaves the outputs of a forward program as they were', () => {
    const forward = balance2Program();
    const result = optimize(forward);
    expect(result.program.outputs.map((o) => o.name)).toEqual(['value']);
    expect(result.program.inputs).toEqual(forward.inputs);
  });
});
