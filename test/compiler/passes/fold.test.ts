import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import type { Node } from '../../../compiler/ir/node.ts';
import { fold } from '../../../compiler/passes/fold.ts';
import { input, programOf, scalarConst } from './fixtures.ts';

function folded(node: Node): { out: Node; rules: string[] } {
  const result = fold(programOf({ out: node }));
  return { out: result.program.outputs[0].node, rules: result.fired.map((f) => f.rule) };
}

const c = (b: IrBuilder, value: number, shape: (number | string)[] = []) => b.make('const', [], { value, shape });

describe('fold', () => {
  it('evaluates scalar arithmetic with the reference kernels', () => {
    const b = new IrBuilder();
    const { out, rules } = folded(b.make('div', [b.make('add', [scalarConst(b, 2), scalarConst(b, 4)]), scalarConst(b, 3)]));
    expect(out.attrs).toEqual({ value: 2, shape: [] });
    expect(rules).toEqual(['fold-add', 'fold-div']);
  });

  it('folds elementwise ops over fills of any size, symbolic ones included, without materialising them', () => {
    const b = new IrBuilder();
    expect(folded(b.make('exp', [c(b, 0, ['n', 'd'])])).out.attrs).toEqual({ value: 1, shape: ['n', 'd'] });
    const huge = folded(b.make('mul', [c(b, 3, [100000, 100000]), scalarConst(b, 2)])).out;
    expect(huge.attrs).toEqual({ value: 6, shape: [100000, 100000] });
  });

  it('folds small concrete non-elementwise ops whose result is a fill', () => {
    const b = new IrBuilder();
    expect(folded(b.make('sum', [b.make('eye', [], { n: 3 })])).out.attrs).toEqual({ value: 3, shape: [] });
    expect(folded(b.make('matmul', [c(b, 2, [2, 3]), c(b, 1, [3, 2])])).out.attrs).toEqual({ value: 6, shape: [2, 2] });
    expect(folded(b.make('dimsize', [], { dim: 7 })).out.attrs).toEqual({ value: 7, shape: [] });
  });

  it('leaves results that are not one repeated number, big inputs, and non-finite results', () => {
    const b = new IrBuilder();
    // diag_embed of ones is the identity: not a fill.
    expect(folded(b.make('diag_embed', [c(b, 1, [3])])).out.op).toBe('diag_embed');
    // Materialising 10⁸ entries to sum them is what simplify's sum-const row avoids.
    expect(folded(b.make('sum', [c(b, 1, [10000, 10000])])).out.op).toBe('sum');
    expect(folded(b.make('sum', [c(b, 1, ['n', 'd'])])).out.op).toBe('sum');
    expect(folded(b.make('log', [scalarConst(b, 0)])).out.op).toBe('log');
    expect(folded(b.make('div', [scalarConst(b, 0), scalarConst(b, 0)])).out.op).toBe('div');
  });

  it('does not fold anything that depends on an input', () => {
    const b = new IrBuilder();
    const z = input(b, 'Z', ['n', 'd']);
    const { out, rules } = folded(b.make('mul', [z, b.make('add', [scalarConst(b, 1), scalarConst(b, 1)])]));
    expect(out.op).toBe('mul');
    expect(out.inputs.map((i) => i.op).sort()).toEqual(['const', 'input']);
    expect(rules).toEqual(['fold-add']);
  });

  it('never makes a -0 constant (it would intern with 0)', () => {
    const b = new IrBuilder();
    const { out } = folded(b.make('neg', [scalarConst(b, 0)]));
    expect(Object.is(out.attrs.value, 0)).toBe(true);
  });
});
