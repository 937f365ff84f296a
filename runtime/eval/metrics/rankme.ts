import { spectralEntropyRank } from './effective-rank.ts';
import type { Matrix64 } from './matrix64.ts';
import { singularValues } from './spectrum.ts';

/** The epsilon of RankMe as Garrido et al. (2023) define it. */
export const RANKME_EPSILON = 1e-7;

/**
 * RankMe (Garrido et al., 2023): exp(−Σ pₖ log pₖ), pₖ = σₖ / ‖σ‖₁ + ε, over the singular values of
 * Z as it is (not centred, as in the paper); differs from effective rank by the mean and ε.
 */
export function rankMe(z: Matrix64): number {
  return spectralEntropyRank(singularValues(z, false), RANKME_EPSILON);
}
