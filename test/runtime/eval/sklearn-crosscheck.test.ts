import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { auprc } from '../../../runtime/eval/metrics/auprc.ts';
import { auroc } from '../../../runtime/eval/metrics/auroc.ts';
import { effectiveRank } from '../../../runtime/eval/metrics/effective-rank.ts';
import { fitLogistic } from '../../../runtime/eval/metrics/logistic-regression.ts';
import { rankMe } from '../../../runtime/eval/metrics/rankme.ts';
import { fitRidge } from '../../../runtime/eval/metrics/ridge-regression.ts';
import { normals, randomRows } from '../../helpers/linalg64.ts';
import { fromRows } from './helpers.ts';

/**
 * The metrics against scikit-learn and NumPy (Debian's python3-sklearn under /usr/bin/python3), a
 * wholly independent implementation. Skipped where they are not installed.
 */
const PYTHON = '/usr/bin/python3';

function hasSklearn(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import sklearn, numpy'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

const SCRIPT = `
import json, sys
import numpy as np
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import roc_auc_score, average_precision_score
d = json.load(sys.stdin)
x = np.array(d['x']); y = np.array(d['y']); n = len(y); lam = d['lambda']
lr = LogisticRegression(C=1.0 / (n * lam), solver='newton-cholesky', tol=1e-14, max_iter=200).fit(x, y)
ridge = Ridge(alpha=n * lam, tol=1e-14).fit(x, np.array(d['targets']))
def entropy_rank(s, eps):
    p = s / s.sum() + eps
    return float(np.exp(-(p * np.log(p)).sum()))
z = np.array(d['z'])
json.dump({
  'coef': lr.coef_[0].tolist(), 'intercept': float(lr.intercept_[0]),
  'ridge_coef': ridge.coef_.tolist(), 'ridge_intercept': ridge.intercept_.tolist(),
  'auroc': roc_auc_score(y, d['scores']), 'auprc': average_precision_score(y, d['scores']),
  'effective_rank': entropy_rank(np.linalg.svd(z - z.mean(0), compute_uv=False), 0),
  'rankme': entropy_rank(np.linalg.svd(z, compute_uv=False), 1e-7),
}, sys.stdout)
`;

interface SklearnAnswer {
  coef: number[];
  intercept: number;
  ridge_coef: number[][];
  ridge_intercept: number[];
  auroc: number;
  auprc: number;
  effective_rank: number;
  rankme: number;
}

describe.runIf(hasSklearn())('cross-check against scikit-learn and NumPy', () => {
  it('agrees on logistic and ridge fits, AUROC, AUPRC, effective rank and RankMe', () => {
    const n = 120;
    const lambda = 0.01;
    const next = normals(17);
    const x = randomRows(11, n, 4);
    const y = x.map((r) => (r[0] - r[1] + 0.5 * r[2] + next() > 0 ? 1 : 0));
    const targets = x.map((r) => [r[0] + next(), 2 * r[3] - r[1] + next()]);
    // Coarse scores with ties, to exercise tie handling.
    const scores = x.map((r) => Math.round(2 * (r[0] - r[1])) / 2);
    const z = randomRows(12, 50, 6).map((r, i) => r.map((v, j) => v * (j + 1) + (i % 3)));
    const answer = JSON.parse(
      execFileSync(PYTHON, ['-c', SCRIPT], { input: JSON.stringify({ x, y, lambda, targets, scores, z }), encoding: 'utf8', timeout: 60_000 }),
    ) as SklearnAnswer;

    const fit = fitLogistic(fromRows(x), y, lambda);
    answer.coef.forEach((c, j) => expect(Math.abs(fit.weights[j] - c)).toBeLessThan(1e-6));
    expect(Math.abs(fit.intercept - answer.intercept)).toBeLessThan(1e-6);
    const ridge = fitRidge(fromRows(x), fromRows(targets), lambda);
    answer.ridge_coef.forEach((row, t) => row.forEach((c, j) => expect(ridge.weights.data[j * 2 + t]).toBeCloseTo(c, 8)));
    answer.ridge_intercept.forEach((b, t) => expect(ridge.intercept[t]).toBeCloseTo(b, 8));
    expect(auroc(scores, y)).toBeCloseTo(answer.auroc, 12);
    expect(auprc(scores, y)).toBeCloseTo(answer.auprc, 12);
    expect(effectiveRank(fromRows(z))).toBeCloseTo(answer.effective_rank, 9);
    expect(rankMe(fromRows(z))).toBeCloseTo(answer.rankme, 9);
  });
});
