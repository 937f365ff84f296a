import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import { konst, lit, match, matches, op, v } from '../../../compiler/passes/pattern.ts';
import { input, scalarConst } from './fixtures.ts';

describe('pattern', () => {
  const b = new IrBuilder();
  const x = input(b, 'X', ['n', 'd']);
  const y = input(b, 'Y', ['n', 'd']);

  it('matches the operands of commutative ops in either order', () => {
    // Interning puts add's operands in id order: the const comes after X either way.
    const node = b.make('add', [scalarConst(b, 0), x]);
    expect(match(op('add', [v('x'), lit(0)]), node)).toEqual({ x });
    expect(match(op('add', [lit(0), v('x')]), node)).toEqual({ x });
  });

  it('does not reorder the operands of other ops', () => {
    const node = b.make('sub', [scalarConst(b, 0), x]);
    expect(match(op('sub', [v('x'), lit(0)]), node)).toBeUndefined();
  });

  it('binds a repeated variable to one node only', () => {
    expect(match(op('sub', [v('x'), v('x')]), b.make('sub', [x, x]))).toEqual({ x });
    expect(match(op('sub', [v('x'), v('x')]), b.make('sub', [x, y]))).toBeUndefined();
  });

  it('binds named ops and constants, and checks side conditions after the inputs matched', () => {
    const two = scalarConst(b, 2);
    const node = b.make('pow', [b.make('pad', [b.make('sum_rows', [x])], { length: 'd' }), two]);
    const pattern = op('pow', [op('pad', [v('v')], { name: 'p', where: (p) => p.attrs.length === 'd' }), konst('k', (k) => k > 1)]);
    const m = match(pattern, node)!;
    expect(m.k).toBe(two);
    expect(m.p.op).toBe('pad');
    expect(match(op('pow', [v('v'), konst('k', (k) => k > 2)]), node)).toBeUndefined();
    // A side condition that reads the inputs is safe on a node whose inputs do not match.
    const deep = op('slice', [op('pad', [v('v')])], { where: (n) => n.inputs[0].inputs[0].shape.length === 1 });
    expect(match(deep, b.make('slice', [b.make('sum_rows', [x])], { length: 'n' }))).toBeUndefined();
  });

  it('enumerates every way to match', () => {
    const node = b.make('mul', [x, y]);
    expect([...matches(op('mul', [v('a'), v('b')]), node)]).toHaveLength(2);
  });
});
