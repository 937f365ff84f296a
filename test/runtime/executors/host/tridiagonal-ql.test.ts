import { describe, expect, it } from 'vitest';
import { tridiagonalQl } from '../../../../runtime/executors/host/tridiagonal-ql.ts';
import { orthogonalityError } from './symmetric-cases.ts';

function identity(k: number): Float64Array {
  const z = new Float64Array(k * k);
  for (let i = 0; i < k; i++) z[i * k + i] = 1;
  return z;
}

describe('tridiagonalQl', () => {
  it('finds the eigenpairs of the second-difference matrix: 2 - 2 cos(jπ/(k+1))', () => {
    for (const k of [1, 2, 3, 7, 16, 41]) {
      const d = new Float64Array(k).fill(2);
      const e = new Float64Array(k).fill(-1);
      const z = identity(k);
      expect(tridiagonalQl(d, e, z, k, 30 * k)).toBe(true);
      const want = Array.from({ length: k }, (_, j) => 2 - 2 * Math.cos(((j + 1) * Math.PI) / (k + 1)));
      const got = Array.from(d).sort((x, y) => x - y);
      for (let j = 0; j < k; j++) expect(Math.abs(got[j] - want[j])).toBeLessThanOrEqual(1e-14);
      expect(orthogonalityError(z, k)).toBeLessThanOrEqual(1e-13);
      for (let c = 0; c < k; c++) {
        for (let r = 0; r < k; r++) {
          const tz = 2 * z[r * k + c] - (r > 0 ? z[(r - 1) * k + c] : 0) - (r + 1 < k ? z[(r + 1) * k + c] : 0);
          expect(Math.abs(tz - d[c] * z[r * k + c])).toBeLessThanOrEqual(1e-14);
        }
      }
    }
  });

  it('reports failure when its iteration budget runs out, and needs none for a diagonal matrix', () => {
    expect(tridiagonalQl(Float64Array.from([1, 2, 3]), Float64Array.from([1, 1, 0]), identity(3), 3, 0)).toBe(false);
    const d = Float64Array.from([3, -1, 2]);
    expect(tridiagonalQl(d, new Float64Array(3), identity(3), 3, 0)).toBe(true);
    expect(Array.from(d)).toEqual([3, -1, 2]);
  });
});
