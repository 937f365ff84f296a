import { describe, expect, it } from 'vitest';
import { differentiate } from '../../../compiler/autodiff.ts';
import { evaluate } from '../../../compiler/backends/reference/evaluate.ts';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import { IrError } from '../../../compiler/ir/ir-error.ts';
import { topoOrder, type Node, type Program } from '../../../compiler/ir/node.ts';
import { tensor64 } from '../../../compiler/ir/tensor.ts';

/**
 * differentiate(program, {of, wrt}): the scalar output to differentiate, the inputs to
 * differentiate with respect to, and every other output passed through.
 */

/** loss = Σ (x ⊙ w)² + Σ exp(c), with extra outputs `pred` = x ⊙ w and `c2` = c ⊙ c. */
function program(): Program {
  const b = new IrBuilder();
  const x = b.make('input', [], { name: 'x', shape: [3] });
  const w = b.make('input', [], { name: 'w', shape: [3] });
  const c = b.make('input', [], { name: 'c', shape: [2] });
  const pred = b.make('mul', [x, w]);
  const loss = b.make('add', [b.make('sum', [b.make('square', [pred])]), b.make('sum', [b.make('exp', [c])])]);
  return {
    inputs: [
      { name: 'x', shape: [3] },
      { name: 'w', shape: [3] },
      { name: 'c', shape: [2] },
    ],
    outputs: [
      { name: 'pred', node: pred },
      { name: 'loss', node: loss },
      { name: 'c2', node: b.make('mul', [c, c]) },
    ],
  };
}

const INPUTS = new Map([
  ['x', tensor64([3], [1, -2, 0.5])],
  ['w', tensor64([3], [0.5, 3, -1])],
  ['c', tensor64([2], [0.1, -0.3])],
]);

describe('differentiate with options', () => {
  it('differentiates the output `of` with respect to `wrt` only, passing the other outputs through', () => {
    const d = differentiate(program(), { of: 'loss', wrt: ['w'] });
    expect(d.outputs.map((o) => o.name)).toEqual(['pred', 'loss', 'c2', 'grad:w']);
    expect(d.inputs).toEqual(program().inputs);
    const out = evaluate(d, INPUTS, new Map());
    // ∂/∂w Σ (x w)² = 2 x² w
    expect(Array.from(out.get('grad:w')!.data)).toEqual([2 * 1 * 0.5, 2 * 4 * 3, 2 * 0.25 * -1]);
    expect(Array.from(out.get('pred')!.data)).toEqual([0.5, -6, -0.5]);
    expect(Array.from(out.get('c2')!.data)).toEqual([0.1 * 0.1, 0.09]);
  });

  it('builds nothing for the inputs nobody asked about: no exp gradient when only w is wanted', () => {
    const forOne = differentiate(program(), { of: 'loss', wrt: ['w'] });
    const forAll = differentiate(program(), { of: 'loss' });
    const ops = (p: Program, name: string): string[] => topoOrder([p.outputs.find((o) => o.name === name)!.node]).map((n: Node) => n.op);
    // grad:c = exp(c) reuses the forward exp: what matters is that grad:w's graph never touches c.
    expect(ops(forOne, 'grad:w').filter((op) => op === 'exp')).toEqual([]);
    expect(forAll.outputs.map((o) => o.name)).toEqual(['pred', 'loss', 'c2', 'grad:x', 'grad:w', 'grad:c']);
    const nodes = (p: Program) => topoOrder(p.outputs.map((o) => o.node)).length;
    expect(nodes(forOne)).toBeLessThan(nodes(forAll));
  });

  it('lists gradients in the order of the program inputs, whatever the order of wrt', () => {
    const d = differentiate(program(), { of: 'loss', wrt: ['c', 'x'] });
    expect(d.outputs.map((o) => o.name).slice(3)).toEqual(['grad:x', 'grad:c']);
    const out = evaluate(d, INPUTS, new Map());
    expect(Array.from(out.get('grad:c')!.data)).toEqual([Math.exp(0.1), Math.exp(-0.3)]);
  });

  it('keeps the defaults of existing callers: of = value, wrt = every input', () => {
    const b = new IrBuilder();
    const x = b.make('input', [], { name: 'x', shape: [2] });
    const p: Program = { inputs: [{ name: 'x', shape: [2] }], outputs: [{ name: 'value', node: b.make('sum', [b.make('square', [x])]) }] };
    expect(differentiate(p).outputs.map((o) => o.name)).toEqual(['value', 'grad:x']);
  });

  it('refuses a missing output, a vector output, an unknown input and a clashing output name', () => {
    expect(() => differentiate(program())).toThrow('differentiate expects one output named value, got pred, loss, c2');
    expect(() => differentiate(program(), { of: 'pred' })).toThrow('must be a scalar, got vector[3]');
    expect(() => differentiate(program(), { of: 'loss', wrt: ['w', 'q'] })).toThrow('differentiate: q is not an input of the program (x, w, c)');
    const p = program();
    const clash: Program = { inputs: p.inputs, outputs: [...p.outputs, { name: 'grad:w', node: p.outputs[0].node }] };
    expect(() => differentiate(clash, { of: 'loss', wrt: ['w'] })).toThrow(IrError);
    expect(() => differentiate(clash, { of: 'loss', wrt: ['x'] })).not.toThrow();
  });

  it('gives zeros to a wrt input the output does not depend on', () => {
    const b = new IrBuilder();
    const x = b.make('input', [], { name: 'x', shape: [2] });
    b.make('input', [], { name: 'y', shape: [2, 2] });
    const p: Program = {
      inputs: [
        { name: 'x', shape: [2] },
        { name: 'y', shape: [2, 2] },
      ],
      outputs: [{ name: 'loss', node: b.make('sum', [x]) }],
    };
    const d = differentiate(p, { of: 'loss', wrt: ['y'] });
    expect(d.outputs[1].node.op).toBe('const');
    expect(d.outputs[1].node.attrs).toEqual({ value: 0, shape: [2, 2] });
  });
});
