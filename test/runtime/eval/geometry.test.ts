import fc from 'fast-check';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { conditionNumber, CONDITION_FLOOR } from '../../../runtime/eval/metrics/condition-number.ts';
import { effectiveRank } from '../../../runtime/eval/metrics/effective-rank.ts';
import { rankMe, RANKME_EPSILON } from '../../../runtime/eval/metrics/rankme.ts';
import { covarianceEigenvalues } from '../../../runtime/eval/metrics/spectrum.ts';
import { stableRank } from '../../../runtime/eval/metrics/stable-rank.ts';
import { centered, cov, eigvalsDesc, entropy, fro2, matmul, randomRows, transpose, type Rows } from '../../helpers/linalg64.ts';
import { fromRows, randomOrthogonal } from './helpers.ts';

/**
 * Singular values as square roots of the eigenvalues of the smaller Gram matrix (ml-matrix's
 * symmetric eigensolver): independent of the SVD the code uses; exact enough for full-rank data.
 */
function svdValues(rows: Rows): number[] {
  const gram = rows.length >= rows[0].length ? matmul(transpose(rows), rows) : matmul(rows, transpose(rows));
  return eigvalsDesc(gram).map((v) => Math.sqrt(Math.max(0, v)));
}

function entropyRank(values: number[], epsilon: number): number {
  const total = values.reduce((s, v) => s + v, 0);
  return Math.exp(entropy(values.map((v) => v / total + epsilon)));
}

/** n x d data of rank k with k equal singular values: centred orthonormal columns, rotated. */
function equalRankK(seed: number, n: number, k: number, d: number): Rows {
  const basis = new Matrix(centered(randomRows(seed, n, k)));
  const q = new SingularValueDecomposition(basis).leftSingularVectors.to2DArray().map((row) => row.slice(0, k));
  return matmul(q, randomOrthogonal(seed + 1, d).slice(0, k));
}

describe('geometry of an embedding matrix', () => {
  it('identity covariance has effective rank d, stable rank d, condition number 1', () => {
    const d = 5;
    const rows: Rows = [];
    for (let i = 0; i < d; i++) for (const s of [1, -1]) rows.push(Array.from({ length: d }, (_, j) => (j === i ? s : 0)));
    const z = fromRows(rows);
    const lambda = covarianceEigenvalues(z);
    expect(effectiveRank(z)).toBeCloseTo(d, 10);
    expect(stableRank(lambda)).toBeCloseTo(d, 10);
    expect(conditionNumber(lambda)).toBeCloseTo(1, 10);
  });

  it('rank-k data with equal singular values has effective rank k, in any rotation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 6 }), (seed, k) => {
        const z = fromRows(equalRankK(seed, 40, k, 8));
        expect(effectiveRank(z)).toBeCloseTo(k, 6);
        // The missing directions hit the floor: the condition number is 1 / floor.
        if (k < 8) expect(conditionNumber(covarianceEigenvalues(z))).toBeCloseTo(1 / CONDITION_FLOOR, -6);
      }),
      { numRuns: 30 },
    );
  });

  it('effective rank, RankMe, stable rank and the spectrum match float64 formulas on random data', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 10 }), (seed, extra, d) => {
        // Full rank after centring (n ≥ d + 1), where the Gram-matrix oracle is accurate.
        const n = d + 1 + extra;
        const rows = randomRows(seed, n, d).map((row) => row.map((v, j) => v * (j + 1) + 0.5));
        const z = fromRows(rows);
        const sigma = svdValues(centered(rows));
        expect(effectiveRank(z)).toBeCloseTo(entropyRank(sigma, 0), 8);
        expect(rankMe(z)).toBeCloseTo(entropyRank(svdValues(rows), RANKME_EPSILON), 8);
        const lambda = eigvalsDesc(cov(rows));
        const ours = covarianceEigenvalues(z);
        lambda.forEach((v, i) => expect(ours[i]).toBeCloseTo(Math.max(0, v), 8));
        expect(stableRank(ours)).toBeCloseTo(fro2(centered(rows)) / sigma[0] ** 2, 8);
        const floor = CONDITION_FLOOR * lambda[0];
        expect(conditionNumber(ours) / (lambda[0] / Math.max(lambda[d - 1], floor))).toBeCloseTo(1, 6);
      }),
      { numRuns: 50 },
    );
  });

  it('RankMe of a wide matrix sums over its min(n, d) singular values', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 6 }), (seed, n) => {
        const rows = randomRows(seed, n, n + 4);
        expect(rankMe(fromRows(rows))).toBeCloseTo(entropyRank(svdValues(rows), RANKME_EPSILON), 8);
      }),
      { numRuns: 30 },
    );
  });

  it('a collapsed embedding has effective rank 1 and a finite condition number', () => {
    const z = fromRows([[1, 2], [1, 2], [1, 2]]);
    expect(effectiveRank(z)).toBe(1);
    expect(conditionNumber(covarianceEigenvalues(z))).toBe(1);
    const line = fromRows([[1, 2], [2, 4], [3, 6]]);
    expect(effectiveRank(line)).toBeCloseTo(1, 6);
    expect(conditionNumber(covarianceEigenvalues(line))).toBeCloseTo(1 / CONDITION_FLOOR, -6);
  });

  it('has no rank (NaN) when an entry is not finite', () => {
    expect(effectiveRank(fromRows([[NaN, 1], [1, 2], [3, 1]]))).toBeNaN();
    expect(rankMe(fromRows([[Infinity, 1], [1, 2], [3, 1]]))).toBeNaN();
  });
});
