import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Eigenvalues (descending) and eigenvectors (as columns, row-major k x k) of a symmetric matrix. */
export interface HostEigh {
  readonly values: Float64Array;
  readonly vectors: Float64Array;
}

/**
 * The symmetric eigendecomposition that float32 engines (tfjs, ONNX, generated modules) run on the
 * host, in float64: the one entry point they share.
 *
 * `data` is a k x k matrix in row-major order (float32 from a device read-back, or float64). It is
 * symmetrised as (A + Aᵀ)/2 first, since float32 products such as ZᵀZ are symmetric only to
 * rounding. Values come back in DESCENDING order and the vectors as the matching COLUMNS, each with
 * its sign fixed so that its entry of largest magnitude (the first, at ties) is positive, which
 * makes the result deterministic. A matrix with a non-finite entry gives all-NaN values and vectors
 * rather than an exception or a hang.
 */
export function hostEigh(data: ArrayLike<number>, k: number): HostEigh {
  if (data.length !== k * k) throw new RangeError(`hostEigh: ${data.length} entries for a ${k} x ${k} matrix`);
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * k);
  if (k === 0) return { values, vectors };
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      values.fill(Number.NaN);
      vectors.fill(Number.NaN);
      return { values, vectors };
    }
  }
  const sym = new Matrix(k, k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) sym.set(i, j, 0.5 * (Number(data[i * k + j]) + Number(data[j * k + i])));
  }
  const evd = new EigenvalueDecomposition(sym, { assumeSymmetric: true });
  const lambda = evd.realEigenvalues;
  const v = evd.eigenvectorMatrix;
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => lambda[b] - lambda[a] || a - b);
  for (let col = 0; col < k; col++) {
    const src = order[col];
    values[col] = lambda[src];
    let pivot = 0;
    for (let r = 1; r < k; r++) if (Math.abs(v.get(r, src)) > Math.abs(v.get(pivot, src))) pivot = r;
    const sign = v.get(pivot, src) < 0 ? -1 : 1;
    for (let r = 0; r < k; r++) vectors[r * k + col] = sign * v.get(r, src);
  }
  return { values, vectors };
}
