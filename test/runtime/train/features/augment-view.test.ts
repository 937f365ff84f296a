import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Float32Tensor } from '../../../../runtime/executors/executor.ts';
import type { BatchField } from '../../../../runtime/model/train-spec.ts';
import { augmentView, viewRng } from '../../../../runtime/train/features/augment-view.ts';

/** Augmented views: what is dropped, how often, that row weights keep their sums, and determinism. */

/** `perRow` entries for each of `rows` rows, weights normalised per row, and labs all 1. */
function batch(rows: number, perRow: number): Map<BatchField, Float32Tensor> {
  const n = rows * perRow;
  const vector = (f: (i: number) => number): Float32Tensor => ({ shape: [n], data: Float32Array.from({ length: n }, (_, i) => f(i)) });
  return new Map<BatchField, Float32Tensor>([
    ['code_ids', vector((i) => i % 97)],
    ['code_weights', vector((i) => (1 + (i % perRow)) / ((perRow * (perRow + 1)) / 2))],
    ['code_rows', vector((i) => Math.floor(i / perRow))],
    ['labs', { shape: [rows, 5], data: new Float32Array(rows * 5).fill(1) }],
    ['tok_ids', vector((i) => i)],
    ['tok_weights', vector(() => 1 / perRow)],
    ['tok_rows', vector((i) => Math.floor(i / perRow))],
  ]);
}

const rowSums = (fields: ReadonlyMap<BatchField, Float32Tensor>, weights: BatchField, rowsField: BatchField) => {
  const sums = new Map<number, number>();
  const w = fields.get(weights)!.data;
  const r = fields.get(rowsField)!.data;
  for (let i = 0; i < w.length; i++) sums.set(r[i], (sums.get(r[i]) ?? 0) + w[i]);
  return sums;
};

describe('augmentView', () => {
  it('with drop 0 changes nothing', () => {
    const fields = batch(4, 6);
    const view = augmentView(fields, 0, viewRng(1, 0, 0, 0, 'a'));
    for (const [name, t] of fields) expect(view.get(name)!.data).toEqual(t.data);
  });

  it('drops about a fraction p of codes and tokens and masks about p of the labs; each row with a kept entry keeps its weight sum', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 0.6, noNaN: true }), fc.integer({ min: 0, max: 1e6 }), (p, seed) => {
        const fields = batch(200, 10);
        const view = augmentView(fields, p, viewRng(seed, 1, 2, 0, 'b'));
        const n = 2000;
        // 4.5 standard deviations of a binomial(n, p) count.
        const slack = 4.5 * Math.sqrt(n * p * (1 - p));
        expect(Math.abs(n - view.get('code_ids')!.data.length - n * p)).toBeLessThan(slack);
        expect(Math.abs(n - view.get('tok_ids')!.data.length - n * p)).toBeLessThan(slack);
        const masked = view.get('labs')!.data.filter((v) => v === 0).length;
        expect(Math.abs(masked - 1000 * p)).toBeLessThan(4.5 * Math.sqrt(1000 * p * (1 - p)));
        for (const [weights, rows] of [['code_weights', 'code_rows'], ['tok_weights', 'tok_rows']] as const) {
          for (const [, sum] of rowSums(view, weights, rows)) expect(sum).toBeCloseTo(1, 5);
        }
        // Kept entries keep their ids and rows, in order.
        const ids = view.get('tok_ids')!.data;
        expect(ids.every((id, i) => i === 0 || id > ids[i - 1])).toBe(true);
        expect(view.get('tok_rows')!.data.every((r, i) => r === Math.floor(ids[i] / 10))).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('is a pure function of (seed, epoch, batch, slot, view): the same key the same view, another key another', () => {
    const fields = batch(20, 8);
    const draw = (...key: [number, number, number, number, 'a' | 'b']) => augmentView(fields, 0.3, viewRng(...key)).get('code_ids')!.data;
    expect(draw(3, 1, 4, 0, 'a')).toEqual(draw(3, 1, 4, 0, 'a'));
    for (const other of [draw(3, 1, 4, 0, 'b'), draw(4, 1, 4, 0, 'a'), draw(3, 2, 4, 0, 'a'), draw(3, 1, 5, 0, 'a'), draw(3, 1, 4, 1, 'a')]) {
      expect(other).not.toEqual(draw(3, 1, 4, 0, 'a'));
    }
  });
});
