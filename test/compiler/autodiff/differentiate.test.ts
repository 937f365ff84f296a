import { describe, expect, it } from 'vitest';
import { differentiate } from '../../../compiler/autodiff.ts';
import { evaluate } from '../../../compiler/backends/reference/evaluate.ts';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import { IrError } from '../../../compiler/ir/ir-error.ts';
import { topoOrder, type Node, type Program } from '../../../compiler/ir/node.ts';
import type { Shape } from '../../../compiler/ir/shape.ts';
import { tensor64, type Tensor64 } from '../../../compiler/ir/tensor.ts';
import { programFromInputs } from '../../helpers/program-from-inputs.ts';

/** A program over named inputs, built by `body`; its one output is `value`. */
function program(inputs: Record<string, Shape>, body: (b: IrBuilder, x: Readonly<Record<string, Node>>) => Node): Program {
  return programFromInputs(inputs, (b, x) => ({ value: body(b, x) })).program;
}

function gradients(p: Program, inputs: Record<string, Tensor64>, sizes: Record<string, number> = {}): Map<string, number[]> {
  const out = evaluate(differentiate(p), new Map(Object.entries(inputs)), new Map(Object.entries(sizes)));
  return new Map([...out].map(([name, t]) => [name, Array.from(t.data)]));
}

const opsOf = (p: Program): string[] => topoOrder(p.outputs.map((o) => o.node)).map((n) => n.op);

describe('differentiate', () => {
  it('outputs value and grad:<input> for every input, in program order, zeros where the value does not depend', () => {
    const p = program({ 'Z_t+1': ['n', 'd'], unused: [2], Z: ['n', 'd'] }, (b, x) => b.make('sum', [b.make('mul', [x.Z, x['Z_t+1']])]));
    const d = differentiate(p);
    expect(d.outputs.map((o) => o.name)).toEqual(['value', 'grad:Z_t+1', 'grad:unused', 'grad:Z']);
    expect(d.inputs).toEqual(p.inputs);
    expect(d.outputs[2].node.op).toBe('const');
    expect(d.outputs[2].node.attrs).toEqual({ value: 0, shape: [2] });
    const z = tensor64([1, 2], [1, 2]);
    const next = tensor64([1, 2], [3, -4]);
    const g = gradients(p, { Z: z, 'Z_t+1': next, unused: tensor64([2]) }, { n: 1, d: 2 });
    expect(g.get('value')).toEqual([3 - 8]);
    expect(g.get('grad:Z')).toEqual([3, -4]);
    expect(g.get('grad:Z_t+1')).toEqual([1, 2]);
    expect(g.get('grad:unused')).toEqual([0, 0]);
  });

  it('accumulates contributions from several uses with add', () => {
    // f = Σ x² + Σ x + Σ 3x  ->  ∇f = 2x + 4
    const p = program({ x: [3] }, (b, x) => {
      const three = b.make('const', [], { value: 3, shape: [] });
      return b.make('add', [b.make('sum', [b.make('mul', [x.x, x.x])]), b.make('add', [b.make('sum', [x.x]), b.make('sum', [b.make('mul', [three, x.x])])])]);
    });
    expect(gradients(p, { x: tensor64([3], [1, -2, 0.5]) }).get('grad:x')).toEqual([6, 0, 5]);
  });

  it('reuses forward nodes: one exp node serves value and gradient', () => {
    const p = program({ x: [3] }, (b, x) => b.make('sum', [b.make('exp', [x.x])]));
    const d = differentiate(p);
    expect(opsOf(d).filter((op) => op === 'exp')).toHaveLength(1);
    const grad = d.outputs[1].node;
    expect(topoOrder([grad]).some((n) => n === d.outputs[0].node.inputs[0])).toBe(true);
  });

  it('transposes explicitly in the backward of a matrix product', () => {
    const p = program({ A: ['n', 'd'], B: ['d', 'n'] }, (b, x) => b.make('sum', [b.make('matmul', [x.A, x.B])]));
    const d = differentiate(p);
    expect(opsOf(d).filter((op) => op === 'transpose').length).toBeGreaterThanOrEqual(2);
    const g = gradients(p, { A: tensor64([1, 2], [1, 2]), B: tensor64([2, 1], [3, 4]) }, { n: 1, d: 2 });
    expect(g.get('grad:A')).toEqual([3, 4]);
    expect(g.get('grad:B')).toEqual([1, 2]);
  });

  it('gives no gradient through stop_gradient, step, sign or eq', () => {
    // f = Σ op(x)·x with op(x) held constant: ∇f = op(x).
    const x = tensor64([2], [1.5, -2]);
    const expected = { stop_gradient: [1.5, -2], step: [1, 0], sign: [1, -1] };
    for (const [op, grad] of Object.entries(expected)) {
      const p = program({ x: [2] }, (b, n) => b.make('sum', [b.make('mul', [b.make(op as 'step', [n.x]), n.x])]));
      expect(gradients(p, { x }).get('grad:x'), op).toEqual(grad);
    }
    const p = program({ x: [2], y: [2] }, (b, n) => b.make('sum', [b.make('eq', [n.x, n.y])]));
    expect(gradients(p, { x: tensor64([2], [1, 2]), y: tensor64([2], [1, 3]) }).get('grad:x')).toEqual([0, 0]);
  });

  it('an input reached only through stop_gradient gets a zero gradient of its shape', () => {
    const p = program({ x: ['n'] }, (b, x) => b.make('sum', [b.make('stop_gradient', [x.x])]));
    const d = differentiate(p);
    expect(d.outputs[1].node.op).toBe('const');
    expect(gradients(p, { x: tensor64([3], [1, 2, 3]) }, { n: 3 }).get('grad:x')).toEqual([0, 0, 0]);
  });

  it('sends the eigenvalue gradient to the matrix and never into eigh', () => {
    const p = program({ M: [2, 2] }, (b, x) => b.make('max', [b.make('eigvals', [b.make('eigh', [x.M])])]));
    const d = differentiate(p);
    expect(opsOf(d).filter((op) => op === 'eigh')).toHaveLength(1);
    const g = gradients(p, { M: tensor64([2, 2], [3, 0, 0, 1]) });
    expect(g.get('grad:M')!.map((x) => Math.abs(x))).toEqual([1, 0, 0, 0]);
  });

  it('refuses to differentiate through eigenvectors, with a clear internal error', () => {
    const p = program({ M: [2, 2] }, (b, x) => b.make('sum', [b.make('eigvecs', [b.make('eigh', [x.M])])]));
    expect(() => differentiate(p)).toThrow(IrError);
    expect(() => differentiate(p)).toThrow('eigvecs is not differentiable');
    // ... unless they are behind stop_gradient: then M gets exactly zero, and the value is the sum
    // of the eigenvectors' entries (of diag(3, 1): the identity, up to the columns' signs).
    const held = program({ M: [2, 2] }, (b, x) => b.make('sum', [b.make('stop_gradient', [b.make('eigvecs', [b.make('eigh', [x.M])])])]));
    const g = gradients(held, { M: tensor64([2, 2], [3, 0, 0, 1]) });
    expect(g.get('grad:M')).toEqual([0, 0, 0, 0]);
    expect(Math.abs(g.get('value')![0])).toBeOneOf([0, 2]);
  });

  it('refuses programs that are not one scalar named value', () => {
    const vector = program({ x: [2] }, (_b, x) => x.x);
    expect(() => differentiate(vector)).toThrow('must be a scalar, got vector[2]');
    const named: Program = { inputs: vector.inputs, outputs: [{ name: 'loss', node: vector.outputs[0].node }] };
    expect(() => differentiate(named)).toThrow('expects one output named value, got loss');
  });

  it('does not touch its input program, and differentiates a value that depends on no input', () => {
    const p = program({ x: [2] }, (b) => b.make('dimsize', [], { dim: 7 }));
    const before = JSON.stringify(p);
    const d = differentiate(p);
    expect(JSON.stringify(p)).toBe(before);
    expect(d.outputs[0].node).not.toBe(p.outputs[0].node);
    expect(gradients(p, { x: tensor64([2], [1, 2]) })).toEqual(new Map([['value', [7]], ['grad:x', [0, 0]]]));
  });
});
