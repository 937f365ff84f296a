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
  return { diagonal, offDiagonal, q: accumulate(a, k, hs) };
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
 * hs[i] its uᵀu / 2, 0 for no reflection). After H_2..H_{i-1}, Q differs from I only in its
 * leading (i-1) x (i-1) block, so H_i touches rows and columns 0..i-1 only.
 *
 * Two reflections at a time, to read and write Q half as often: with w1 = u1ᵀQ and y = u2ᵀQ (one
 * pass over Q), H2 H1 Q = Q - u1 w1ᵀ / h1 - u2 w2ᵀ / h2 where w2 = y - (u2ᵀu1 / h1) w1 (a second
 * pass). Both passes take two rows at a time.
 */
function accumulate(a: Float64Array, k: number, hs: Float64Array): Float64Array {
  const q = new Float64Array(k * k);
  for (let r = 0; r < k; r++) q[r * k + r] = 1;
  const w1 = new Float64Array(k);
  const w2 = new Float64Array(k);
  const u1 = new Float64Array(k); // u of H_i, or 0 where absent
  const u2 = new Float64Array(k); // u of H_{i+1}, or 0 where absent
  const f1 = new Float64Array(k); // u1 / h1
  const f2 = new Float64Array(k); // u2 / h2
  for (let i = 2; i < k; i += 2) {
    // H_i acts on 0..i-1 (skipped when absent), H_{i+1} on 0..i (absent past the last row).
    const h1 = hs[i];
    const h2 = i + 1 < k ? hs[i + 1] : 0;
    if (h1 === 0 && h2 === 0) continue;
    const row1 = i * k;
    const row2 = row1 + k;
    const n = i + 1; // the block both touch: rows and columns 0..i
    for (let r = 0; r < n; r++) {
      u1[r] = h1 === 0 || r === i ? 0 : a[row1 + r];
      u2[r] = h2 === 0 ? 0 : a[row2 + r];
      f1[r] = h1 === 0 ? 0 : u1[r] / h1;
      f2[r] = h2 === 0 ? 0 : u2[r] / h2;
    }
    // w1 = u1ᵀQ, y = u2ᵀQ over rows 0..i-1 (row i of Q is still e_i), both into w1 and w2.
    w1.fill(0, 0, n);
    w2.fill(0, 0, n);
    let r = 0;
    for (; r + 1 < i; r += 2) {
      const q0 = r * k;
      const q1 = q0 + k;
      const u10 = u1[r];
      const u11 = u1[r + 1];
      const u20 = u2[r];
      const u21 = u2[r + 1];
      for (let c = 0; c < i; c++) {
        const x0 = q[q0 + c];
        const x1 = q[q1 + c];
        w1[c] += u10 * x0 + u11 * x1;
        w2[c] += u20 * x0 + u21 * x1;
      }
    }
    for (; r < i; r++) {
      const q0 = r * k;
      const u10 = u1[r];
      const u20 = u2[r];
      for (let c = 0; c < i; c++) {
        const x0 = q[q0 + c];
        w1[c] += u10 * x0;
        w2[c] += u20 * x0;
      }
    }
    w2[i] = u2[i];
    if (h1 !== 0 && h2 !== 0) {
      let dot = 0;
      for (let j = 0; j < i; j++) dot += u2[j] * u1[j];
      const beta = dot / h1;
      for (let c = 0; c < i; c++) w2[c] -= beta * w1[c];
    }
    // Q -= (u1 / h1) w1ᵀ + (u2 / h2) w2ᵀ over rows and columns 0..i.
    r = 0;
    for (; r + 1 < n; r += 2) {
      const q0 = r * k;
      const q1 = q0 + k;
      const a0 = f1[r];
      const a1 = f1[r + 1];
      const b0 = f2[r];
      const b1 = f2[r + 1];
      for (let c = 0; c < n; c++) {
        const x = w1[c];
        const y = w2[c];
        q[q0 + c] -= a0 * x + b0 * y;
        q[q1 + c] -= a1 * x + b1 * y;
      }
    }
    for (; r < n; r++) {
      const q0 = r * k;
      const a0 = f1[r];
      const b0 = f2[r];
      for (let c = 0; c < n; c++) q[q0 + c] -= a0 * w1[c] + b0 * w2[c];
    }
  }
  return q;
}
