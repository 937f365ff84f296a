import { describe, expect, it } from 'vitest';
import { Rng } from '../../../runtime/data/prng.ts';

describe('Rng', () => {
  it('is a pure function of its keys', () => {
    const a = Rng.from(1, 2, 3);
    const b = Rng.from(1, 2, 3);
    const xs = Array.from({ length: 100 }, () => a.uint32());
    expect(Array.from({ length: 100 }, () => b.uint32())).toEqual(xs);
  });

  it('gives different streams for different keys, including large and negative ones', () => {
    const first = (keys: number[]): number => Rng.from(...keys).uint32();
    const values = new Set([first([1]), first([2]), first([1, 0]), first([0, 1]), first([-1]), first([2 ** 40]), first([2 ** 40 + 1])]);
    expect(values.size).toBe(7);
  });

  it('has uniform floats and standard normals with the right moments', () => {
    const rng = Rng.from(42);
    const n = 200_000;
    let sum = 0;
    let nsum = 0;
    let nsq = 0;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.float();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      sum += u;
      const z = rng.normal();
      nsum += z;
      nsq += z * z;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(nsum / n).toBeCloseTo(0, 1);
    expect(nsq / n).toBeCloseTo(1, 1);
  });

  it('draws Poisson counts with the right mean and picks by cumulative weight', () => {
    const rng = Rng.from(7);
    let total = 0;
    for (let i = 0; i < 50_000; i++) total += rng.poisson(2.5);
    expect(total / 50_000).toBeCloseTo(2.5, 1);
    const cumulative = [1, 1, 4]; // weights 1, 0, 3
    const counts = [0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[rng.pick(cumulative)]++;
    expect(counts[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeCloseTo(3, 0);
  });

  it('rejects keys that are not safe integers', () => {
    expect(() => Rng.from(1.5)).toThrow(/safe integer/);
  });
});
