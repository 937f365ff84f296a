import { auroc } from './auroc.ts';
import { fitLogistic, logisticScores, softplus, type LogisticModel } from './logistic-regression.ts';
import type { Matrix64 } from './matrix64.ts';
import { fitStandardiser, standardise, type Standardiser } from './standardise.ts';

/** The L2 penalties a probe chooses from: 1e-4 … 1e2, one per decade. */
export const PROBE_LAMBDAS: readonly number[] = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100];

export interface LabelledRows {
  readonly x: Matrix64;
  /** 1 or 0 per row. */
  readonly y: ArrayLike<number>;
}

export interface LinearProbe {
  readonly lambda: number;
  readonly standardiser: Standardiser;
  readonly model: LogisticModel;
}

/**
 * A linear probe: features standardised with the train split's mean and deviation, then for each λ
 * a logistic fit on train scored on tuning; the λ with the best tuning AUROC wins (ties: the larger
 * λ, the simpler model). When tuning has one class AUROC is undefined and tuning log-loss decides.
 */
export function fitLinearProbe(train: LabelledRows, tuning: LabelledRows, lambdas: readonly number[] = PROBE_LAMBDAS): LinearProbe {
  if (tuning.x.rows === 0) throw new RangeError('a probe needs tuning rows to choose its penalty');
  const standardiser = fitStandardiser(train.x);
  const xTrain = standardise(train.x, standardiser);
  const xTuning = standardise(tuning.x, standardiser);
  let best: { lambda: number; model: LogisticModel; merit: number } | undefined;
  for (const lambda of [...lambdas].sort((a, b) => b - a)) {
    const model = fitLogistic(xTrain, train.y, lambda);
    const scores = logisticScores(model, xTuning);
    const merit = auroc(scores, tuning.y) ?? -logLoss(scores, tuning.y);
    if (best === undefined || merit > best.merit) best = { lambda, model, merit };
  }
  if (best === undefined) throw new RangeError('no penalty to choose from');
  return { lambda: best.lambda, standardiser, model: best.model };
}

/** The probe's log-odds for rows of raw (unstandardised) features. */
export function probeScores(probe: LinearProbe, x: Matrix64): Float64Array {
  return logisticScores(probe.model, standardise(x, probe.standardiser));
}

function logLoss(scores: Float64Array, y: ArrayLike<number>): number {
  let loss = 0;
  for (let i = 0; i < scores.length; i++) loss += softplus(scores[i]) - y[i] * scores[i];
  return loss / scores.length;
}
