import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitLinearProbe, probeScores } from '../../../runtime/eval/metrics/linear-probe.ts';
import { fitLogistic } from '../../../runtime/eval/metrics/logistic-regression.ts';
import { normals, type Rows } from '../../helpers/linalg64.ts';
import { fromRows } from './helpers.ts';

/** Solves A x = b by Gaussian elimination with partial pivoting (plain arrays). */
function gaussSolve(a: Rows, b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) x[r] = (m[r][n] - m.slice(r + 1, n).reduce((s, _, k) => s + m[r][r + 1 + k] * x[r + 1 + k], 0)) / m[r][r];
  return x;
}

/**
 * An independent Newton solve of the same objective, (1/n) Σ logloss + λ/2 ‖w‖² with an
 * unpenalised intercept (appended as a column of ones), in plain arrays with a fixed 50 full steps.
 */
function referenceNewton(x: Rows, y: number[], lambda: number): number[] {
  const rows = x.map((r) => [...r, 1]);
  const p = rows[0].length;
  let theta = new Array<number>(p).fill(0);
  for (let it = 0; it < 50; it++) {
    const g = new Array<number>(p).fill(0);
    const h = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    rows.forEach((r, i) => {
      const prob = 1 / (1 + Math.exp(-r.reduce((s, v, j) => s + v * theta[j], 0)));
      for (let a = 0; a < p; a++) {
        g[a] += ((prob - y[i]) * r[a]) / rows.length;
        for (let b = 0; b < p; b++) h[a][b] += (prob * (1 - prob) * r[a] * r[b]) / rows.length;
      }
    });
    for (let j = 0; j < p - 1; j++) {
      g[j] += lambda * theta[j];
      h[j][j] += lambda;
    }
    const step = gaussSolve(h, g);
    theta = theta.map((v, j) => v - step[j]);
  }
  return theta;
}

/** n rows of d features with labels from a noisy logistic model (not separable). */
function simulated(seed: number, n: number, d: number): { x: Rows; y: number[] } {
  const next = normals(seed);
  const w = Array.from({ length: d }, () => next());
  const x = Array.from({ length: n }, () => Array.from({ length: d }, () => next()));
  const u = normals(seed + 1);
  const y = x.map((r) => (r.reduce((s, v, j) => s + v * w[j], 0) + 1.5 * u() > 0.3 ? 1 : 0));
  return { x, y };
}

describe('L2 logistic regression', () => {
  it('matches an independent Newton solve to 1e-6', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.constantFrom(1e-3, 1e-2, 0.1, 1), (seed, lambda) => {
        const { x, y } = simulated(seed, 60, 3);
        const fit = fitLogistic(fromRows(x), y, lambda);
        const expected = referenceNewton(x, y, lambda);
        [...fit.weights, fit.intercept].forEach((v, j) => expect(Math.abs(v - expected[j])).toBeLessThan(1e-6));
      }),
      { numRuns: 20 },
    );
  });

  it('stays finite on separable data, where λ alone bounds the weights', () => {
    const fit = fitLogistic(fromRows([[-2], [-1], [1], [2]]), [0, 0, 1, 1], 1e-4);
    expect(Number.isFinite(fit.weights[0]) && fit.weights[0] > 0).toBe(true);
    expect(fit.intercept).toBeCloseTo(0, 6);
  });
});

describe('linear probe', () => {
  it('picks the penalty by tuning AUROC and scores rows on the raw feature scale', () => {
    const train = simulated(1, 200, 4);
    const tuning = simulated(2, 100, 4);
    // Features in very different units: the probe standardises them on train.
    const scale = (rows: Rows): Rows => rows.map((r) => r.map((v, j) => v * 10 ** j + 5));
    const probe = fitLinearProbe({ x: fromRows(scale(train.x)), y: train.y }, { x: fromRows(scale(tuning.x)), y: tuning.y });
    expect([1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100]).toContain(probe.lambda);
    const scores = probeScores(probe, fromRows(scale(tuning.x)));
    const direct = probeScores({ ...probe, standardiser: { mean: new Float64Array(4), scale: new Float64Array(4).fill(1) } }, fromRows(scale(tuning.x).map((r) => r.map((v, j) => (v - probe.standardiser.mean[j]) / probe.standardiser.scale[j]))));
    scores.forEach((s, i) => expect(s).toBeCloseTo(direct[i], 10));
  });
});
