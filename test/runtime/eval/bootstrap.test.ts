import { describe, expect, it } from 'vitest';
import { auroc } from '../../../runtime/eval/metrics/auroc.ts';
import { bootstrapIntervals, quantile } from '../../../runtime/eval/metrics/bootstrap.ts';
import { normalSample } from './helpers.ts';

/** Φ, for the true AUROC of two normal score distributions. */
function normalCdf(x: number): number {
  // Abramowitz–Stegun 7.1.26 erf, accurate to 1.5e-7: plenty for a coverage check.
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

describe('bootstrap intervals', () => {
  it('cover the true mean at about the nominal 95% on simulated data', () => {
    const trials = 200;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const sample = normalSample(1000 + t, 80).map((v) => v + 2);
      const mean = (idx: Int32Array): number[] => [idx.reduce((s, i) => s + sample[i], 0) / idx.length];
      const [[lo, hi]] = bootstrapIntervals(sample.length, mean, { resamples: 400, level: 0.95, seed: t })!;
      if (lo <= 2 && 2 <= hi) covered++;
    }
    // Binomial(200, 0.95) lies in [181, 197] with probability > 0.99; the percentile bootstrap
    // undercovers slightly at n = 80, so the lower bound allows that.
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThan(0.99);
  });

  it('cover the true AUROC at about the nominal rate, skipping one-class resamples', () => {
    const trials = 100;
    const shift = 1;
    const truth = normalCdf(shift / Math.SQRT2);
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const positives = normalSample(5000 + t, 40).map((v) => v + shift);
      const negatives = normalSample(9000 + t, 60);
      const scores = [...positives, ...negatives];
      const labels = scores.map((_, i) => (i < positives.length ? 1 : 0));
      const stat = (idx: Int32Array): number[] | undefined => {
        const a = auroc(Array.from(idx, (i) => scores[i]), Array.from(idx, (i) => labels[i]));
        return a === undefined ? undefined : [a];
      };
      const [[lo, hi]] = bootstrapIntervals(scores.length, stat, { resamples: 200, level: 0.95, seed: t })!;
      if (lo <= truth && truth <= hi) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.86);
    // Intervals too wide (say [0, 1]) would cover every time: a correct 95% interval misses now and then.
    expect(covered / trials).toBeLessThan(0.995);
  });

  it('is reproducible from its seed and undefined when most resamples are unusable', () => {
    const sample = normalSample(3, 30);
    const mean = (idx: Int32Array): number[] => [idx.reduce((s, i) => s + sample[i], 0) / idx.length];
    const options = { resamples: 100, level: 0.9, seed: 42 };
    expect(bootstrapIntervals(30, mean, options)).toEqual(bootstrapIntervals(30, mean, options));
    expect(bootstrapIntervals(30, mean, { ...options, seed: 43 })).not.toEqual(bootstrapIntervals(30, mean, options));
    expect(bootstrapIntervals(30, () => undefined, options)).toBeUndefined();
  });

  it('interpolates quantiles between order statistics', () => {
    expect(quantile([1, 2, 3, 4], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });
});
