import type { StabilityResult } from './eval-result.ts';
import { linearCka } from './metrics/cka.ts';
import { selectRows, type Matrix64 } from './metrics/matrix64.ts';
import { principalAngles } from './metrics/principal-angles.ts';
import { principalDirections } from './metrics/spectrum.ts';
import { MAX_SUBSPACE_K } from './subspace-k.ts';

/** Fewer subjects than this with both windows t and t + 1: the pair is left out (too noisy). */
export const STABILITY_MIN_SUBJECTS = 20;

/**
 * Stability across time: for each t, the subjects with embeddings at both their window t and t + 1
 * (rows of `z`, each with its subject and window index t), linear CKA between the two matrices (same
 * subjects, same order) and the principal angles between their top-k principal subspaces.
 * k = min(8, d) for every pair. Null when no pair has enough subjects.
 */
export function measureStability(z: Matrix64, subject: ArrayLike<number>, windowIndex: ArrayLike<number>): StabilityResult | null {
  const rowOf = new Map<string, number>();
  let last = 0;
  for (let r = 0; r < z.rows; r++) {
    rowOf.set(`${subject[r]}:${windowIndex[r]}`, r);
    last = Math.max(last, windowIndex[r]);
  }
  const k = Math.min(MAX_SUBSPACE_K, z.cols);
  const result: StabilityResult = { k, window: [], n_subjects: [], cka_consecutive: [], principal_angles_deg: [] };
  for (let t = 0; t < last; t++) {
    const from: number[] = [];
    const to: number[] = [];
    for (let r = 0; r < z.rows; r++) {
      if (windowIndex[r] !== t) continue;
      const next = rowOf.get(`${subject[r]}:${t + 1}`);
      if (next === undefined) continue;
      from.push(r);
      to.push(next);
    }
    if (from.length < Math.max(STABILITY_MIN_SUBJECTS, k + 1)) continue;
    const x = selectRows(z, from);
    const y = selectRows(z, to);
    result.window.push(t);
    result.n_subjects.push(from.length);
    result.cka_consecutive.push(linearCka(x, y));
    result.principal_angles_deg.push(principalAngles(principalDirections(x, k), principalDirections(y, k)));
  }
  return result.window.length === 0 ? null : result;
}
