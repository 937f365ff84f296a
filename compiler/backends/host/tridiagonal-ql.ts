const EPS = 2 ** -52;
/** Below this an off-diagonal entry is negligible whatever its neighbours (the smallest normal). */
const TINY = 2 ** -1022;

/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by the implicit QL method with
 * Wilkinson shifts (Golub & Van Loan, "Matrix Computations", §8.3; Wilkinson & Reinsch, Handbook
 * II/3). Returns false if the iterations exceed `maxIterations` (all together) before every
 * off-diagonal entry became negligible; the arrays then hold a partial result.
 *
 * `diagonal` (length k) is overwritten with the eigenvalues, unsorted; `offDiagonal[i]` (length k,
 * the last entry unused) couples i and i + 1 and is destroyed. Every plane rotation G that the
 * iteration applies to columns i, i + 1 is also applied to `z` (k x k row-major): z <- z G. Pass
 * the Householder Q to get the eigenvectors of the original matrix as z's COLUMNS.
 *
 * One QL sweep is a chain of rotations on neighbouring columns m-1..l. They are recorded first
 * and applied afterwards row by row: along a row of z the chain touches consecutive entries, and
 * the entry that the next rotation shares stays in a register. So z is read and written once per
 * sweep, along contiguous rows.
 */
export function tridiagonalQl(
  diagonal: Float64Array,
  offDiagonal: Float64Array,
  z: Float64Array,
  k: number,
  maxIterations: number,
): boolean {
  const d = diagonal;
  const e = offDiagonal;
  if (k > 0) e[k - 1] = 0;
  const cosines = new Float64Array(k);
  const sines = new Float64Array(k);
  let iterations = 0;
  for (let l = 0; l < k; l++) {
    for (;;) {
      let m = l;
      for (; m < k - 1; m++) {
        const em = Math.abs(e[m]);
        if (em <= EPS * (Math.abs(d[m]) + Math.abs(d[m + 1])) || em < TINY) break;
      }
      if (m === l) break; // d[l] has converged
      if (++iterations > maxIterations) return false;
      // Wilkinson shift: the eigenvalue of the leading 2 x 2 block [d_l e_l; e_l d_l+1] nearer d_l.
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = safeHypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = safeHypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Underflow: the chain so far split the matrix at i + 1; restart from there.
          d[i + 1] -= p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        cosines[i] = c;
        sines[i] = s;
      }
      rotateColumnChain(z, k, i + 1, m, cosines, sines);
      if (deflated) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
  return true;
}

/**
 * z <- z G_{m-1} G_{m-2} ... G_lo, where G_i rotates columns i, i + 1:
 * (z_i, z_{i+1}) <- (c z_i - s z_{i+1}, s z_i + c z_{i+1}). Along one row each step needs the
 * previous one's result (`carry`), a chain bound by latency, so four rows go through the chain
 * together.
 */
function rotateColumnChain(z: Float64Array, k: number, lo: number, m: number, cosines: Float64Array, sines: Float64Array): void {
  if (lo >= m) return;
  const fours = k - (k % 4);
  for (let r = 0; r < fours; r += 4) {
    const r0 = r * k;
    const r1 = r0 + k;
    const r2 = r1 + k;
    const r3 = r2 + k;
    let c0 = z[r0 + m];
    let c1 = z[r1 + m];
    let c2 = z[r2 + m];
    let c3 = z[r3 + m];
    for (let i = m - 1; i >= lo; i--) {
      const c = cosines[i];
      const s = sines[i];
      const a0 = z[r0 + i];
      const a1 = z[r1 + i];
      const a2 = z[r2 + i];
      const a3 = z[r3 + i];
      z[r0 + i + 1] = s * a0 + c * c0;
      z[r1 + i + 1] = s * a1 + c * c1;
      z[r2 + i + 1] = s * a2 + c * c2;
      z[r3 + i + 1] = s * a3 + c * c3;
      c0 = c * a0 - s * c0;
      c1 = c * a1 - s * c1;
      c2 = c * a2 - s * c2;
      c3 = c * a3 - s * c3;
    }
    z[r0 + lo] = c0;
    z[r1 + lo] = c1;
    z[r2 + lo] = c2;
    z[r3 + lo] = c3;
  }
  for (let row = fours * k; row < k * k; row += k) {
    let carry = z[row + m];
    for (let i = m - 1; i >= lo; i--) {
      const c = cosines[i];
      const s = sines[i];
      const zi = z[row + i];
      z[row + i + 1] = s * zi + c * carry;
      carry = c * zi - s * carry;
    }
    z[row + lo] = carry;
  }
}

/** sqrt(a² + b²) without overflow or underflow in the squares. */
function safeHypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  const big = x > y ? x : y;
  const small = x > y ? y : x;
  if (big === 0) return 0;
  const t = small / big;
  return big * Math.sqrt(1 + t * t);
}
