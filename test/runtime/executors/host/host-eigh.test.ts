import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { hostEigh, type HostEighOptions } from '../../../../runtime/executors/host/host-eigh.ts';
import { lapackLibrary, type LapackLibrary } from '../../../../runtime/executors/host/lapack-library.ts';
import { frobenius, orthogonalityError, residual, symmetricCase, symmetricMatrix } from './symmetric-cases.ts';

const TOLERANCE = 1e-12;

/**
 * ml-matrix's eigenvalues, descending. It fails on entries near 1e180 and beyond, so it sees the
 * matrix scaled by a power of two to entries of order 1, which scales the eigenvalues exactly.
 */
function mlMatrixValues(m: Float64Array, k: number): number[] {
  if (k === 0) return [];
  const largest = m.reduce((big, x) => Math.max(big, Math.abs(x)), 0);
  const scale = largest === 0 ? 1 : 2 ** Math.floor(Math.log2(largest));
  const rows = Array.from({ length: k }, (_, i) => Array.from(m.subarray(i * k, (i + 1) * k), (x) => x / scale));
  const values = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues;
  return values.sort((x, y) => y - x).map((x) => x * scale);
}

/** Checks every promise of hostEigh's contract for one symmetric matrix. */
function checkDecomposition(m: Float64Array, k: number, options: HostEighOptions): void {
  const { values, vectors } = hostEigh(m, k, options);
  const norm = frobenius(m);
  expect(values.length).toBe(k);
  expect(vectors.length).toBe(k * k);
  expect(residual(m, values, vectors, k)).toBeLessThanOrEqual(TOLERANCE * norm);
  expect(orthogonalityError(vectors, k)).toBeLessThanOrEqual(TOLERANCE);
  for (let i = 1; i < k; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
  const theirs = mlMatrixValues(m, k);
  for (let i = 0; i < k; i++) expect(Math.abs(values[i] - theirs[i])).toBeLessThanOrEqual(TOLERANCE * norm);
  for (let c = 0; c < k; c++) {
    let pivot = 0;
    for (let r = 1; r < k; r++) if (Math.abs(vectors[r * k + c]) > Math.abs(vectors[pivot * k + c])) pivot = r;
    expect(vectors[pivot * k + c]).toBeGreaterThan(0);
  }
}

const platform = lapackLibrary();
/**
 * The two solvers hostEigh may run: the platform's LAPACK (skipped, with the reason, on a machine
 * without one; .ci/system/lapack.sh installs it for CI) and the JavaScript fallback.
 */
const SOLVERS: readonly { name: string; lapack: LapackLibrary | null; skip: string | null }[] = [
  { name: 'LAPACK', lapack: 'dsyevd' in platform ? platform : null, skip: 'dsyevd' in platform ? null : platform.reason },
  { name: 'JavaScript', lapack: null, skip: null },
];

for (const solver of SOLVERS) {
  describe.skipIf(solver.skip !== null)(`hostEigh with the ${solver.name} solver${solver.skip === null ? '' : ` (skipped: ${solver.skip})`}`, () => {
    const options: HostEighOptions = { lapack: solver.lapack };
    it('decomposes random, repeated, low-rank, diagonal, zero, near-identity and graded matrices at any scale', () => {
      fc.assert(
        fc.property(symmetricCase(40), (c) => {
          checkDecomposition(symmetricMatrix(c), c.k, options);
        }),
        { numRuns: 150 },
      );
    });

    it('solves 2 x 2 matrices to a few ulps: (a+c)/2 ± hypot((a-c)/2, b), vectors ∝ (b, λ - a)', () => {
      fc.assert(
        fc.property(fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 }), (a, b, c) => {
          const { values, vectors } = hostEigh([a, b, b, c], 2, options);
          const mid = (a + c) / 2;
          const radius = Math.hypot((a - c) / 2, b);
          const scale = Math.max(1, Math.abs(a), Math.abs(b), Math.abs(c));
          expect(Math.abs(values[0] - (mid + radius))).toBeLessThanOrEqual(2e-15 * scale);
          expect(Math.abs(values[1] - (mid - radius))).toBeLessThanOrEqual(2e-15 * scale);
          if (b !== 0) {
            for (let col = 0; col < 2; col++) {
              const x = b;
              const y = values[col] - a;
              const n = Math.hypot(x, y);
              // The same direction, so the cross product vanishes (to 9 ulps: OpenBLAS's dsyevd
              // reaches 8.2 on this grid, the JavaScript solver 3.8).
              expect(Math.abs(vectors[col] * (y / n) - vectors[2 + col] * (x / n))).toBeLessThanOrEqual(2e-15);
            }
          }
        }),
      );
    });

    it('is deterministic, and reads A and (A + Aᵀ)/2 alike', () => {
      fc.assert(
        fc.property(symmetricCase(24), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (c, seed) => {
          const sym = symmetricMatrix(c);
          const skewed = Float64Array.from(sym);
          const noise = symmetricMatrix({ ...c, kind: 'random', seed, scale: c.scale * 1e-3 });
          for (let i = 0; i < c.k; i++) {
            for (let j = 0; j < i; j++) {
              // a_ij = s + t, a_ji = s - t: the same symmetric part (up to the rounding of s ± t).
              skewed[i * c.k + j] = sym[i * c.k + j] + noise[i * c.k + j];
              skewed[j * c.k + i] = sym[i * c.k + j] - noise[i * c.k + j];
            }
          }
          const first = hostEigh(skewed, c.k, options);
          const again = hostEigh(Float64Array.from(skewed), c.k, options);
          expect(again.values).toEqual(first.values);
          expect(again.vectors).toEqual(first.vectors);
          const symmetrised = new Float64Array(c.k * c.k);
          for (let i = 0; i < c.k; i++) {
            for (let j = 0; j < c.k; j++) symmetrised[i * c.k + j] = (skewed[i * c.k + j] + skewed[j * c.k + i]) / 2;
          }
          const fromSymmetrised = hostEigh(symmetrised, c.k, options);
          expect(fromSymmetrised.values).toEqual(first.values);
          expect(fromSymmetrised.vectors).toEqual(first.vectors);
          checkDecomposition(symmetrised, c.k, options);
        }),
        { numRuns: 60 },
      );
    });

    it('answers all NaN for any non-finite entry, without throwing', () => {
      fc.assert(
        fc.property(
          symmetricCase(20).filter((c) => c.k > 0),
          fc.nat(),
          fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
          (c, where, bad) => {
            const m = symmetricMatrix(c);
            m[where % m.length] = bad;
            const { values, vectors } = hostEigh(m, c.k, options);
            expect([...values, ...vectors].every(Number.isNaN)).toBe(true);
          },
        ),
      );
    });

    it('handles k = 0, 1, the zero matrix, the largest doubles and float32 input', () => {
      expect(hostEigh([], 0, options)).toEqual({ values: new Float64Array(0), vectors: new Float64Array(0) });
      expect(Array.from(hostEigh([-3], 1, options).values)).toEqual([-3]);
      expect(Array.from(hostEigh([0, 0, 0, 0], 2, options).vectors)).toEqual([1, 0, 0, 1]);
      const big = Number.MAX_VALUE / 4;
      expect(Array.from(hostEigh([big, 0, 0, -big], 2, options).values)).toEqual([big, -big]);
      const tiny = Number.MIN_VALUE * 3;
      expect(Array.from(hostEigh([0, tiny, tiny, 0], 2, options).values)).toEqual([tiny, -tiny]);
      const f32 = Float32Array.from([2, 1, 1, 2]);
      expect(Array.from(hostEigh(f32, 2, options).values).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([3, 1]);
      expect(() => hostEigh([1, 2, 3], 2, options)).toThrow(RangeError);
    });
  });
}

describe('hostEigh falls back to its own solvers', () => {
  it('gives the same answer through the Jacobi fallback when QL may not iterate', () => {
    fc.assert(
      fc.property(symmetricCase(16), (c) => {
        checkDecomposition(symmetricMatrix(c), c.k, { lapack: null, qlIterations: 0 });
      }),
      { numRuns: 60 },
    );
  });

  it('answers NaN when neither solver is allowed to converge', () => {
    const m = symmetricMatrix({ k: 5, kind: 'random', scale: 1, seed: 4 });
    const { values, vectors } = hostEigh(m, 5, { lapack: null, qlIterations: 0, jacobiSweeps: 0 });
    expect([...values, ...vectors].every(Number.isNaN)).toBe(true);
  });

  it('answers with the JavaScript solver when LAPACK reports failure (info ≠ 0)', () => {
    let calls = 0;
    const failing: LapackLibrary = {
      description: 'a LAPACK that always fails',
      dsyevd: (...args) => {
        calls++;
        args[10][0] = 1;
      },
    };
    fc.assert(
      fc.property(symmetricCase(12), (c) => {
        const m = symmetricMatrix(c);
        expect(hostEigh(m, c.k, { lapack: failing })).toEqual(hostEigh(m, c.k, { lapack: null }));
      }),
    );
    expect(calls).toBeGreaterThan(0);
  });
});
