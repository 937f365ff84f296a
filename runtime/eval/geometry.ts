import type { GeometryResult } from './eval-result.ts';
import { CONDITION_FLOOR, conditionNumber } from './metrics/condition-number.ts';
import { effectiveRank } from './metrics/effective-rank.ts';
import type { Matrix64 } from './metrics/matrix64.ts';
import { rankMe } from './metrics/rankme.ts';
import { covarianceEigenvalues } from './metrics/spectrum.ts';
import { stableRank } from './metrics/stable-rank.ts';

/** The geometry section of metrics.json for embeddings z (one row per subject), and the covariance spectrum. */
export function measureGeometry(z: Matrix64, split: string, spectrumFile: string): { result: GeometryResult; spectrum: Float64Array } {
  const spectrum = covarianceEigenvalues(z);
  return {
    spectrum,
    result: {
      split,
      n: z.rows,
      d: z.cols,
      effective_rank: effectiveRank(z),
      rankme: rankMe(z),
      stable_rank: stableRank(spectrum),
      condition_number: conditionNumber(spectrum),
      condition_floor: CONDITION_FLOOR,
      spectrum_file: spectrumFile,
    },
  };
}
