import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../compiler/backends/reference/evaluate.ts';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import { IrError } from '../../../compiler/ir/ir-error.ts';
import { inlineProgram } from '../../../compiler/ir/inline.ts';
import { topoOrder, type Program } from '../../../compiler/ir/node.ts';
import { tensor64 } from '../../../compiler/ir/tensor.ts';

/**
 * inlineProgram (compiler/ir/inline.ts): a program rebuilt into another builder over bound nodes,
 * its symbolic dimensions unified with the bound shapes. (Tested here, beside its main user, the
 * training step; it belongs in test/compiler/ir/.)
 */

/** value = Σ A / n + Σ B, output `mean` = A's column means; A, B of matrix[n, d]. */
function objective(): Program {
  const b = new IrBuilder();
  const a = b.make('input', [], { name: 'A', shape: ['n', 'd'] });
  const bb = b.make('input', [], { name: 'B', shape: ['n', 'd'] });
  const n = b.make('dimsize', [], { dim: 'n' });
  const mean = b.make('div', [b.make('sum_rows', [a]), n]);
  return {
    inputs: [
      { name: 'A', shape: ['n', 'd'] },
      { name: 'B', shape: ['n', 'd'] },
    ],
    outputs: [
      { name: 'value', node: b.make('add', [b.make('sum', [mean]), b.make('sum', [bb])]) },
      { name: 'mean', node: mean },
      { name: 'centred', node: b.make('sub', [a, b.make('bcast_rows', [mean], { rows: 'n' })]) },
    ],
  };
}

describe('inlineProgram', () => {
  it('rebuilds the program over the bound nodes, binding n and d in shapes and attributes', () => {
    const b = new IrBuilder();
    const x = b.make('input', [], { name: 'X', shape: [4, 2] });
    const y = b.make('mul', [x, b.make('const', [], { value: 2, shape: [] })]);
    const out = inlineProgram(
      b,
      objective(),
      new Map([
        ['A', x],
        ['B', y],
      ]),
    );
    expect([...out.keys()]).toEqual(['value', 'mean', 'centred']);
    expect(out.get('centred')!.shape).toEqual([4, 2]);
    const nodes = topoOrder([...out.values()]);
    expect(nodes.find((n) => n.op === 'dimsize')!.attrs).toEqual({ dim: 4 });
    expect(nodes.find((n) => n.op === 'bcast_rows')!.attrs).toEqual({ rows: 4 });
    expect(nodes.filter((n) => n.op === 'input').map((n) => n.attrs.name)).toEqual(['X']);
    const program: Program = { inputs: [{ name: 'X', shape: [4, 2] }], outputs: [{ name: 'value', node: out.get('value')! }] };
    const data = [1, 2, 3, 4, 5, 6, 7, 8];
    const value = evaluate(program, new Map([['X', tensor64([4, 2], data)]]), new Map()).get('value')!.data[0];
    expect(value).toBeCloseTo(36 / 4 + 2 * 36, 12);
  });

  it('interns with what the builder already has: inlining twice over the same nodes adds nothing', () => {
    const b = new IrBuilder();
    const x = b.make('input', [], { name: 'X', shape: ['rows', 3] });
    const bindings = new Map([
      ['A', x],
      ['B', x],
    ]);
    const first = inlineProgram(b, objective(), bindings);
    const size = b.size;
    const second = inlineProgram(b, objective(), bindings);
    expect(b.size).toBe(size);
    expect(second.get('value')).toBe(first.get('value'));
    // A symbolic dimension of the host program takes the place of n.
    expect(first.get('centred')!.shape).toEqual(['rows', 3]);
  });

  it('names the input and both shapes when a binding does not fit', () => {
    const b = new IrBuilder();
    const x = b.make('input', [], { name: 'X', shape: [4, 2] });
    const z = b.make('input', [], { name: 'Z', shape: [4, 3] });
    const v = b.make('input', [], { name: 'V', shape: [4] });
    expect(() => inlineProgram(b, objective(), new Map([['A', x], ['B', z]]))).toThrow(
      'inline: input B gives d = 3, but d is 2 in input A',
    );
    expect(() => inlineProgram(b, objective(), new Map([['A', v], ['B', x]]))).toThrow('inline: input A should be matrix[n, d], got a node of type vector[4]');
    expect(() => inlineProgram(b, objective(), new Map([['A', x]]))).toThrow('inline: no node is bound to input B');
    expect(() => inlineProgram(b, objective(), new Map([['A', x], ['B', x], ['C', x]]))).toThrow(IrError);
  });

  it('checks numeric dimensions exactly', () => {
    const src = new IrBuilder();
    const a = src.make('input', [], { name: 'A', shape: [2, 'd'] });
    const p: Program = { inputs: [{ name: 'A', shape: [2, 'd'] }], outputs: [{ name: 'value', node: src.make('sum', [a]) }] };
    const b = new IrBuilder();
    expect(() => inlineProgram(b, p, new Map([['A', b.make('input', [], { name: 'X', shape: [3, 5] })]]))).toThrow(
      'inline: input A should be matrix[2, d], got a node of type matrix[3, 5]',
    );
  });
});
