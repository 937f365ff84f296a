/** `x` rounded to `digits` decimals, for run.json and metrics; non-finite values pass through. */
export function roundDecimals(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
