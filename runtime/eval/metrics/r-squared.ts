import { columnMeans, type Matrix64 } from './matrix64.ts';

export interface RSquared {
  /** 1 − Σ residual SS / Σ total SS over all columns together. */
  readonly pooled: number;
  /** The same per column (NaN for a column with no variance). */
  readonly perColumn: number[];
}

/** Coefficient of determination of predictions against truth, total SS about truth's own mean. */
export function rSquared(truth: Matrix64, predicted: Matrix64): RSquared {
  if (truth.rows !== predicted.rows || truth.cols !== predicted.cols) throw new RangeError('truth and predictions differ in shape');
  const q = truth.cols;
  const mean = columnMeans(truth);
  const residual = new Float64Array(q);
  const total = new Float64Array(q);
  for (let i = 0; i < truth.rows; i++)
    for (let t = 0; t < q; t++) {
      const v = truth.data[i * q + t];
      residual[t] += (v - predicted.data[i * q + t]) ** 2;
      total[t] += (v - mean[t]) ** 2;
    }
  const sum = (a: Float64Array): number => a.reduce((s, v) => s + v, 0);
  return {
    pooled: 1 - sum(residual) / sum(total),
    perColumn: Array.from(residual, (r, t) => (total[t] > 0 ? 1 - r / total[t] : NaN)),
  };
}
