import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auprc } from '../../../runtime/eval/metrics/auprc.ts';
import { auroc } from '../../../runtime/eval/metrics/auroc.ts';

/** Scores from a few values, so that ties are common, with labels of both classes. */
const scored = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1 })), { minLength: 2, maxLength: 60 })
  .filter((rows) => rows.some(([, y]) => y === 1) && rows.some(([, y]) => y === 0))
  .map((rows) => ({ scores: rows.map(([s]) => s / 2), labels: rows.map(([, y]) => y) }));

/** P(positive > negative) + ½ P(tie), by counting every pair. */
function pairwiseAuroc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++)
    for (let j = 0; j < scores.length; j++)
      if (labels[i] === 1 && labels[j] === 0) {
        pairs++;
        wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      }
  return wins / pairs;
}

/** Average precision from its definition: for each distinct threshold, Δrecall × precision. */
function definitionAp(scores: number[], labels: number[]): number {
  const positives = labels.filter((y) => y === 1).length;
  const thresholds = [...new Set(scores)].sort((a, b) => b - a);
  let previousRecall = 0;
  let ap = 0;
  for (const t of thresholds) {
    const kept = scores.map((s, i) => [s, labels[i]]).filter(([s]) => s >= t);
    const tp = kept.filter(([, y]) => y === 1).length;
    const recall = tp / positives;
    ap += (recall - previousRecall) * (tp / kept.length);
    previousRecall = recall;
  }
  return ap;
}

describe('AUROC', () => {
  it('equals the pairwise count, ties counted ½', () => {
    fc.assert(
      fc.property(scored, ({ scores, labels }) => {
        expect(auroc(scores, labels)).toBeCloseTo(pairwiseAuroc(scores, labels), 12);
      }),
    );
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, ½ for all ties, undefined with one class', () => {
    expect(auroc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(auroc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
    expect(auroc([7, 7, 7], [0, 1, 1])).toBe(0.5);
    expect(auroc([1, 2], [1, 1])).toBeUndefined();
  });

  it('rejects a non-finite score or a label other than 0 and 1', () => {
    expect(() => auroc([NaN, 1], [0, 1])).toThrow('score 0 is not finite');
    expect(() => auroc([0, 1], [0, 2])).toThrow('label 1 must be 0 or 1');
  });
});

describe('AUPRC (average precision)', () => {
  it('equals Σ Δrecall × precision over distinct thresholds', () => {
    fc.assert(
      fc.property(scored, ({ scores, labels }) => {
        expect(auprc(scores, labels)).toBeCloseTo(definitionAp(scores, labels), 12);
      }),
    );
  });

  it('is 1 when every positive ranks first and the prevalence when all scores tie', () => {
    expect(auprc([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1);
    expect(auprc([1, 1, 1, 1], [1, 0, 0, 0])).toBe(0.25);
    // Positives at ranks 2 and 3 of 3: (1/2)(1/2) + (1/2)(2/3).
    expect(auprc([3, 2, 1], [0, 1, 1])).toBeCloseTo(0.25 + 1 / 3, 12);
    expect(auprc([1, 2], [0, 0])).toBeUndefined();
  });
});
