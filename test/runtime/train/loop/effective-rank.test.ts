import { describe, expect, it } from 'vitest';
import { effectiveRank } from '../../../../runtime/train/loop/effective-rank.ts';

describe('effectiveRank', () => {
  it('is d for columns of equal spread in orthogonal directions', () => {
    // Rows ±e_i: centred, the singular values are all equal.
    const d = 4;
    const rows: number[] = [];
    for (let i = 0; i < d; i++) for (const s of [1, -1]) rows.push(...Array.from({ length: d }, (_, j) => (j === i ? s : 0)));
    expect(effectiveRank(rows, 2 * d, d)).toBeCloseTo(d, 10);
  });

  it('is 1 for rows on one line, whatever the offset', () => {
    const rows = [1, 2, 3, 2, 4, 6, 3, 6, 9].map((v) => v + 10);
    expect(effectiveRank(rows, 3, 3)).toBeCloseTo(1, 6);
  });

  it('matches exp(entropy) of known singular values, with more columns than rows too', () => {
    // Centred rows ±(3, 0), ±(0, 1): singular values sqrt(18), sqrt(2).
    const s = [Math.sqrt(18), Math.sqrt(2)];
    const p = s.map((x) => x / (s[0] + s[1]));
    const expected = Math.exp(-p.reduce((a, q) => a + q * Math.log(q), 0));
    expect(effectiveRank([3, 0, -3, 0, 0, 1, 0, -1], 4, 2)).toBeCloseTo(expected, 10);
    expect(effectiveRank([3, 0, 0, -3, 0, 0], 2, 3)).toBeCloseTo(1, 10);
  });
});
