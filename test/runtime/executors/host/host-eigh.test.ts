import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { hostEigh, hostEighFloat32, type HostEighOptions } from '../../../../runtime/executors/host/host-eigh.ts';
import { hasRoutine, LAPACK_ROUTINES, type LapackRoutine } from '../../../../runtime/executors/host/lapack-eigh.ts';
import { lapackLibrary, type LapackLibrary } from '../../../../runtime/executors/host/lapack-library.ts';
import { frobenius, orthogonalityError, residual, symmetricCase, symmetricMatrix } from './symmetric-cases.ts';

/** float64's machine epsilon, and float32's (ssyevd): each solver's bounds are in its own units. */
const EPS64 = 2 ** -52;
const EPS32 = 2 ** -23;

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
function checkDecomposition(m: Float64Array, k: number, options: HostEighOptions, eps = EPS64): void {
  // 1e-12 in float64: residuals and eigenvalue errors grow as k eps, and k <= 40 here.
  const TOLERANCE = 4500 * eps;
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
const lapack = 'dsyevd' in platform ? platform : null;
/** Why a routine's rows skip: no LAPACK here, or one without that routine. */
const missing = (routine: LapackRoutine): string | null =>
  'reason' in platform ? platform.reason : hasRoutine(platform, routine) ? null : `this LAPACK has no ${routine}`;
/**
 * The solvers hostEigh may run: the platform's LAPACK routines (skipped, with the reason, on a
 * machine without one; .ci/system/lapack.sh installs it for CI) and the JavaScript fallback, each
 * held to bounds in units of its own precision.
 */
const SOLVERS: readonly { name: string; options: HostEighOptions; eps: number; skip: string | null }[] = [
  ...LAPACK_ROUTINES.map((routine) => ({
    name: `LAPACK ${routine}`,
    options: { lapack, routine },
    eps: routine === 'ssyevd' ? EPS32 : EPS64,
    skip: missing(routine),
  })),
  { name: 'JavaScript', options: { lapack: null }, eps: EPS64, skip: null },
];

for (const solver of SOLVERS) {
  describe.skipIf(solver.skip !== null)(`hostEigh with the ${solver.name} solver${solver.skip === null ? '' : ` (skipped: ${solver.skip})`}`, () => {
    const { options, eps } = solver;
    // Two digits of float64 (OpenBLAS's dsyevd reaches 8.2 ulps on the 2 x 2 grid, the JavaScript
    // solver 3.8); the same count of float32 ulps for ssyevd.
    const ulps9 = 9 * eps;
    it('decomposes random, repeated, low-rank, diagonal, zero, near-identity and graded matrices at any scale', () => {
      fc.assert(
        fc.property(symmetricCase(40), (c) => {
          checkDecomposition(symmetricMatrix(c), c.k, options, eps);
        }),
        { numRuns: 150 },
      );
    });

    it('hands out answers of its own: a later call of the same size changes no earlier answer, and what its buffers keep changes no later one', () => {
      fc.assert(
        fc.property(symmetricCase(24), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (c, seed) => {
          const first = hostEigh(symmetricMatrix(c), c.k, options);
          const values = Float64Array.from(first.values);
          const vectors = Float64Array.from(first.vectors);
          hostEigh(symmetricMatrix({ ...c, kind: 'random', seed }), c.k, options);
          expect(first.values).toEqual(values);
          expect(first.vectors).toEqual(vectors);
          const again = hostEigh(symmetricMatrix(c), c.k, options);
          expect(again.values).toEqual(values);
          expect(again.vectors).toEqual(vectors);
        }),
        { numRuns: 40 },
      );
    });

    it('answers in float32 with hostEigh\'s answer rounded to float32, non-finite and zero matrices included', () => {
      fc.assert(
        fc.property(symmetricCase(24), fc.constantFrom(0, 1, 2), (c, twist) => {
          const m = symmetricMatrix(c);
          if (twist === 1 && m.length > 0) m[0] = Number.NaN;
          if (twist === 2) m.fill(0);
          const wide = hostEigh(m, c.k, options);
          const narrow = hostEighFloat32(m, c.k, options);
          expect(narrow.values).toBeInstanceOf(Float32Array);
          expect(narrow.values).toEqual(Float32Array.from(wide.values));
          expect(narrow.vectors).toEqual(Float32Array.from(wide.vectors));
        }),
        { numRuns: 60 },
      );
    });

    it('solves 2 x 2 matrices to a few ulps: (a+c)/2 ± hypot((a-c)/2, b), vectors ∝ (b, λ - a)', () => {
      fc.assert(
        fc.property(fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 }), (a, b, c) => {
          const { values, vectors } = hostEigh([a, b, b, c], 2, options);
          const mid = (a + c) / 2;
          const radius = Math.hypot((a - c) / 2, b);
          const scale = Math.max(1, Math.abs(a), Math.abs(b), Math.abs(c));
          expect(Math.abs(values[0] - (mid + radius))).toBeLessThanOrEqual(ulps9 * scale);
          expect(Math.abs(values[1] - (mid - radius))).toBeLessThanOrEqual(ulps9 * scale);
          if (b !== 0) {
            for (let col = 0; col < 2; col++) {
              const x = b;
              const y = values[col] - a;
              const n = Math.hypot(x, y);
              // The same direction, so the cross product vanishes.
              expect(Math.abs(vectors[col] * (y / n) - vectors[2 + col] * (x / n))).toBeLessThanOrEqual(ulps9);
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
          checkDecomposition(symmetrised, c.k, options, eps);
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
      // Exact in float64; ssyevd rounds the scaled matrix (1.99..., here) to float32 first.
      const rounding = eps === EPS32 ? eps * big : 0;
      const [top, bottom] = hostEigh([big, 0, 0, -big], 2, options).values;
      expect(Math.abs(top - big)).toBeLessThanOrEqual(rounding);
      expect(Math.abs(bottom + big)).toBeLessThanOrEqual(rounding);
      const tiny = Number.MIN_VALUE * 3;
      expect(Array.from(hostEigh([0, tiny, tiny, 0], 2, options).values)).toEqual([tiny, -tiny]);
      const f32 = Float32Array.from([2, 1, 1, 2]);
      const [three, one] = hostEigh(f32, 2, options).values;
      expect(Math.abs(three - 3)).toBeLessThanOrEqual(3 * ulps9);
      expect(Math.abs(one - 1)).toBeLessThanOrEqual(ulps9);
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

  describe.skipIf(lapack === null)('with the platform LAPACK', () => {
    const real = lapack!;

    it('runs dsyevd for a routine the library lacks', () => {
      const { ssyevd: _s, dsyevr: _r, ...dsyevdOnly } = real;
      fc.assert(
        fc.property(symmetricCase(12), fc.constantFrom(...LAPACK_ROUTINES), (c, routine) => {
          const m = symmetricMatrix(c);
          expect(hostEigh(m, c.k, { lapack: dsyevdOnly, routine })).toEqual(hostEigh(m, c.k, { lapack: real, routine: 'dsyevd' }));
        }),
      );
    });

    it('answers with the JavaScript solver when ssyevd or dsyevr reports failure', () => {
      const failing: LapackLibrary = {
        ...real,
        ssyevd: (...args) => {
          args[10][0] = 1;
        },
        dsyevr: (...args) => {
          args[20][0] = 1;
        },
      };
      fc.assert(
        fc.property(symmetricCase(12).filter((c) => c.k > 0), fc.constantFrom<LapackRoutine>('ssyevd', 'dsyevr'), (c, routine) => {
          const m = symmetricMatrix(c);
          expect(hostEigh(m, c.k, { lapack: failing, routine })).toEqual(hostEigh(m, c.k, { lapack: null }));
        }),
      );
    });
  });
});
