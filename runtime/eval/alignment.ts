import type { AlignmentResult } from './eval-result.ts';
import { linearCka } from './metrics/cka.ts';
import type { Matrix64 } from './metrics/matrix64.ts';
import { principalAngles } from './metrics/principal-angles.ts';
import { principalDirections } from './metrics/spectrum.ts';
import { subspaceK } from './subspace-k.ts';

/**
 * Cross-modal alignment of a multimodal run: the EHR embedding E and the text embedding T of the
 * same windows (rows in the same order, the same width d): linear CKA, and the principal angles
 * between their top-k principal subspaces, k = min(8, d, n − 1).
 */
export function measureAlignment(e: Matrix64, t: Matrix64): AlignmentResult {
  if (e.cols !== t.cols) throw new RangeError(`E has width ${e.cols}, T ${t.cols}: their subspaces are not comparable`);
  const k = subspaceK(e.cols, e.rows);
  return { n: e.rows, k, cka: linearCka(e, t), principal_angles_deg: principalAngles(principalDirections(e, k), principalDirections(t, k)) };
}
