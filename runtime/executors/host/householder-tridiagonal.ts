/** A symmetric matrix A = Q T Qᵀ with T tridiagonal: T's diagonal, its off-diagonal and Q. */
export interface Tridiagonal {
  /** T's diagonal, length k. */
  readonly diagonal: Float64Array;
  /** T's off-diagonal: entry i couples i and i + 1 (length k; the last entry is 0). */
  readonly offDiagonal: Float64Array;
  /** The orthogonal Q, k x k row-major. */
  readonly q: Float64Array;
}

/**
 * Householder reduction of a symmetric k x k matrix (row-major; only its LOWER triangle is read,
 * and `a` is overwritten) to tridiagonal form, accumulating the orthogonal transform
 * (Golub & Van Loan, "Matrix Computations", §8.3.1).
 *
 * Rows are reduced from the last one upwards: step i zeroes row i left of its subdiagonal with a
 * reflection H = I - u uᵀ / h acting on indices 0..i-1, so the vector u is the contiguous start of
 * row i (it is kept there for the accumulation). The product p = A u and the rank-2 update
 * A -= q uᵀ + u qᵀ sweep the lower triangle row by row, so every inner loop runs along a row.
 * Entries of `a` should be of order 1 (the caller scales by a power of two), so that squares
 * neither overflow nor lose anything that matters.
 */
export function householderTridiagonal(a: Float64Array, k: number): Tridiagonal {
  const diagonal = new Float64Array(k);
  const offDiagonal = new Float64Array(k);
  const hs = new Float64Array(k); // hs[i] = uᵀu / 2 of step i, or 0 for no reflection
  const u = new Float64Array(k);
  const p = new Float64Array(k);
  for (let i = k - 1; i >= 1; i--) {
    const row = i * k;
    diagonal[i] = a[row + i];
    let norm2 = 0;
    for (let l = 0; l < i; l++) norm2 += a[row + l] * a[row + l];
    const last = a[row + i - 1];
    if (i === 1 || norm2 === 0) {
      offDiagonal[i - 1] = last; // already tridiagonal in this row: no reflection
      continue;
    }
    const norm = Math.sqrt(norm2);
    const alpha = last >= 0 ? -norm : norm; // H x = alpha e_{i-1}; the sign avoids cancellation in u
    offDiagonal[i - 1] = alpha;
    a[row + i - 1] = last - alpha; // u = x - alpha e_{i-1}, kept in row i for the accumulation
    const h = norm2 - alpha * last; // uᵀu / 2
    hs[i] = h;
    for (let l = 0; l < i; l++) u[l] = a[row + l];
    lowerTimes(a, k, i, u, p);
    // p /= h; q = p - (uᵀp / 2h) u, stored over p.
    let upDot = 0;
    for (let j = 0; j < i; j++) {
      p[j] /= h;
      upDot += u[j] * p[j];
    }
    const half = upDot / (2 * h);
    for (let j = 0; j < i; j++) p[j] -= half * u[j];
    lowerRank2Update(a, k, i, u, p);
  }
  if (k > 0) diagonal[0] = a[0];
  return { diagonal, offDiagonal, q: accumulate(a, k, hs, p) };
}

/**
 * p = A u for the leading n x n block of A, read from its lower triangle: row j gives its dot
 * product with u (A_jl u_l, l <= j) and, by symmetry, adds A_jl u_j to p_l. Two rows at a time
 * share the loads of u_l and p_l and keep two independent sums.
 */
function lowerTimes(a: Float64Array, k: number, n: number, u: Float64Array, p: Float64Array): void {
  p.fill(0, 0, n);
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const r0 = j * k;
    const r1 = r0 + k;
    const u0 = u[j];
    const u1 = u[j + 1];
    let s0 = 0;
    let s1 = 0;
    for (let l = 0; l < j; l++) {
      const a0 = a[r0 + l];
      const a1 = a[r1 + l];
      const ul = u[l];
      s0 += a0 * ul;
      s1 += a1 * ul;
      p[l] += a0 * u0 + a1 * u1;
    }
    const a10 = a[r1 + j];
    p[j] += s0 + a[r0 + j] * u0 + a10 * u1;
    p[j + 1] += s1 + a10 * u0 + a[r1 + j + 1] * u1;
  }
  if (j < n) {
    const r0 = j * k;
    const u0 = u[j];
    let s0 = a[r0 + j] * u0;
    for (let l = 0; l < j; l++) {
      const a0 = a[r0 + l];
      s0 += a0 * u[l];
      p[l] += a0 * u0;
    }
    p[j] += s0;
  }
}

/** A -= q uᵀ + u qᵀ on the lower triangle of the leading n x n block (q in `q`), two rows at a time. */
function lowerRank2Update(a: Float64Array, k: number, n: number, u: Float64Array, q: Float64Array): void {
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const r0 = j * k;
    const r1 = r0 + k;
    const q0 = q[j];
    const q1 = q[j + 1];
    const u0 = u[j];
    const u1 = u[j + 1];
    for (let l = 0; l <= j; l++) {
      const ul = u[l];
      const ql = q[l];
      a[r0 + l] -= q0 * ul + u0 * ql;
      a[r1 + l] -= q1 * ul + u1 * ql;
    }
    a[r1 + j + 1] -= 2 * q1 * u1;
  }
  if (j < n) {
    const r0 = j * k;
    const q0 = q[j];
    const u0 = u[j];
    for (let l = 0; l <= j; l++) a[r0 + l] -= q0 * u[l] + u0 * q[l];
  }
}

/**
 * Q = H_{k-1} ... H_2 applied to I, innermost first (u of step i is the start of row i of `a`,
 * hs[i] its uᵀu / 2). After H_2..H_{i-1}, Q differs from I only in its leading (i-1) x (i-1)
 * block, so H_i Q = Q - u (uᵀQ) / h touches rows and columns 0..i-1 only. Four rows at a time
 * share the loads and stores of w = uᵀQ.
 */
function accumulate(a: Float64Array, k: number, hs: Float64Array, w: Float64Array): Float64Array {
  const q = new Float64Array(k * k);
  for (let r = 0; r < k; r++) q[r * k + r] = 1;
  for (let i = 2; i < k; i++) {
    const h = hs[i];
    if (h === 0) continue;
    const row = i * k;
    w.fill(0, 0, i);
    let r = 0;
    for (; r + 3 < i; r += 4) {
      const u0 = a[row + r];
      const u1 = a[row + r + 1];
      const u2 = a[row + r + 2];
      const u3 = a[row + r + 3];
      const q0 = r * k;
      const q1 = q0 + k;
      const q2 = q1 + k;
      const q3 = q2 + k;
      for (let c = 0; c < i; c++) w[c] += u0 * q[q0 + c] + u1 * q[q1 + c] + u2 * q[q2 + c] + u3 * q[q3 + c];
    }
    for (; r < i; r++) {
      const ur = a[row + r];
      const qr = r * k;
      for (let c = 0; c < i; c++) w[c] += ur * q[qr + c];
    }
    r = 0;
    for (; r + 3 < i; r += 4) {
      const f0 = a[row + r] / h;
      const f1 = a[row + r + 1] / h;
      const f2 = a[row + r + 2] / h;
      const f3 = a[row + r + 3] / h;
      const q0 = r * k;
      const q1 = q0 + k;
      const q2 = q1 + k;
      const q3 = q2 + k;
      for (let c = 0; c < i; c++) {
        const wc = w[c];
        q[q0 + c] -= f0 * wc;
        q[q1 + c] -= f1 * wc;
        q[q2 + c] -= f2 * wc;
        q[q3 + c] -= f3 * wc;
      }
    }
    for (; r < i; r++) {
      const f = a[row + r] / h;
      const qr = r * k;
      for (let c = 0; c < i; c++) q[qr + c] -= f * w[c];
    }
  }
  return q;
}
