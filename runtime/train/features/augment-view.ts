import { Rng } from '../../data/prng.ts';
import type { Float32Tensor } from '../../executors/executor.ts';
import type { BatchField, View } from '../../model/train-spec.ts';

/**
 * A stochastic view of a batch's encoded windows (the `Z_a`, `Z_b` streams): each code event and
 * each note token is dropped with probability `drop`, the kept ones' pooling weights rescaled so
 * that each row's weights keep their sum; each lab value is masked to 0 (the encoder's "absent")
 * with the same probability. Two views of one batch are two independent draws, as in SimCLR-style
 * EHR augmentation (random code dropout and value masking). The draw is a pure function of
 * (seed, epoch, batch, slot, view), so a resumed run makes exactly the views an uninterrupted one makes.
 */

/** Purpose key of the view streams (see Rng.from). */
const VIEW_PURPOSE = 0x5649_4557;

export function viewRng(seed: number, epoch: number, index: number, slot: number, view: View): Rng {
  return Rng.from(seed, VIEW_PURPOSE, epoch, index, slot, view === 'a' ? 0 : 1);
}

export function augmentView(fields: ReadonlyMap<BatchField, Float32Tensor>, drop: number, rng: Rng): Map<BatchField, Float32Tensor> {
  const out = new Map(fields);
  if (fields.has('code_ids')) dropEntries(fields, out, ['code_ids', 'code_weights', 'code_rows'], drop, rng);
  const labs = fields.get('labs');
  if (labs !== undefined) out.set('labs', { shape: labs.shape, data: labs.data.map((v) => (rng.bernoulli(drop) ? 0 : v)) });
  if (fields.has('tok_ids')) dropEntries(fields, out, ['tok_ids', 'tok_weights', 'tok_rows'], drop, rng);
  return out;
}

/** Keeps each list entry with probability 1 − drop; a row's kept weights are rescaled to the row's old total. */
function dropEntries(
  fields: ReadonlyMap<BatchField, Float32Tensor>,
  out: Map<BatchField, Float32Tensor>,
  [idsField, weightsField, rowsField]: readonly [BatchField, BatchField, BatchField],
  drop: number,
  rng: Rng,
): void {
  const ids = fields.get(idsField)!.data;
  const weights = fields.get(weightsField)!.data;
  const rows = fields.get(rowsField)!.data;
  const keep = Array.from(ids, () => !rng.bernoulli(drop));
  const total = new Map<number, number>();
  const kept = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) {
    total.set(rows[i], (total.get(rows[i]) ?? 0) + weights[i]);
    if (keep[i]) kept.set(rows[i], (kept.get(rows[i]) ?? 0) + weights[i]);
  }
  const index = keep.flatMap((k, i) => (k ? [i] : []));
  const vector = (data: Float32Array): Float32Tensor => ({ shape: [data.length], data });
  out.set(idsField, vector(Float32Array.from(index, (i) => ids[i])));
  out.set(rowsField, vector(Float32Array.from(index, (i) => rows[i])));
  out.set(weightsField, vector(Float32Array.from(index, (i) => (kept.get(rows[i])! > 0 ? (weights[i] * total.get(rows[i])!) / kept.get(rows[i])! : weights[i]))));
}
