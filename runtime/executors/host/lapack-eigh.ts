import type { Unsorted } from './host-eigh.ts';
import type { LapackLibrary } from './lapack-library.ts';

/**
 * The eigendecomposition of the symmetric k x k matrix `a` (full storage, finite, both triangles
 * equal) by LAPACK's dsyevd; null if LAPACK reports failure (info ≠ 0), so that the caller can
 * fall back to its own solver. `a` is not modified.
 *
 * LAPACK stores matrices column-major. A symmetric matrix reads the same either way, so `a` goes
 * in as it is; the eigenvectors come back as the COLUMNS of a column-major matrix, that is as the
 * rows of the buffer read row-major, so they are transposed into z's row-major columns. The
 * workspace sizes are asked of dsyevd itself (lwork = liwork = -1) rather than taken from its
 * documented formulas, which libraries have been known to under-state.
 */
export function lapackEigh(library: LapackLibrary, a: Float64Array, k: number): Unsorted | null {
  const n = Int32Array.of(k);
  const work = Float64Array.of(0);
  const iwork = Int32Array.of(0);
  const info = Int32Array.of(0);
  const buffer = Float64Array.from(a);
  const lambda = new Float64Array(k);
  library.dsyevd('V', 'L', n, buffer, n, lambda, work, Int32Array.of(-1), iwork, Int32Array.of(-1), info, 1, 1);
  if (info[0] !== 0) return null;
  const lwork = Math.ceil(work[0]);
  const liwork = iwork[0];
  library.dsyevd('V', 'L', n, buffer, n, lambda, new Float64Array(lwork), Int32Array.of(lwork), new Int32Array(liwork), Int32Array.of(liwork), info, 1, 1);
  if (info[0] !== 0) return null;
  const z = new Float64Array(k * k);
  for (let col = 0; col < k; col++) {
    const from = col * k;
    for (let r = 0; r < k; r++) z[r * k + col] = buffer[from + r];
  }
  return { lambda, z };
}
