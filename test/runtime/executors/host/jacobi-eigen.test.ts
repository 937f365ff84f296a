import { describe, expect, it } from 'vitest';
import { jacobiEigen } from '../../../../runtime/executors/host/jacobi-eigen.ts';
import { orthogonalityError, residual, symmetricMatrix } from './symmetric-cases.ts';

describe('jacobiEigen', () => {
  it('leaves the eigenvalues on the diagonal and the eigenvectors as columns', () => {
    const k = 9;
    const m = symmetricMatrix({ k, kind: 'random', scale: 1, seed: 5 });
    const a = Float64Array.from(m);
    const v = new Float64Array(k * k);
    expect(jacobiEigen(a, v, k, 60)).toBe(true);
    const values = Array.from({ length: k }, (_, i) => a[i * k + i]);
    expect(residual(m, values, v, k)).toBeLessThanOrEqual(1e-14);
    expect(orthogonalityError(v, k)).toBeLessThanOrEqual(1e-14);
  });

  it('reports failure when its sweep budget runs out', () => {
    const k = 4;
    const a = symmetricMatrix({ k, kind: 'random', scale: 1, seed: 6 });
    expect(jacobiEigen(a, new Float64Array(k * k), k, 0)).toBe(false);
  });
});
