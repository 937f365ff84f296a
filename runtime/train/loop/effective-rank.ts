import { Matrix, SingularValueDecomposition } from 'ml-matrix';

/**
 * Effective rank (Roy and Vetterli, 2007) of an embedding batch: exp of the Shannon entropy of its
 * normalised singular values, after centring the columns. It runs from 1 (every row on one line)
 * to min(n - 1, d) (variance spread evenly), and is the live number the progress bar shows.
 * Computed on the host in float64 (ml-matrix's SVD); cheap at batch sizes.
 */
export function effectiveRank(data: ArrayLike<number>, rows: number, cols: number): number {
  if (rows < 2 || cols < 1) return NaN;
  const m = new Matrix(rows, cols);
  for (let j = 0; j < cols; j++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += data[i * cols + j];
    mean /= rows;
    for (let i = 0; i < rows; i++) m.set(i, j, data[i * cols + j] - mean);
  }
  // ml-matrix's SVD wants rows >= cols; the singular values of the transpose are the same.
  const svd = new SingularValueDecomposition(rows >= cols ? m : m.transpose(), { computeLeftSingularVectors: false, computeRightSingularVectors: false });
  const s = svd.diagonal;
  let total = 0;
  for (const x of s) if (x > 0 && Number.isFinite(x)) total += x;
  if (!(total > 0)) return total === 0 ? 1 : NaN;
  let entropy = 0;
  for (const x of s) {
    if (!(x > 0) || !Number.isFinite(x)) continue;
    const p = x / total;
    entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}
