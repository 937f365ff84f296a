import { centreColumns, crossProduct, frobenius2, type Matrix64 } from './matrix64.ts';

/**
 * Linear CKA (Kornblith et al., 2019) between X (n x p) and Y (n x q), the same n items in the same
 * order: ‖Yᵀ X‖_F² / (‖Xᵀ X‖_F ‖Yᵀ Y‖_F) on column-centred X and Y. In [0, 1]; invariant to rotations
 * and isotropic scaling of either; 1 for X against a rotated copy of itself. 0 when either has no
 * variance (there is nothing to align).
 */
export function linearCka(x: Matrix64, y: Matrix64): number {
  if (x.rows !== y.rows) throw new RangeError(`CKA needs the same rows, got ${x.rows} and ${y.rows}`);
  const cx = centreColumns(x);
  const cy = centreColumns(y);
  const xx = Math.sqrt(frobenius2(crossProduct(cx, cx)));
  const yy = Math.sqrt(frobenius2(crossProduct(cy, cy)));
  if (!(xx > 0 && yy > 0)) return 0;
  const value = frobenius2(crossProduct(cy, cx)) / (xx * yy);
  return Math.min(1, Math.max(0, value));
}
