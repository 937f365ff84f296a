/**
 * The relative floor of the condition number: eigenvalues below CONDITION_FLOOR × λ_max count as
 * that, so a singular covariance (n < d, a collapsed direction) gives 1e12 rather than Infinity.
 */
export const CONDITION_FLOOR = 1e-12;

/** λ_max / max(λ_min, floor · λ_max) of the covariance eigenvalues; 1 for no variance at all. */
export function conditionNumber(eigenvalues: ArrayLike<number>, floor: number = CONDITION_FLOOR): number {
  let top = 0;
  let bottom = Infinity;
  for (let i = 0; i < eigenvalues.length; i++) {
    top = Math.max(top, eigenvalues[i]);
    bottom = Math.min(bottom, eigenvalues[i]);
  }
  if (!(top > 0)) return 1;
  return top / Math.max(bottom, floor * top);
}
