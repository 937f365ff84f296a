import { describe, expect, it } from 'vitest';
import { nodeFlops, programFlops } from '../../../compiler/cost.ts';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import { Flops } from '../../../compiler/ir/flops.ts';
import { OP_NAMES, opDef } from '../../../compiler/ops/registry.ts';
import { input, programOf } from '../passes/fixtures.ts';

describe('cost', () => {
  it('charges 2·r·k·c for a matrix product, 9·k³ for eigh, one per entry for elementwise ops and reductions', () => {
    const b = new IrBuilder();
    const x = input(b, 'X', ['n', 'd']);
    const gram = b.make('matmul', [b.make('transpose', [x]), x]);
    expect(nodeFlops(gram).toString()).toBe('2·d²·n');
    expect(nodeFlops(b.make('eigh', [gram])).toString()).toBe('9·d³');
    expect(nodeFlops(b.make('exp', [x])).toString()).toBe('d·n');
    expect(nodeFlops(b.make('sum', [x])).toString()).toBe('d·n');
    expect(nodeFlops(b.make('transpose', [x])).toString()).toBe('0');
    expect(nodeFlops(b.make('matmul', [input(b, 'A', [2, 3]), input(b, 'B', [3, 5])])).toString()).toBe('60');
  });

  it('charges elementwise ops one flop per entry (stop_gradient none), data movement nothing', () => {
    const b = new IrBuilder();
    const x = input(b, 'X', ['n', 'd']);
    for (const op of OP_NAMES) {
      const def = opDef(op);
      if (def.facts?.elementwise && def.arity === 1) expect(nodeFlops(b.make(op, [x])).toString(), op).toBe(op === 'stop_gradient' ? '0' : 'd·n');
    }
    const v = input(b, 'v', ['d']);
    for (const node of [b.make('bcast_rows', [v], { rows: 'n' }), b.make('pad', [v], { length: 9 }), b.make('diag_embed', [v]), b.make('gather', [x, v])]) {
      expect(nodeFlops(node).toString(), node.op).toBe('0');
    }
  });

  it('sums a program into a polynomial that evaluates under sizes', () => {
    const b = new IrBuilder();
    const x = input(b, 'X', ['n', 'd']);
    const program = programOf({ value: b.make('sum', [b.make('exp', [b.make('mul', [x, x])])]) });
    const flops = programFlops(program);
    expect(flops.toString()).toBe('3·d·n');
    expect(flops.symbols).toEqual(['d', 'n']);
    expect(flops.evaluate(new Map([['n', 10], ['d', 2]]))).toBe(60);
    expect(() => flops.evaluate(new Map([['n', 10]]))).toThrow(/no size for dimension 'd'/);
  });

  it('adds and multiplies polynomials', () => {
    const p = Flops.dim('n').times(Flops.dim('d')).plus(Flops.constant(3)).plus(Flops.dim('n').times(Flops.dim('d')).scale(2));
    expect(p.toString()).toBe('3·d·n + 3');
    expect(Flops.size([2, 'n', 'n']).toString()).toBe('2·n²');
    expect(Flops.ZERO.toString()).toBe('0');
  });
});
