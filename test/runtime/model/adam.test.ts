import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../compiler/backends/reference/evaluate.ts';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import type { Program } from '../../../compiler/ir/node.ts';
import { tensor64 } from '../../../compiler/ir/tensor.ts';
import { adamUpdate } from '../../../runtime/model/adam.ts';
import { DEFAULT_ADAM } from '../../../runtime/model/train-spec.ts';

function adamProgram(shape: number[]): Program {
  const b = new IrBuilder();
  const input = (name: string, s: number[]) => b.make('input', [], { name, shape: s });
  const next = adamUpdate(
    b,
    { param: input('p', shape), m: input('m', shape), v: input('v', shape) },
    input('g', shape),
    { step: input('step', []), lr: input('lr', []) },
    DEFAULT_ADAM,
  );
  return {
    inputs: ['p', 'm', 'v', 'g'].map((name) => ({ name, shape })).concat([
      { name: 'step', shape: [] },
      { name: 'lr', shape: [] },
    ]),
    outputs: [
      { name: 'p', node: next.param },
      { name: 'm', node: next.m },
      { name: 'v', node: next.v },
    ],
  };
}

describe('adamUpdate', () => {
  it('first step from zero state moves each entry by about lr against the sign of its gradient', () => {
    // m = 0.1 g, v = 0.001 g², m̂ = g, v̂ = g²: p' = p - lr g / (|g| + ε)
    const out = evaluate(
      adamProgram([3]),
      new Map([
        ['p', tensor64([3], [1, -2, 0.5])],
        ['m', tensor64([3])],
        ['v', tensor64([3])],
        ['g', tensor64([3], [0.5, -4, 1e-3])],
        ['step', tensor64([], [1])],
        ['lr', tensor64([], [0.1])],
      ]),
      new Map(),
    );
    const hand = [1 - (0.1 * 0.5) / (0.5 + 1e-8), -2 + (0.1 * 4) / (4 + 1e-8), 0.5 - (0.1 * 1e-3) / (1e-3 + 1e-8)];
    out.get('p')!.data.forEach((x, i) => expect(x).toBeCloseTo(hand[i], 14));
    out.get('m')!.data.forEach((x, i) => expect(x).toBeCloseTo([0.05, -0.4, 1e-4][i], 15));
    out.get('v')!.data.forEach((x, i) => expect(x).toBeCloseTo([0.25e-3, 16e-3, 1e-9][i], 15));
  });

  it('uses the bias correction of the step given, with running moments', () => {
    const [p, m, v, g, t, lr] = [0.3, 0.02, 4e-4, -0.1, 3, 0.01];
    const { beta1, beta2, epsilon } = DEFAULT_ADAM;
    const m2 = beta1 * m + (1 - beta1) * g;
    const v2 = beta2 * v + (1 - beta2) * g * g;
    const expected = p - (lr * (m2 / (1 - beta1 ** t))) / (Math.sqrt(v2 / (1 - beta2 ** t)) + epsilon);
    const out = evaluate(
      adamProgram([1, 1]),
      new Map([
        ['p', tensor64([1, 1], [p])],
        ['m', tensor64([1, 1], [m])],
        ['v', tensor64([1, 1], [v])],
        ['g', tensor64([1, 1], [g])],
        ['step', tensor64([], [t])],
        ['lr', tensor64([], [lr])],
      ]),
      new Map(),
    );
    expect(out.get('p')!.data[0]).toBeCloseTo(expected, 14);
    expect(out.get('m')!.data[0]).toBeCloseTo(m2, 15);
    expect(out.get('v')!.data[0]).toBeCloseTo(v2, 15);
  });
});
