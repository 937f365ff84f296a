import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { hostEigh } from '../../executors/host/host-eigh.ts';
import { centreColumns, crossProduct, type Matrix64 } from './matrix64.ts';

/**
 * Spectra of an embedding matrix Z (n x d), in float64. Eigenvalues come from the host eigensolver
 * on the d x d Gram matrix (cheap: d is the embedding width), clamped to 0 where rounding makes them
 * slightly negative. Singular values come from an SVD of Z itself (ml-matrix), not from square
 * roots of Gram eigenvalues: those turn rounding of 1e-16 into ghost singular values of 1e-8 that
 * entropy-based ranks would count.
 */

/** Eigenvalues of the covariance of Z (columns centred, divided by n − 1), descending. */
export function covarianceEigenvalues(z: Matrix64): Float64Array {
  if (z.rows < 2) throw new RangeError(`a covariance needs at least 2 rows, got ${z.rows}`);
  const c = centreColumns(z);
  const values = nonNegative(hostEigh(crossProduct(c, c).data, z.cols).values);
  for (let i = 0; i < values.length; i++) values[i] /= z.rows - 1;
  return values;
}

/** The min(n, d) singular values of Z, descending; of its column-centred form when `centred`. */
export function singularValues(z: Matrix64, centred: boolean): Float64Array {
  const { rows, cols, data } = centred ? centreColumns(z) : z;
  // ml-matrix's SVD wants at least as many rows as columns; the transpose has the same values.
  const tall = rows >= cols;
  const m = new Matrix(tall ? rows : cols, tall ? cols : rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(tall ? i : j, tall ? j : i, data[i * cols + j]);
  const svd = new SingularValueDecomposition(m, { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: false });
  return Float64Array.from(svd.diagonal).sort().reverse();
}

/** The top-k eigenvectors of Z's covariance as the columns of a d x k matrix (an orthonormal basis). */
export function principalDirections(z: Matrix64, k: number): Matrix64 {
  const d = z.cols;
  if (!(k >= 1 && k <= d)) throw new RangeError(`k must be in [1, ${d}], got ${k}`);
  const c = centreColumns(z);
  const { vectors } = hostEigh(crossProduct(c, c).data, d);
  const data = new Float64Array(d * k);
  for (let r = 0; r < d; r++) for (let j = 0; j < k; j++) data[r * k + j] = vectors[r * d + j];
  return { rows: d, cols: k, data };
}

function nonNegative(values: Float64Array): Float64Array {
  return values.map((v) => (v > 0 ? v : 0));
}
