import { centreColumns, columnMeans, crossProduct, type Matrix64 } from './matrix64.ts';
import { solveSpd } from './solve-spd.ts';

/** Y ≈ X W + b for several targets at once. */
export interface RidgeModel {
  /** d x q. */
  readonly weights: Matrix64;
  /** q intercepts. */
  readonly intercept: Float64Array;
}

/**
 * Ridge regression of Y (n x q) on X (n x d): minimises (1/n) ‖Y − X W − 1 bᵀ‖_F² + λ ‖W‖_F², the
 * intercepts not penalised, in closed form on centred data: W = (XcᵀXc/n + λI)⁻¹ XcᵀYc/n.
 */
export function fitRidge(x: Matrix64, y: Matrix64, lambda: number): RidgeModel {
  if (x.rows !== y.rows) throw new RangeError(`${x.rows} rows of features for ${y.rows} of targets`);
  if (x.rows === 0) throw new RangeError('ridge regression of no rows');
  const { rows: n, cols: d } = x;
  const q = y.cols;
  const xc = centreColumns(x);
  const gram = crossProduct(xc, xc).data.map((v) => v / n);
  for (let j = 0; j < d; j++) gram[j * d + j] += lambda;
  const moment = crossProduct(xc, centreColumns(y));
  const weights = new Float64Array(d * q);
  for (let t = 0; t < q; t++) {
    const rhs = new Float64Array(d);
    for (let j = 0; j < d; j++) rhs[j] = moment.data[j * q + t] / n;
    const w = solveSpd(gram, rhs, d);
    for (let j = 0; j < d; j++) weights[j * q + t] = w[j];
  }
  const xMean = columnMeans(x);
  const intercept = columnMeans(y);
  for (let t = 0; t < q; t++) for (let j = 0; j < d; j++) intercept[t] -= xMean[j] * weights[j * q + t];
  return { weights: { rows: d, cols: q, data: weights }, intercept };
}

export function ridgePredict(model: RidgeModel, x: Matrix64): Matrix64 {
  const { cols: q } = model.weights;
  const out = new Float64Array(x.rows * q);
  for (let i = 0; i < x.rows; i++)
    for (let t = 0; t < q; t++) {
      let s = model.intercept[t];
      for (let j = 0; j < x.cols; j++) s += x.data[i * x.cols + j] * model.weights.data[j * q + t];
      out[i * q + t] = s;
    }
  return { rows: x.rows, cols: q, data: out };
}
