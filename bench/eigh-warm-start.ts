import { jacobiEigen } from '../runtime/executors/host/jacobi-eigen.ts';
import type { Dgemm } from '../runtime/executors/host/lapack-library.ts';

/**
 * A warm start for a training step's eigendecomposition, as bench:eigh measures it: rotate the
 * step's matrix A into the previous step's eigenbasis V (B = Vᵀ A V, almost diagonal when A
 * moved little), finish with cyclic Jacobi sweeps on B (jacobi-eigen.ts, to the same float64
 * accuracy as the cold solvers), and rotate back (Z = V W). The two rotations are BLAS dgemm calls,
 * so that only the sweeps run in JavaScript. Returns the eigenvalues (unsorted) and Z (row-major,
 * vectors as columns), or null if `maxSweeps` were not enough.
 *
 * Row-major buffers read column-major are transposes, and A and B are symmetric: with P the
 * buffer of V read column-major (P = Vᵀ), B = P A Pᵀ, and the buffer of W read column-major is Wᵀ,
 * so Wᵀ P (column-major) is the buffer of V W (row-major).
 */
export function warmStartEigh(
  dgemm: Dgemm,
  a: Float64Array,
  previous: Float64Array,
  k: number,
  maxSweeps: number,
): { lambda: Float64Array; z: Float64Array } | null {
  const n = Int32Array.of(k);
  const one = Float64Array.of(1);
  const zero = Float64Array.of(0);
  const t = new Float64Array(k * k);
  dgemm('N', 'T', n, n, n, one, a, n, previous, n, zero, t, n, 1, 1);
  const b = new Float64Array(k * k);
  dgemm('N', 'N', n, n, n, one, previous, n, t, n, zero, b, n, 1, 1);
  const w = new Float64Array(k * k);
  if (!jacobiEigen(b, w, k, maxSweeps)) return null;
  const z = new Float64Array(k * k);
  dgemm('N', 'N', n, n, n, one, w, n, previous, n, zero, z, n, 1, 1);
  return { lambda: Float64Array.from({ length: k }, (_, i) => b[i * k + i]), z };
}

/** The fewest Jacobi sweeps that warmStartEigh needs here (at most `limit`; null beyond). */
export function sweepsNeeded(dgemm: Dgemm, a: Float64Array, previous: Float64Array, k: number, limit: number): number | null {
  for (let sweeps = 0; sweeps <= limit; sweeps++) if (warmStartEigh(dgemm, a, previous, k, sweeps) !== null) return sweeps;
  return null;
}
