import type { LatentResult } from './eval-result.ts';
import { PROBE_LAMBDAS } from './metrics/linear-probe.ts';
import type { Matrix64 } from './metrics/matrix64.ts';
import { rSquared } from './metrics/r-squared.ts';
import { fitRidge, ridgePredict } from './metrics/ridge-regression.ts';
import { fitStandardiser, standardise } from './metrics/standardise.ts';

export interface LatentRows {
  /** Embeddings. */
  readonly x: Matrix64;
  /** Ground-truth latent states, one row per embedding row. */
  readonly y: Matrix64;
}

/**
 * How linearly the embedding holds the ground-truth latent state: ridge regression on the
 * embedding standardised with the train statistics, λ chosen by pooled R² on tuning, fit on train,
 * R² on held_out. A string says why it could not be measured.
 */
export function measureLatentR2(train: LatentRows, tuning: LatentRows, heldOut: LatentRows): LatentResult | string {
  if (train.x.rows < 2 || tuning.x.rows < 2 || heldOut.x.rows < 2) return 'fewer than 2 rows with ground truth in train, tuning or held_out';
  const standardiser = fitStandardiser(train.x);
  const xTrain = standardise(train.x, standardiser);
  let best: { lambda: number; r2: number } | undefined;
  for (const lambda of [...PROBE_LAMBDAS].sort((a, b) => b - a)) {
    const r2 = rSquared(tuning.y, ridgePredict(fitRidge(xTrain, train.y, lambda), standardise(tuning.x, standardiser))).pooled;
    if (best === undefined || r2 > best.r2) best = { lambda, r2 };
  }
  const lambda = best!.lambda;
  const scored = rSquared(heldOut.y, ridgePredict(fitRidge(xTrain, train.y, lambda), standardise(heldOut.x, standardiser)));
  const constant = scored.perColumn.findIndex((r) => !Number.isFinite(r));
  if (constant >= 0) return `latent ${constant} does not vary on held_out`;
  return { r2: scored.pooled, r2_per_latent: scored.perColumn, n_latents: heldOut.y.cols, lambda, n_train: train.x.rows, n_held_out: heldOut.x.rows };
}
