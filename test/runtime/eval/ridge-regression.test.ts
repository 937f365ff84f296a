import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rSquared } from '../../../runtime/eval/metrics/r-squared.ts';
import { fitRidge, ridgePredict } from '../../../runtime/eval/metrics/ridge-regression.ts';
import { centered, matmul, randomRows, transpose } from '../../helpers/linalg64.ts';
import { fromRows, toRows } from './helpers.ts';

describe('ridge regression and R²', () => {
  it('solves the penalised normal equations (checked through their gradient) for every target', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.constantFrom(0, 1e-2, 1), (seed, lambda) => {
        const n = 40;
        const x = randomRows(seed, n, 3);
        const y = randomRows(seed + 1, n, 2).map((r, i) => [r[0] + x[i][0] - 2 * x[i][2] + 3, 0.5 * r[1] + x[i][1]]);
        const model = fitRidge(fromRows(x), fromRows(y), lambda);
        const w = toRows(model.weights);
        // Gradient of (1/n)‖Y − XW − 1bᵀ‖² + λ‖W‖² in W: −(2/n) Xᵀ R + 2λW; in b: −(2/n) 1ᵀ R.
        const residual = y.map((r, i) => r.map((v, t) => v - model.intercept[t] - x[i].reduce((s, xv, j) => s + xv * w[j][t], 0)));
        const gw = matmul(transpose(x), residual).map((r, j) => r.map((v, t) => (-2 / n) * v + 2 * lambda * w[j][t]));
        gw.flat().forEach((g) => expect(Math.abs(g)).toBeLessThan(1e-10));
        [0, 1].forEach((t) => expect(Math.abs(residual.reduce((s, r) => s + r[t], 0))).toBeLessThan(1e-9));
      }),
      { numRuns: 20 },
    );
  });

  it('R² is 1 for exact predictions, 0 for the mean, pooled over columns by their sums of squares', () => {
    const truth = fromRows([[1, 10], [2, 20], [3, 30]]);
    expect(rSquared(truth, truth).pooled).toBe(1);
    const mean = fromRows([[2, 20], [2, 20], [2, 20]]);
    expect(rSquared(truth, mean).pooled).toBe(0);
    // Column 0 exact, column 1 at its mean: pooled = 1 − 200 / (2 + 200).
    const half = fromRows([[1, 20], [2, 20], [3, 20]]);
    const r = rSquared(truth, half);
    expect(r.perColumn).toEqual([1, 0]);
    expect(r.pooled).toBeCloseTo(1 - 200 / 202, 12);
  });

  it('recovers a noiseless linear map with R² = 1 on new rows', () => {
    const x = randomRows(3, 30, 4);
    const map = [[1, 0], [0, 2], [-1, 1], [0.5, 0]];
    const y = matmul(x, map).map((r) => [r[0] + 1, r[1] - 1]);
    const model = fitRidge(fromRows(x), fromRows(y), 0);
    const xNew = centered(randomRows(4, 10, 4));
    const yNew = matmul(xNew, map).map((r) => [r[0] + 1, r[1] - 1]);
    expect(rSquared(fromRows(yNew), ridgePredict(model, fromRows(xNew))).pooled).toBeCloseTo(1, 10);
  });
});
