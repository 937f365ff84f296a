import type { Float32Tensor } from '../../executors/executor.ts';
import { Rng } from '../../data/prng.ts';
import type { Windows } from '../../data/windows.ts';
import { labelInputName, sourceName, type BatchField, type DataSource, type Modality } from '../../model/train-spec.ts';
import type { WindowEncoder } from '../features/window-encoder.ts';

/**
 * Training examples and their batches. An example is a training subject's window t such that the
 * subject also has window t + k, with data, for every time slot k the objective reads (`Z_t+1`
 * needs k = 1; `Z` alone needs only t). Each epoch visits the examples in a fresh order drawn
 * from (seed, epoch) alone, so a resumed run replays exactly the batches an uninterrupted one
 * would; the last partial batch of an epoch is dropped so every step sees the same batch size.
 */

/** Whether a window has the data a modality embeds: events (ehr), notes (text), both (multimodal). */
export function windowHasData(windows: Windows, modality: Modality): (w: number) => boolean {
  const events = (w: number): boolean => windows.eventEnd[w] > windows.eventStart[w];
  const notes = (w: number): boolean => windows.noteEnd[w] > windows.noteStart[w];
  if (modality === 'ehr') return events;
  if (modality === 'text') return notes;
  return (w) => events(w) && notes(w);
}

/** The base windows t of every example, in window order. */
export function trainingExamples(
  windows: Windows,
  train: Uint8Array,
  slots: readonly number[],
  hasData: (w: number) => boolean,
): Int32Array {
  const offsets = slots.length === 0 ? [0] : slots;
  const out: number[] = [];
  for (let w = 0; w < windows.count; w++) {
    const s = windows.subject[w];
    if (train[s] !== 1) continue;
    const lo = windows.subjectOffset[s];
    const hi = windows.subjectOffset[s + 1];
    if (offsets.every((k) => w + k >= lo && w + k < hi && hasData(w + k))) out.push(w);
  }
  return Int32Array.from(out);
}

/** Purpose key of the shuffle stream (see Rng.from). */
const SHUFFLE = 0x5348_5546;

/** A permutation of 0..count-1 for one epoch, a pure function of (seed, epoch). */
export function epochOrder(count: number, seed: number, epoch: number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const rng = Rng.from(seed, SHUFFLE, epoch);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

export function stepsPerEpoch(examples: number, batch: number): number {
  return Math.floor(examples / batch);
}

/**
 * The `data:<source>.<field>` inputs of one step: batch `index` of the epoch whose order is given,
 * each example's window t + k for slot k, and for a view of it (`data:t:a.*`) the fields `augment`
 * makes of those; and `label:<input>`, each example's label, for every label stream (values by
 * example).
 */
export function batchInputs(
  encoder: WindowEncoder,
  modality: Modality,
  examples: Int32Array,
  order: Int32Array,
  index: number,
  batch: number,
  sources: readonly DataSource[],
  labels: ReadonlyMap<string, Float32Array> = new Map(),
  augment?: (fields: ReadonlyMap<BatchField, Float32Tensor>, source: Required<DataSource>) => Map<BatchField, Float32Tensor>,
): Map<string, Float32Tensor> {
  const base = new Int32Array(batch);
  for (let r = 0; r < batch; r++) base[r] = examples[order[index * batch + r]];
  const inputs = new Map<string, Float32Tensor>();
  for (const [input, values] of labels) {
    inputs.set(labelInputName(input), { shape: [batch], data: Float32Array.from({ length: batch }, (_, r) => values[order[index * batch + r]]) });
  }
  const encoded = new Map<number, Map<BatchField, Float32Tensor>>();
  for (const source of sources.length === 0 ? [{ slot: 0 }] : sources) {
    const k = source.slot;
    if (!encoded.has(k)) encoded.set(k, encoder.encode(modality, base.map((w) => w + k)));
    const plain = encoded.get(k)!;
    if (source.view !== undefined && augment === undefined) throw new Error(`batchInputs: view ${source.view} of slot ${k} needs an augment function`);
    const fields = source.view === undefined ? plain : augment!(plain, { slot: k, view: source.view });
    for (const [field, tensor] of fields) inputs.set(`data:${sourceName(source)}.${field}`, tensor);
  }
  return inputs;
}
