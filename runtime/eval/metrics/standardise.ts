import { columnMeans, type Matrix64 } from './matrix64.ts';

/** Per-column mean and standard deviation, fitted on one split and applied to every split. */
export interface Standardiser {
  readonly mean: Float64Array;
  readonly scale: Float64Array;
}

/** Fits on `m`; a column without spread gets scale 1 (it stays constant, 0 after centring). */
export function fitStandardiser(m: Matrix64): Standardiser {
  const mean = columnMeans(m);
  const scale = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) {
      const dev = m.data[i * m.cols + j] - mean[j];
      scale[j] += dev * dev;
    }
  for (let j = 0; j < m.cols; j++) {
    const sd = Math.sqrt(scale[j] / Math.max(1, m.rows - 1));
    scale[j] = sd > 0 ? sd : 1;
  }
  return { mean, scale };
}

export function standardise(m: Matrix64, s: Standardiser): Matrix64 {
  const data = new Float64Array(m.data.length);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) data[i * m.cols + j] = (m.data[i * m.cols + j] - s.mean[j]) / s.scale[j];
  return { rows: m.rows, cols: m.cols, data };
}
