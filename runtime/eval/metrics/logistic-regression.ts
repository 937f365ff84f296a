import type { Matrix64 } from './matrix64.ts';
import { solveSpd } from './solve-spd.ts';

/** A fitted logistic model: P(y = 1 | x) = sigmoid(x · weights + intercept). */
export interface LogisticModel {
  readonly weights: Float64Array;
  readonly intercept: number;
  /** Newton iterations taken. */
  readonly iterations: number;
}

/**
 * L2-regularised logistic regression: minimises (1/n) Σ [log(1 + e^sᵢ) − yᵢ sᵢ] + λ/2 ‖w‖², sᵢ = xᵢ·w + b,
 * the intercept b not penalised. Newton's method (IRLS) with a backtracking line search, which makes
 * every step decrease the objective, so it converges from zero even on separable data (λ > 0 keeps
 * the minimum finite). Stops when the largest gradient entry is below `tolerance`.
 */
export function fitLogistic(x: Matrix64, y: ArrayLike<number>, lambda: number, tolerance = 1e-10, maxIterations = 100): LogisticModel {
  const { rows: n, cols: d } = x;
  if (y.length !== n) throw new RangeError(`${n} rows for ${y.length} labels`);
  if (n === 0) throw new RangeError('logistic regression of no rows');
  const p = d + 1; // the intercept is the last coordinate
  let theta = new Float64Array(p);
  let value = objective(x, y, lambda, theta);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const { gradient, hessian } = derivatives(x, y, lambda, theta);
    let largest = 0;
    for (const g of gradient) largest = Math.max(largest, Math.abs(g));
    if (largest < tolerance) break;
    const step = solveSpd(hessian, gradient, p);
    let slope = 0;
    for (let i = 0; i < p; i++) slope -= gradient[i] * step[i];
    let t = 1;
    let next = theta;
    let nextValue = value;
    for (let halvings = 0; halvings < 50; halvings++, t /= 2) {
      next = theta.map((v, i) => v - t * step[i]);
      nextValue = objective(x, y, lambda, next);
      if (nextValue <= value + 1e-4 * t * slope) break;
    }
    if (!(nextValue < value)) break; // no decrease left at float64 precision: converged
    theta = next;
    value = nextValue;
  }
  return { weights: theta.slice(0, d), intercept: theta[d], iterations };
}

/** The linear scores xᵢ·w + b (log-odds). */
export function logisticScores(model: LogisticModel, x: Matrix64): Float64Array {
  const scores = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let s = model.intercept;
    for (let j = 0; j < x.cols; j++) s += x.data[i * x.cols + j] * model.weights[j];
    scores[i] = s;
  }
  return scores;
}

/** log(1 + e^s) without overflow. */
export function softplus(s: number): number {
  return s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
}

function score(x: Matrix64, theta: Float64Array, i: number): number {
  const d = x.cols;
  let s = theta[d];
  for (let j = 0; j < d; j++) s += x.data[i * d + j] * theta[j];
  return s;
}

function objective(x: Matrix64, y: ArrayLike<number>, lambda: number, theta: Float64Array): number {
  let loss = 0;
  for (let i = 0; i < x.rows; i++) {
    const s = score(x, theta, i);
    loss += softplus(s) - y[i] * s;
  }
  let penalty = 0;
  for (let j = 0; j < x.cols; j++) penalty += theta[j] * theta[j];
  return loss / x.rows + (lambda / 2) * penalty;
}

function derivatives(x: Matrix64, y: ArrayLike<number>, lambda: number, theta: Float64Array): { gradient: Float64Array; hessian: Float64Array } {
  const { rows: n, cols: d } = x;
  const p = d + 1;
  const gradient = new Float64Array(p);
  const hessian = new Float64Array(p * p);
  const row = new Float64Array(p);
  row[d] = 1;
  for (let i = 0; i < n; i++) {
    row.set(x.data.subarray(i * d, (i + 1) * d));
    const prob = 1 / (1 + Math.exp(-score(x, theta, i)));
    const residual = prob - y[i];
    const weight = prob * (1 - prob);
    for (let a = 0; a < p; a++) {
      gradient[a] += residual * row[a];
      const wa = weight * row[a];
      if (wa === 0) continue;
      for (let b = a; b < p; b++) hessian[a * p + b] += wa * row[b];
    }
  }
  for (let a = 0; a < p; a++) {
    gradient[a] /= n;
    for (let b = a; b < p; b++) {
      hessian[a * p + b] /= n;
      hessian[b * p + a] = hessian[a * p + b];
    }
  }
  for (let j = 0; j < d; j++) {
    gradient[j] += lambda * theta[j];
    hessian[j * p + j] += lambda;
  }
  return { gradient, hessian };
}
