import fc from 'fast-check';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { linearCka } from '../../../runtime/eval/metrics/cka.ts';
import { principalAngles } from '../../../runtime/eval/metrics/principal-angles.ts';
import { principalDirections } from '../../../runtime/eval/metrics/spectrum.ts';
import { centered, matmul, randomRows, transpose, type Rows } from '../../helpers/linalg64.ts';
import { fromRows, randomOrthogonal, toRows } from './helpers.ts';

/** CKA in its kernel form, tr(Kx Ky) / sqrt(tr(Kx Kx) tr(Ky Ky)) with centred n x n Gram matrices. */
function kernelCka(x: Rows, y: Rows): number {
  const kx = matmul(centered(x), transpose(centered(x)));
  const ky = matmul(centered(y), transpose(centered(y)));
  const tr = (a: Rows, b: Rows): number => a.reduce((s, row, i) => s + row.reduce((t, v, j) => t + v * b[j][i], 0), 0);
  return tr(kx, ky) / Math.sqrt(tr(kx, kx) * tr(ky, ky));
}

describe('linear CKA', () => {
  it('is 1 between a matrix and a rotated, scaled, shifted copy of itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 3, max: 25 }), fc.integer({ min: 1, max: 8 }), (seed, n, d) => {
        const x = randomRows(seed, n, d);
        const y = matmul(x, randomOrthogonal(seed + 7, d)).map((row) => row.map((v) => 3 * v + 1));
        expect(linearCka(fromRows(x), fromRows(y))).toBeCloseTo(1, 9);
      }),
      { numRuns: 40 },
    );
  });

  it('matches the kernel form on unrelated matrices of different widths', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 3, max: 20 }), (seed, n) => {
        const x = randomRows(seed, n, 4);
        const y = randomRows(seed + 1, n, 6);
        expect(linearCka(fromRows(x), fromRows(y))).toBeCloseTo(kernelCka(x, y), 10);
      }),
      { numRuns: 40 },
    );
  });
});

describe('principal angles', () => {
  it('are 0 between a subspace and itself in another basis', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 5 }), (seed, k) => {
        const d = 8;
        const a = randomOrthogonal(seed, d).map((row) => row.slice(0, k));
        const b = matmul(a, randomOrthogonal(seed + 3, k));
        for (const angle of principalAngles(fromRows(a), fromRows(b))) expect(angle).toBeLessThan(1e-6);
      }),
      { numRuns: 30 },
    );
  });

  it('give the angle between two lines in the plane, and 90 for orthogonal subspaces', () => {
    const theta = 0.3;
    const angles = principalAngles(fromRows([[1], [0]]), fromRows([[Math.cos(theta)], [Math.sin(theta)]]));
    expect(angles[0]).toBeCloseTo((theta * 180) / Math.PI, 10);
    const perpendicular = principalAngles(fromRows([[1, 0], [0, 1], [0, 0], [0, 0]]), fromRows([[0, 0], [0, 0], [1, 0], [0, 1]]));
    perpendicular.forEach((a) => expect(a).toBeCloseTo(90, 10));
  });

  it('match acos of the singular values of AᵀB for random subspaces', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 4 }), (seed, k) => {
        const a = randomOrthogonal(seed, 6).map((row) => row.slice(0, k));
        const b = randomOrthogonal(seed + 11, 6).map((row) => row.slice(0, k));
        const cosines = new SingularValueDecomposition(new Matrix(matmul(transpose(a), b))).diagonal;
        const expected = [...cosines].map((c) => (Math.acos(Math.min(1, c)) * 180) / Math.PI).sort((x, y) => x - y);
        const ours = principalAngles(fromRows(a), fromRows(b));
        expected.forEach((e, i) => expect(ours[i]).toBeCloseTo(e, 5));
      }),
      { numRuns: 30 },
    );
  });

  it('principal directions form an orthonormal basis of the top variance directions', () => {
    const rows = randomRows(5, 50, 4).map((row) => [10 * row[0], 5 * row[1], row[2], 0.1 * row[3]]);
    const q = toRows(principalDirections(fromRows(rows), 2));
    const gram = matmul(transpose(q), q);
    expect(gram[0][0]).toBeCloseTo(1, 12);
    expect(gram[0][1]).toBeCloseTo(0, 12);
    const angles = principalAngles(fromRows(q), fromRows([[1, 0], [0, 1], [0, 0], [0, 0]]));
    angles.forEach((a) => expect(a).toBeLessThan(5));
  });
});
