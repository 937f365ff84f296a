import { hostEigh } from '../../executors/host/host-eigh.ts';
import { crossProduct, product, type Matrix64 } from './matrix64.ts';

/**
 * Principal angles, in degrees, ascending, between the column spaces of two orthonormal bases A and
 * B (d x k each, e.g. from `principalDirections`). Both the cosines (singular values of AᵀB) and the
 * sines (singular values of B − A AᵀB) are computed and each angle is atan2(sin, cos): the cosine
 * alone loses small angles to rounding (acos near 1), the sine alone loses those near 90°.
 */
export function principalAngles(a: Matrix64, b: Matrix64): number[] {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new RangeError(`bases of ${a.rows} x ${a.cols} and ${b.rows} x ${b.cols}`);
  const k = a.cols;
  const m = crossProduct(a, b);
  const residual = product(a, m);
  for (let i = 0; i < residual.data.length; i++) residual.data[i] = b.data[i] - residual.data[i];
  const cosines = singularValuesOfSmall(m); // descending
  const sines = singularValuesOfSmall(residual).reverse(); // ascending: pairs with descending cosines
  const angles: number[] = [];
  for (let i = 0; i < k; i++) angles.push((Math.atan2(Math.min(1, sines[i]), Math.min(1, cosines[i])) * 180) / Math.PI);
  return angles.sort((x, y) => x - y);
}

/** Singular values, descending, of an r x k matrix with small k (through the k x k Gram matrix). */
function singularValuesOfSmall(m: Matrix64): number[] {
  return Array.from(hostEigh(crossProduct(m, m).data, m.cols).values, (v) => Math.sqrt(Math.max(0, v)));
}
