import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import type { Node } from '../../../compiler/ir/node.ts';
import { topoOrder } from '../../../compiler/ir/node.ts';
import { DUAL_RULES, dual } from '../../../compiler/passes/dual.ts';
import { input, programOf, randomInputs, run, scalarConst, worstDifference } from './fixtures.ts';

type Orientation = 'ctc' | 'cct';
type Scaling = 'none' | 'mul' | 'div';

/** eigvals(eigh(G · s)) with G = CᵀC or CCᵀ for C: [n, d]. */
function gramSpectrum(n: number | string, d: number | string, orientation: Orientation, scaling: Scaling, scale = 2.5) {
  const b = new IrBuilder();
  const c = input(b, 'C', [n, d]);
  const ct = b.make('transpose', [c]);
  let gram = orientation === 'ctc' ? b.make('matmul', [ct, c]) : b.make('matmul', [c, ct]);
  if (scaling === 'mul') gram = b.make('mul', [gram, scalarConst(b, scale)]);
  if (scaling === 'div') gram = b.make('div', [gram, scalarConst(b, scale)]);
  const e = b.make('eigh', [gram]);
  return { b, c, e, values: b.make('eigvals', [e]), gram };
}

const eighInputShapes = (node: Node) =>
  topoOrder([node])
    .filter((n) => n.op === 'eigh')
    .map((n) => n.shape);

describe('dual', () => {
  const cases: [string, Orientation, Scaling, number, number][] = [
    ['gram-dual-ctc', 'ctc', 'none', 3, 5],
    ['gram-dual-ctc-scaled', 'ctc', 'mul', 3, 5],
    ['gram-dual-ctc-divided', 'ctc', 'div', 3, 5],
    ['gram-dual-cct', 'cct', 'none', 5, 3],
    ['gram-dual-cct-scaled', 'cct', 'mul', 5, 3],
    ['gram-dual-cct-divided', 'cct', 'div', 5, 3],
  ];

  it('has a case for every eigenvalue rule', () => {
    expect(DUAL_RULES.map((r) => r.name).filter((name) => !name.includes('fro2'))).toEqual(cases.map(([name]) => name));
  });

  it.each(cases)('%s fires and decomposes the smaller Gram matrix', (name, orientation, scaling, n, d) => {
    const { values } = gramSpectrum(n, d, orientation, scaling);
    const program = programOf({ out: values });
    const result = dual(program);
    expect(result.fired).toEqual([{ rule: name, count: 1 }]);
    const out = result.program.outputs[0].node;
    expect(out.op).toBe('pad');
    expect(out.shape).toEqual(values.shape);
    const small = Math.min(n, d);
    expect(eighInputShapes(out)).toEqual([[small, small]]);
    const sizes = new Map<string, number>();
    for (let seed = 1; seed <= 3; seed++) {
      const inputs = randomInputs(program, sizes, seed);
      expect(worstDifference(run(program, inputs, sizes), run(result.program, inputs, sizes))).toBeLessThan(1e-12);
    }
  });

  it.each([
    ['gram-fro2-dual-ctc', 'ctc', 3, 5],
    ['gram-fro2-dual-cct', 'cct', 5, 3],
  ] as const)('%s fires', (name, orientation, n, d) => {
    const { b, gram } = gramSpectrum(n, d, orientation, 'none');
    const program = programOf({ out: b.make('sum', [b.make('square', [gram])]) });
    const result = dual(program);
    expect(result.fired).toEqual([{ rule: name, count: 1 }]);
    const inputs = randomInputs(program, new Map(), 1);
    expect(worstDifference(run(program, inputs, new Map()), run(result.program, inputs, new Map()))).toBeLessThan(1e-12);
  });

  it('does not fire when the Gram matrix is already the smaller one, or square', () => {
    expect(dual(programOf({ out: gramSpectrum(5, 3, 'ctc', 'div').values })).fired).toEqual([]);
    expect(dual(programOf({ out: gramSpectrum(3, 5, 'cct', 'div').values })).fired).toEqual([]);
    expect(dual(programOf({ out: gramSpectrum(4, 4, 'ctc', 'none').values })).fired).toEqual([]);
  });

  it('does not fire on symbolic dimensions', () => {
    expect(dual(programOf({ out: gramSpectrum('n', 'd', 'ctc', 'div').values })).fired).toEqual([]);
  });

  it('does not fire for a scale that is not a positive constant (the zeros would not sort last)', () => {
    expect(dual(programOf({ out: gramSpectrum(3, 5, 'ctc', 'mul', -1).values })).fired).toEqual([]);
    expect(dual(programOf({ out: gramSpectrum(3, 5, 'ctc', 'div', 0).values })).fired).toEqual([]);
    const { b, c } = gramSpectrum(3, 5, 'ctc', 'none');
    const gram = b.make('matmul', [b.make('transpose', [c]), c]);
    const byInput = b.make('eigvals', [b.make('eigh', [b.make('mul', [gram, input(b, 'S', [])])])]);
    expect(dual(programOf({ out: byInput })).fired).toEqual([]);
  });

  it('does not fire when the eigh has an eigvecs user', () => {
    const { b, e, values } = gramSpectrum(3, 5, 'ctc', 'div');
    const program = programOf({ out: b.make('add', [b.make('sum', [values]), b.make('sum', [b.make('eigvecs', [e])])]) });
    expect(dual(program).fired).toEqual([]);
  });

  it('gives the primal eigenvalues on random C, wide and tall, scaled either way', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom<Orientation>('ctc', 'cct'),
        fc.constantFrom<Scaling>('none', 'mul', 'div'),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.integer(),
        (n, d, orientation, scaling, scale, seed) => {
          const program = programOf({ out: gramSpectrum(n, d, orientation, scaling, scale).values });
          const result = dual(program);
          const smaller = orientation === 'ctc' ? n < d : d < n;
          expect(result.fired.length).toBe(smaller ? 1 : 0);
          const inputs = randomInputs(program, new Map(), seed, -3, 3);
          // Normwise: the primal's zero eigenvalues are rounding noise of size ε‖G‖.
          expect(worstDifference(run(program, inputs, new Map()), run(result.program, inputs, new Map()))).toBeLessThan(1e-10);
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});
