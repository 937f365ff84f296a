/**
 * An off-diagonal entry below NEGLIGIBLE ‖T‖∞ is set to zero. Relative to the norm, as the
 * Householder reduction before it is accurate only relative to the norm (its rounding perturbs A
 * by order k eps ‖A‖). 4 eps rather than eps lets most eigenvalues deflate right after their sweep
 * with a nearly exact shift (see tridiagonalQl): 1.1-1.2 sweeps per eigenvalue instead of 1.4 at
 * k = 64..256, with residuals and orthogonality unchanged.
 */
const NEGLIGIBLE = 4 * 2 ** -52;
/** Squares between these neither overflow nor lose digits to underflow. */
const SQUARE_MIN = 2 ** -900;
const SQUARE_MAX = 2 ** 900;

/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by the implicit QL method with
 * Wilkinson shifts (Golub & Van Loan, "Matrix Computations", §8.3; Wilkinson & Reinsch, Handbook
 * II/3). Returns false if either pass below exceeds `maxIterations` sweeps before every
 * off-diagonal entry became negligible; the arrays then hold a partial result.
 *
 * `diagonal` (length k) is overwritten with the eigenvalues, unsorted; `offDiagonal[i]` (length k,
 * the last entry unused) couples i and i + 1 and is destroyed. Every plane rotation G that the
 * iteration applies to columns i, i + 1 is also applied to `z` (k x k row-major): z <- z G. Pass
 * the Householder Q to get the eigenvectors of the original matrix as z's COLUMNS.
 *
 * Nearly all the time goes into rotating z: with Wilkinson shifts alone, about 2 sweeps per
 * eigenvalue. So a first pass finds the eigenvalues alone (O(k²), no z), and the second pass,
 * with z, starts each eigenvalue with the computed eigenvalue nearest the Wilkinson shift: such a
 * nearly exact shift usually deflates in one sweep. It is only a shift, so it cannot make the
 * result wrong: the values and vectors come from the second pass's own orthogonal iteration.
 * Where it does not deflate (the eigenvector's leading entry is tiny, or rounding blurs the
 * shift), the following sweeps use Wilkinson shifts, which converge globally. With the threshold
 * above this rotates z about 45% less (0.6 k² rotations instead of 1.1 k²).
 */
export function tridiagonalQl(
  diagonal: Float64Array,
  offDiagonal: Float64Array,
  z: Float64Array,
  k: number,
  maxIterations: number,
): boolean {
  const shifts = diagonal.slice();
  if (!qlSweeps(shifts, offDiagonal.slice(), null, k, maxIterations, null)) return false;
  return qlSweeps(diagonal, offDiagonal, z, k, maxIterations, shifts.sort());
}

/**
 * The QL iteration itself; `z` null: values only. `shifts`: the eigenvalues in ascending order,
 * to start each eigenvalue with (consumed as eigenvalues converge), or null: Wilkinson shifts.
 */
function qlSweeps(
  d: Float64Array,
  e: Float64Array,
  z: Float64Array | null,
  k: number,
  maxIterations: number,
  shifts: Float64Array | null,
): boolean {
  if (k > 0) e[k - 1] = 0;
  const cosines = new Float64Array(k);
  const sines = new Float64Array(k);
  const used = new Uint8Array(k);
  let norm = 0; // ‖T‖∞
  for (let i = 0; i < k; i++) norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0));
  const negligible = NEGLIGIBLE * norm;
  let iterations = 0;
  for (let l = 0; l < k; l++) {
    let first = true;
    for (;;) {
      let m = l;
      while (m < k - 1 && Math.abs(e[m]) > negligible) m++;
      if (m === l) break; // d[l] has converged
      if (++iterations > maxIterations) return false;
      // Wilkinson shift: the eigenvalue of the leading 2 x 2 block [d_l e_l; e_l d_l+1] nearer d_l.
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = safeHypot(g, 1);
      let shift = d[l] - e[l] / (g + (g >= 0 ? r : -r));
      if (shifts !== null && first) shift = shifts[nearestUnused(shifts, used, shift)];
      first = false;
      g = d[m] - shift;
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        const r2 = f * f + g * g;
        r = r2 > SQUARE_MIN && r2 < SQUARE_MAX ? Math.sqrt(r2) : safeHypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Underflow: the chain so far split the matrix at i + 1; restart from there.
          d[i + 1] -= p;
          e[m] = 0;
          deflated = true;
          break;
        }
        const inverse = 1 / r;
        s = f * inverse;
        c = g * inverse;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        cosines[i] = c;
        sines[i] = s;
      }
      if (z !== null) rotateColumnChain(z, k, i + 1, m, cosines, sines);
      if (deflated) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
    if (shifts !== null) used[nearestUnused(shifts, used, d[l])] = 1;
  }
  return true;
}

/** The index of the entry of `sorted` (ascending) nearest x among those not yet `used`. */
function nearestUnused(sorted: Float64Array, used: Uint8Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  let below = lo - 1;
  let above = lo;
  while (below >= 0 && used[below]) below--;
  while (above < sorted.length && used[above]) above++;
  if (below < 0) return above;
  if (above >= sorted.length) return below;
  return x - sorted[below] <= sorted[above] - x ? below : above;
}

/**
 * z <- z G_{m-1} G_{m-2} ... G_lo, where G_i rotates columns i, i + 1:
 * (z_i, z_{i+1}) <- (c z_i - s z_{i+1}, s z_i + c z_{i+1}). The whole sweep is applied row by
 * row: along a row it touches consecutive entries, each read and written once, and the entry two
 * neighbouring rotations share stays in a register (`carry`). That makes each row a chain bound by
 * latency, so four rows go through it together.
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
