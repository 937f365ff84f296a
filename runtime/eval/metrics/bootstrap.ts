import { Rng } from '../../data/prng.ts';

export interface BootstrapOptions {
  readonly resamples: number;
  /** Coverage of the interval, e.g. 0.95. */
  readonly level: number;
  readonly seed: number;
}

export const DEFAULT_BOOTSTRAP: Omit<BootstrapOptions, 'seed'> = { resamples: 1000, level: 0.95 };

/**
 * Percentile bootstrap intervals of several statistics of one sample of n items, from the same
 * resamples: each resample draws n indices with replacement (seeded), and `statistics` maps it to
 * one value per statistic, or undefined when they are not defined on it (an AUROC of a resample
 * with one class), in which case the resample is skipped. Returns [lower, upper] per statistic, the
 * (1 − level)/2 and (1 + level)/2 quantiles (linear interpolation), or undefined when fewer than half
 * of the resamples were usable.
 */
export function bootstrapIntervals(
  n: number,
  statistics: (indices: Int32Array) => readonly number[] | undefined,
  options: BootstrapOptions,
): [number, number][] | undefined {
  const rng = Rng.from(options.seed, 0xb007);
  const draws: number[][] = [];
  const indices = new Int32Array(n);
  for (let r = 0; r < options.resamples; r++) {
    for (let i = 0; i < n; i++) indices[i] = rng.int(n);
    const values = statistics(indices);
    if (values === undefined) continue;
    values.forEach((v, s) => (draws[s] ??= []).push(v));
  }
  if (draws.length === 0 || draws[0].length < options.resamples / 2) return undefined;
  const tail = (1 - options.level) / 2;
  return draws.map((values) => {
    values.sort((a, b) => a - b);
    return [quantile(values, tail), quantile(values, 1 - tail)];
  });
}

/** The q-quantile of sorted values, interpolating linearly between order statistics. */
export function quantile(sorted: readonly number[], q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}
