/** Timing helpers shared by the benches. */

/**
 * Wall and CPU milliseconds of each call of `f` (CPU: the whole process, every thread), repeated
 * for at least `ms` and 3 calls. A promise `f` returns is awaited and timed; a synchronous `f` is
 * called back to back, with no await between calls.
 */
export async function timeCallsWithCpu(f: () => unknown, ms: number): Promise<{ ms: number[]; cpu: number[] }> {
  const times: number[] = [];
  const cpu: number[] = [];
  const start = performance.now();
  let now = start;
  while (now - start < ms || times.length < 3) {
    const cpuStart = process.cpuUsage();
    const result = f();
    if (result instanceof Promise) await result;
    const used = process.cpuUsage(cpuStart);
    const then = performance.now();
    cpu.push((used.user + used.system) / 1000);
    times.push(then - now);
    now = then;
  }
  return { ms: times, cpu };
}

/** Wall milliseconds of each call of `f`, as timeCallsWithCpu measures them. */
export async function timeCalls(f: () => unknown, ms: number): Promise<number[]> {
  return (await timeCallsWithCpu(f, ms)).ms;
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
