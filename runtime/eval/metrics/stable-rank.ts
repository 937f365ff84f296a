/**
 * Stable rank from the covariance eigenvalues λ (descending): Σλ / λ_max, i.e. ‖Z‖_F² / ‖Z‖₂² of the
 * centred Z. At most the rank, and unlike the rank not moved by tiny directions. 0 variance gives 0.
 */
export function stableRank(eigenvalues: ArrayLike<number>): number {
  const top = eigenvalues[0];
  if (!(top > 0)) return 0;
  let total = 0;
  for (let i = 0; i < eigenvalues.length; i++) total += eigenvalues[i];
  return total / top;
}
