const EPS = 2 ** -52;

/**
 * Eigenvalues and eigenvectors of a symmetric k x k matrix (row-major, full storage, overwritten)
 * by cyclic Jacobi rotations (Golub & Van Loan, "Matrix Computations", §8.5.3). Slow (several
 * times the cost of tridiagonal QL), but it converges for every finite symmetric matrix; it is the
 * fallback for the QL solver. Returns false if `maxSweeps` sweeps end with the off-diagonal part
 * still above EPS times the Frobenius norm.
 *
 * On return `a`'s diagonal holds the eigenvalues (unsorted) and `v` (k x k row-major, written)
 * the eigenvectors as its COLUMNS, in the same order.
 */
export function jacobiEigen(a: Float64Array, v: Float64Array, k: number, maxSweeps: number): boolean {
  v.fill(0);
  for (let r = 0; r < k; r++) v[r * k + r] = 1;
  let frob2 = 0;
  for (let i = 0; i < k * k; i++) frob2 += a[i] * a[i];
  const target = EPS * EPS * frob2;
  for (let sweep = 0; ; sweep++) {
    let off2 = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off2 += 2 * a[p * k + q] * a[p * k + q];
    if (off2 <= target) return true;
    if (sweep >= maxSweeps) return false;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q];
        if (apq === 0) continue;
        // The rotation (c, s) that zeroes a_pq: t = tan of the smaller rotation angle.
        const theta = (a[q * k + q] - a[p * k + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          // columns p and q of a, then of v
          const arp = a[r * k + p];
          const arq = a[r * k + q];
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
          const vrp = v[r * k + p];
          const vrq = v[r * k + q];
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
        for (let col = 0; col < k; col++) {
          // rows p and q of a
          const apc = a[p * k + col];
          const aqc = a[q * k + col];
          a[p * k + col] = c * apc - s * aqc;
          a[q * k + col] = s * apc + c * aqc;
        }
        a[p * k + q] = 0;
        a[q * k + p] = 0;
      }
    }
  }
}
