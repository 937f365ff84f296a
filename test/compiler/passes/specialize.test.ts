import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import { topoOrder } from '../../../compiler/ir/node.ts';
import { specialize } from '../../../compiler/passes/specialize.ts';
import { input, programOf, randomInputs, run, worstDifference } from './fixtures.ts';

const sizes = new Map([
  ['n', 3],
  ['d', 5],
]);

describe('specialize', () => {
  it('binds input shapes, every dimension attribute, and turns dimsize into a const', () => {
    const b = new IrBuilder();
    const z = input(b, 'Z', ['n', 'd']);
    const v = b.make('sum_rows', [z]);
    const out = b.make('add', [
      b.make('sum', [b.make('bcast_rows', [b.make('pad', [b.make('slice', [v], { length: 'n' })], { length: 'd' })], { rows: 'n' })]),
      b.make('sum', [b.make('add', [b.make('eye', [], { n: 'd' }), b.make('broadcast', [b.make('dimsize', [], { dim: 'n' })], { shape: ['d', 'd'] })])]),
    ]);
    const program = programOf({ value: out });
    const result = specialize(program, sizes);

    expect(result.program.inputs).toEqual([{ name: 'Z', shape: [3, 5] }]);
    const nodes = topoOrder(result.program.outputs.map((o) => o.node));
    for (const node of nodes) {
      expect(node.shape.every((dim) => typeof dim === 'number')).toBe(true);
      for (const key of ['n', 'dim', 'rows', 'cols', 'length']) if (key in node.attrs) expect(typeof node.attrs[key]).toBe('number');
    }
    expect(nodes.some((n) => n.op === 'dimsize')).toBe(false);
    expect(result.fired.map((f) => f.rule).sort()).toEqual(['bind-dims', 'dimsize-to-const']);

    const inputs = randomInputs(program, sizes, 1);
    expect(worstDifference(run(program, inputs, sizes), run(result.program, inputs, new Map()))).toBe(0);
  });

  it('leaves dimensions that sizes does not name symbolic', () => {
    const b = new IrBuilder();
    const z = input(b, 'Z', ['n', 'k']);
    const program = programOf({ value: b.make('mul', [b.make('sum', [z]), b.make('dimsize', [], { dim: 'k' })]) });
    const result = specialize(program, sizes);
    expect(result.program.inputs[0].shape).toEqual([3, 'k']);
    expect(topoOrder(result.program.outputs.map((o) => o.node)).some((n) => n.op === 'dimsize' && n.attrs.dim === 'k')).toBe(true);
  });

  it('rejects sizes that are not positive integers', () => {
    const b = new IrBuilder();
    const program = programOf({ value: b.make('sum', [input(b, 'Z', ['n', 'd'])]) });
    expect(() => specialize(program, new Map([['n', 0]]))).toThrow(/positive integer/);
    expect(() => specialize(program, new Map([['n', 2.5]]))).toThrow(/positive integer/);
  });

  it('fires nothing on a program without symbolic dimensions', () => {
    const b = new IrBuilder();
    const program = programOf({ value: b.make('sum', [input(b, 'Z', [2, 2])]) });
    expect(specialize(program, sizes).fired).toEqual([]);
  });
});
