import { CholeskyDecomposition, LuDecomposition, Matrix } from 'ml-matrix';

/**
 * Solves A x = b for a symmetric positive definite A (p x p, row-major): Cholesky, or LU with
 * pivoting where rounding makes A numerically indefinite (a nearly saturated logistic fit).
 */
export function solveSpd(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const rows = Array.from({ length: p }, (_, i) => Array.from(a.subarray(i * p, (i + 1) * p)));
  const m = new Matrix(rows);
  const rhs = Matrix.columnVector(Array.from(b));
  const chol = new CholeskyDecomposition(m);
  const x = chol.isPositiveDefinite() ? chol.solve(rhs) : new LuDecomposition(m).solve(rhs);
  return Float64Array.from(x.getColumn(0));
}
