import { Matrix, QrDecomposition } from 'ml-matrix';
import { matrix64, type Matrix64 } from '../../../runtime/eval/metrics/matrix64.ts';
import { normals, randomRows, type Rows } from '../../helpers/linalg64.ts';

/** Test data for the evaluation metrics, built from plain rows. */
export function fromRows(rows: Rows): Matrix64 {
  return matrix64(rows.flat(), rows.length, rows[0].length);
}

export function toRows(m: Matrix64): Rows {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

/** A random d x d orthogonal matrix (Q of the QR of a Gaussian matrix). */
export function randomOrthogonal(seed: number, d: number): Rows {
  return new QrDecomposition(new Matrix(randomRows(seed, d, d))).orthogonalMatrix.to2DArray();
}

/** n standard normals. */
export function normalSample(seed: number, n: number): number[] {
  const next = normals(seed);
  return Array.from({ length: n }, () => next());
}
