import { describe, expect, it } from 'vitest';
import { hostEigh } from '../../../../compiler/backends/tfjs/host-eigh.ts';
import { seeded } from './helpers.ts';

function randomSymmetric(k: number, seed: number): Float64Array {
  const r = seeded(seed);
  const m = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) m[i * k + j] = m[j * k + i] = r() * 2 - 1;
  return m;
}

describe('hostEigh', () => {
  it('gives descending values and column vectors with M V = V diag(values)', () => {
    const k = 12;
    const m = randomSymmetric(k, 3);
    const { values, vectors } = hostEigh(m, k);
    for (let i = 1; i < k; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
    for (let c = 0; c < k; c++) {
      for (let r = 0; r < k; r++) {
        let mv = 0;
        for (let p = 0; p < k; p++) mv += m[r * k + p] * vectors[p * k + c];
        expect(mv).toBeCloseTo(values[c] * vectors[r * k + c], 10);
      }
    }
  });

  it('fixes each vector\'s sign: its largest entry is positive', () => {
    const k = 6;
    const { vectors } = hostEigh(randomSymmetric(k, 9), k);
    for (let c = 0; c < k; c++) {
      const col = Array.from({ length: k }, (_, r) => vectors[r * k + c]);
      const big = col.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
      expect(big).toBeGreaterThan(0);
    }
  });

  it('symmetrises a float32 read-back that is symmetric only to rounding', () => {
    const { values } = hostEigh(Float32Array.from([2, 1.0000001, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 6);
    expect(values[1]).toBeCloseTo(1, 6);
  });

  it('answers NaN for a non-finite matrix, and handles k = 0 and 1', () => {
    expect(Array.from(hostEigh([1, Number.NaN, Number.NaN, 1], 2).values).every(Number.isNaN)).toBe(true);
    expect(hostEigh([], 0).values.length).toBe(0);
    expect(Array.from(hostEigh([-3], 1).vectors)).toEqual([1]);
  });
});
