import type { Matrix64 } from './matrix64.ts';
import { singularValues } from './spectrum.ts';

/**
 * Effective rank (Roy and Vetterli, 2007): exp of the Shannon entropy of the singular values of the
 * column-centred Z normalised to sum 1. From 1 (every row on one line) to min(n − 1, d) (variance
 * spread evenly). A matrix with no variance at all gives 1; one with a non-finite entry NaN.
 */
export function effectiveRank(z: Matrix64): number {
  return spectralEntropyRank(singularValues(z, true), 0);
}

/**
 * exp(−Σ pᵢ log pᵢ) with pᵢ = σᵢ / Σσ + epsilon: the entropy-based rank of a list of non-negative
 * values. RankMe adds its epsilon to every pᵢ; effective rank uses none.
 */
export function spectralEntropyRank(values: ArrayLike<number>, epsilon: number): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    // A non-finite value (an embedding with NaN) has no rank: say so rather than return a number.
    if (!Number.isFinite(values[i])) return NaN;
    total += values[i];
  }
  if (!(total > 0)) return 1;
  let entropy = 0;
  for (let i = 0; i < values.length; i++) {
    const p = values[i] / total + epsilon;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}
