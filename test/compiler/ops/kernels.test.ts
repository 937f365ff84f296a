import { describe, expect, it } from 'vitest';
import { tensor64, type Tensor64, type Value } from '../../../compiler/ir/tensor.ts';
import type { Attrs } from '../../../compiler/ir/node.ts';
import type { OpName } from '../../../compiler/ops/registry.ts';
import { opDef } from '../../../compiler/ops/registry.ts';

/** The float64 kernels at the edges of their domains: overflow, NaN, ties, odd scales. */

const NO_SIZES = new Map<string, number>();
const vec = (...xs: number[]): Tensor64 => tensor64([xs.length], xs);
const run = (op: OpName, inputs: Value[], attrs: Attrs = {}, sizes = NO_SIZES): Value => opDef(op).evaluate(inputs, attrs, sizes);
const data = (value: Value): number[] => Array.from((value as Tensor64).data);

describe('kernels', () => {
  it('softplus and sigmoid neither overflow nor lose small values', () => {
    expect(data(run('softplus', [vec(1000, -1000, -40, 0)]))).toEqual([1000, 0, Math.log1p(Math.exp(-40)), Math.log(2)]);
    expect(data(run('softplus', [vec(-40)]))[0] / Math.exp(-40)).toBeCloseTo(1, 14);
    expect(data(run('sigmoid', [vec(1000, -1000, 0)]))).toEqual([1, 0, 0.5]);
    expect(data(run('sigmoid', [vec(-700)]))[0]).toBeGreaterThan(0);
  });

  it('pow: negative bases with integer exponents are exact, fractional ones NaN', () => {
    expect(data(run('pow', [vec(-2, -3, 0), tensor64([], [3])]))).toEqual([-8, -27, 0]);
    expect(data(run('pow', [vec(-2), tensor64([], [2])]))).toEqual([4]);
    expect(data(run('pow', [vec(-2), tensor64([], [0.5])]))[0]).toBeNaN();
  });

  it('NaN propagates through every comparison-like kernel', () => {
    for (const op of ['relu', 'step', 'sign', 'abs'] as const) expect(data(run(op, [vec(Number.NaN)]))[0], op).toBeNaN();
    for (const op of ['max', 'min'] as const) expect(data(run(op, [vec(1, Number.NaN, 3)]))[0], op).toBeNaN();
    for (const op of ['maximum', 'minimum', 'eq'] as const) expect(data(run(op, [vec(1, Number.NaN), vec(Number.NaN, 1)])), op).toEqual([Number.NaN, Number.NaN]);
  });

  it('sign has no negative zero, step is 0 at 0', () => {
    expect(Object.is(data(run('sign', [vec(-0)]))[0], 0)).toBe(true);
    expect(data(run('step', [vec(0, -0, 1e-300)]))).toEqual([0, 0, 1]);
  });

  it('leaves resolve symbolic dimensions through sizes, and unbound ones are errors', () => {
    const sizes = new Map([['n', 2]]);
    expect(run('const', [], { value: 7, shape: ['n', 3] }, sizes)).toEqual(tensor64([2, 3], [7, 7, 7, 7, 7, 7]));
    expect(data(run('dimsize', [], { dim: 'n' }, sizes))).toEqual([2]);
    expect(data(run('eye', [], { n: 'n' }, sizes))).toEqual([1, 0, 0, 1]);
    expect(() => run('eye', [], { n: 'd' }, sizes)).toThrow("dimension 'd' has no size");
  });

  it('input nodes are never evaluated as kernels', () => {
    expect(() => run('input', [], { name: 'Z', shape: [2] })).toThrow("input 'Z' must be bound by the interpreter");
  });

  it('pad and slice check symbolic lengths at evaluation', () => {
    expect(data(run('pad', [vec(1, 2)], { length: 'd' }, new Map([['d', 4]])))).toEqual([1, 2, 0, 0]);
    expect(() => run('pad', [vec(1, 2, 3)], { length: 'd' }, new Map([['d', 2]]))).toThrow('do not fit');
    expect(() => run('slice', [vec(1, 2)], { length: 'd' }, new Map([['d', 3]]))).toThrow('3 entries asked of 2');
  });

  describe('eigh', () => {
    const eigh = (k: number, entries: number[]): [Tensor64, Tensor64] => run('eigh', [tensor64([k, k], entries)]) as [Tensor64, Tensor64];

    it('returns values in descending order and matching unit eigenvectors as columns', () => {
      const M = [4, 1, 0, 1, -2, 0.5, 0, 0.5, 1];
      const [values, vectors] = eigh(3, M);
      expect(data(values)).toEqual([...data(values)].sort((a, b) => b - a));
      for (let j = 0; j < 3; j++) {
        for (let r = 0; r < 3; r++) {
          let mv = 0;
          for (let c = 0; c < 3; c++) mv += M[r * 3 + c] * vectors.data[c * 3 + j];
          expect(mv).toBeCloseTo(values.data[j] * vectors.data[r * 3 + j], 13);
        }
      }
    });

    it('survives subnormal entries (ml-matrix alone fails on them)', () => {
      const [values] = eigh(2, [0, -1.7e-322, -1.7e-322, 4]);
      expect(data(values)).toEqual([4, 0]);
    });

    it('keeps relative accuracy at extreme scales', () => {
      for (const scale of [1e-200, 1e200]) {
        const [values] = eigh(2, [2 * scale, scale, scale, 2 * scale]);
        expect(values.data[0] / scale).toBeCloseTo(3, 13);
        expect(values.data[1] / scale).toBeCloseTo(1, 13);
      }
    });

    it('gives NaN for non-finite input, and refuses a matrix that is not symmetric', () => {
      const [values, vectors] = eigh(2, [1, Number.NaN, Number.NaN, 2]);
      expect([...data(values), ...data(vectors)].every(Number.isNaN)).toBe(true);
      expect(data(eigh(2, [1, Infinity, Infinity, 2])[0]).every(Number.isNaN)).toBe(true);
      expect(() => eigh(2, [1, 2, 3, 4])).toThrow('not symmetric');
    });

    it('decomposes the zero matrix', () => {
      const [values, vectors] = eigh(2, [0, 0, 0, 0]);
      expect(data(values)).toEqual([0, 0]);
      expect(Math.abs(vectors.data[0] * vectors.data[3] - vectors.data[1] * vectors.data[2])).toBeCloseTo(1, 14);
    });
  });
});
