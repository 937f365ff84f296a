import { describe, expect, it } from 'vitest';
import { differentiate } from '../../../compiler/autodiff.ts';
import { evaluate } from '../../../compiler/backends/reference/evaluate.ts';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import type { Node } from '../../../compiler/ir/node.ts';
import { tensor64 } from '../../../compiler/ir/tensor.ts';
import type { OpName } from '../../../compiler/ops/registry.ts';

/** The gradient of `body(x)` with respect to x at `data` (x of shape `shape`). */
function gradient(shape: number[], data: number[], body: (b: IrBuilder, x: Node) => Node): number[] {
  const b = new IrBuilder();
  const x = b.make('input', [], { name: 'x', shape });
  const d = differentiate({ inputs: [{ name: 'x', shape }], outputs: [{ name: 'value', node: body(b, x) }] });
  return Array.from(evaluate(d, new Map([['x', tensor64(shape, data)]]), new Map()).get('grad:x')!.data);
}

describe('ties', () => {
  it('max and min split the gradient evenly among tied entries', () => {
    expect(gradient([4], [1, 3, 3, 2], (b, x) => b.make('max', [x]))).toEqual([0, 0.5, 0.5, 0]);
    expect(gradient([2, 2], [2, -1, -1, -1], (b, x) => b.make('min', [x]))).toEqual([0, 1 / 3, 1 / 3, 1 / 3]);
    expect(gradient([3], [5, 5, 5], (b, x) => b.make('max', [x]))).toEqual([1 / 3, 1 / 3, 1 / 3]);
    // The split scales with the cotangent: f = 6·max(x).
    expect(gradient([2], [4, 4], (b, x) => b.make('mul', [b.make('const', [], { value: 6, shape: [] }), b.make('max', [x])]))).toEqual([3, 3]);
  });

  it('maximum and minimum send the whole gradient to their first input at ties', () => {
    for (const op of ['maximum', 'minimum'] as OpName[]) {
      const b = new IrBuilder();
      const x = b.make('input', [], { name: 'x', shape: [3] });
      const y = b.make('input', [], { name: 'y', shape: [3] });
      const node = b.make(op, [y, x]); // commutative: the builder orders the inputs as [x, y]
      expect(node.inputs[0]).toBe(x);
      const d = differentiate({
        inputs: [{ name: 'x', shape: [3] }, { name: 'y', shape: [3] }],
        outputs: [{ name: 'value', node: b.make('sum', [node]) }],
      });
      const out = evaluate(d, new Map([['x', tensor64([3], [1, 2, 3])], ['y', tensor64([3], [1, 5, 0])]]), new Map());
      const toX = op === 'maximum' ? [1, 0, 1] : [1, 1, 0];
      expect(Array.from(out.get('grad:x')!.data), op).toEqual(toX);
      expect(Array.from(out.get('grad:y')!.data), op).toEqual(toX.map((t) => 1 - t));
    }
  });

  it('relu and abs have gradient 0 at the kink', () => {
    expect(gradient([3], [0, 2, -2], (b, x) => b.make('sum', [b.make('relu', [x])]))).toEqual([0, 1, 0]);
    expect(gradient([3], [0, 2, -2], (b, x) => b.make('sum', [b.make('abs', [x])]))).toEqual([0, 1, -1]);
  });

  it('pow stays finite at a zero base, for both operands', () => {
    const b = new IrBuilder();
    const x = b.make('input', [], { name: 'x', shape: [2] });
    const p = b.make('input', [], { name: 'p', shape: [] });
    const d = differentiate({
      inputs: [{ name: 'x', shape: [2] }, { name: 'p', shape: [] }],
      outputs: [{ name: 'value', node: b.make('sum', [b.make('pow', [x, p])]) }],
    });
    const out = evaluate(d, new Map([['x', tensor64([2], [0, 2])], ['p', tensor64([], [2])]]), new Map());
    expect(Array.from(out.get('grad:x')!.data)).toEqual([0, 4]);
    expect(out.get('grad:p')!.data[0]).toBeCloseTo(4 * Math.log(2), 14);
  });
});

describe('eigenvalue gradients in closed form', () => {
  // M = Q diag(5, 2, -1) Qᵀ with Q a rotation (orthonormal columns q1, q2, q3).
  const c = Math.cos(0.7);
  const s = Math.sin(0.7);
  const Q = [
    [c, -s, 0],
    [s * 0.6, c * 0.6, -0.8],
    [s * 0.8, c * 0.8, 0.6],
  ];
  const lambdas = [5, 2, -1];
  const M = [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => [0, 1, 2].reduce((acc, k) => acc + Q[i][k] * lambdas[k] * Q[j][k], 0)));
  const outer = (k: number, w = 1): number[] => [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => w * Q[i][k] * Q[j][k]));
  const eigvals = (b: IrBuilder, m: Node): Node => b.make('eigvals', [b.make('eigh', [m])]);
  const close = (actual: number[], expected: number[]): void => actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i], 12));

  it('d/dM Σ eigvals(M) = I', () => {
    close(gradient([3, 3], M, (b, m) => b.make('sum', [eigvals(b, m)])), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('d/dM λ_max(M) = v1 v1ᵀ, and d/dM λ_min(M) = v3 v3ᵀ', () => {
    close(gradient([3, 3], M, (b, m) => b.make('max', [eigvals(b, m)])), outer(0));
    close(gradient([3, 3], M, (b, m) => b.make('min', [eigvals(b, m)])), outer(2));
  });

  it('d/dM Σ wᵢ λᵢ = Q diag(w) Qᵀ (eigenvalues descending), and d/dw = λ', () => {
    const w = [0.5, -2, 3];
    const b = new IrBuilder();
    const m = b.make('input', [], { name: 'M', shape: [3, 3] });
    const wn = b.make('input', [], { name: 'w', shape: [3] });
    const d = differentiate({
      inputs: [{ name: 'M', shape: [3, 3] }, { name: 'w', shape: [3] }],
      outputs: [{ name: 'value', node: b.make('sum', [b.make('mul', [eigvals(b, m), wn])]) }],
    });
    const out = evaluate(d, new Map([['M', tensor64([3, 3], M)], ['w', tensor64([3], w)]]), new Map());
    const expected = [0, 1, 2].map((k) => outer(k, w[k])).reduce((acc, t) => acc.map((x, i) => x + t[i]));
    close(Array.from(out.get('grad:M')!.data), expected);
    close(Array.from(out.get('grad:w')!.data), lambdas);
  });

  it('with all eigenvalues tied, the gradient of their sum is still I', () => {
    close(gradient([2, 2], [1, 0, 0, 1], (b, m) => b.make('sum', [eigvals(b, m)])), [1, 0, 0, 1]);
  });
});
