import type { Tensor64 } from '../../compiler/ir/tensor.ts';

/**
 * Eigenvectors are unique only up to sign: flips each column of `got` to the sign that best
 * matches `want` (both k x k, row-major) before they are compared.
 */
export function alignColumns(got: ArrayLike<number>, want: Tensor64): Float64Array {
  const k = want.shape[0];
  const out = Float64Array.from(got);
  for (let c = 0; c < k; c++) {
    let dot = 0;
    for (let r = 0; r < k; r++) dot += got[r * k + c] * want.data[r * k + c];
    if (dot < 0) for (let r = 0; r < k; r++) out[r * k + c] = -out[r * k + c];
  }
  return out;
}
