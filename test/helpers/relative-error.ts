/**
 * ‖a − b‖ / max(‖b‖, 1e-30): the norm-wise relative error the conformance README specifies
 * (float64 backends within 1e-6, float32 ones within 2e-3). Non-finite entries count as equal
 * only when they are the same non-finite value; otherwise the error is infinite.
 */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) {
      if (Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) continue;
      return Number.POSITIVE_INFINITY;
    }
    diff += (a[i] - b[i]) ** 2;
    norm += b[i] ** 2;
  }
  return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
}
