/** Timing helpers shared by the benches. */

/**
 * Milliseconds of each call of `f`, repeated for at least `ms` and 3 calls. A promise `f` returns
 * is awaited and timed; a synchronous `f` is called back to back, with no await between calls.
 */
export async function timeCalls(f: () => unknown, ms: number): Promise<number[]> {
  const times: number[] = [];
  const start = performance.now();
  let now = start;
  while (now - start < ms || times.length < 3) {
    const result = f();
    if (result instanceof Promise) await result;
    const then = performance.now();
    times.push(then - now);
    now = then;
  }
  return times;
}

/** The q-quantile of `xs`, interpolating linearly between the two nearest ranks. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);
