import type { Float32Tensor } from '../../executors/executor.ts';
import type { Cohort } from '../../data/cohort.ts';
import { MICROS_PER_DAY } from '../../data/time.ts';
import type { Windows } from '../../data/windows.ts';
import { fieldsOf, type BatchField, type Modality } from '../../model/train-spec.ts';
import { codeRowsOf } from './code-table.ts';
import { featurizerSizes, type Featurizer } from './featurizer.ts';
import { labSlotsOf, normaliseLab } from './lab-features.ts';
import { hashTokens } from './text-tokens.ts';

/**
 * Turns rows (a subject's window) into the batch fields of the training contract (runtime/model/train-spec.ts),
 * with a fitted Featurizer:
 * - codes: the window's events plus the subject's static events (sex, birth: context for every
 *   window), each weighing exp(-(window end - time) / tau), static events as if at the window's
 *   start; repeated table rows are merged and the weights normalised to sum 1 per row;
 * - labs: per lab feature, the mean normalised value of the window's events of that code, else 0;
 * - tokens: the hashed tokens of the window's notes, counts normalised to sum 1 per row.
 * A row with no events (or no notes) has no entries in that list.
 */
export class WindowEncoder {
  private readonly codeRow: Int32Array;
  private readonly labSlot: Int32Array;
  private readonly labCount: number;
  private readonly tauUs: number;
  private readonly staticDecay: number;
  private readonly noteTokens = new Map<number, { ids: Int32Array; counts: Float64Array }>();

  constructor(
    readonly featurizer: Featurizer,
    readonly cohort: Cohort,
    readonly windows: Windows,
  ) {
    this.codeRow = codeRowsOf(featurizer.codes, cohort.vocabulary.codes);
    this.labSlot = labSlotsOf(featurizer.labs, cohort.vocabulary.codes);
    this.labCount = featurizerSizes(featurizer).labFeatures;
    this.tauUs = featurizer.tauDays * MICROS_PER_DAY;
    this.staticDecay = Math.exp(-windows.widthUs / this.tauUs);
  }

  /**
   * The batch fields of `modality` for rows `windowIds` (indices into the windows; -1 for a
   * subject with no window, given in `subjectIds`, which then has only its static events).
   */
  encode(modality: Modality, windowIds: ArrayLike<number>, subjectIds?: ArrayLike<number>): Map<BatchField, Float32Tensor> {
    const fields = new Set(fieldsOf(modality));
    const n = windowIds.length;
    const subjectOf = (r: number): number => (windowIds[r] >= 0 ? this.windows.subject[windowIds[r]] : subjectIds![r]);
    const out = new Map<BatchField, Float32Tensor>();
    if (fields.has('code_ids')) {
      const ids: number[] = [];
      const weights: number[] = [];
      const rows: number[] = [];
      const labs = new Float32Array(n * this.labCount);
      for (let r = 0; r < n; r++) {
        const entries = this.codes(subjectOf(r), windowIds[r]);
        for (let i = 0; i < entries.ids.length; i++) {
          ids.push(entries.ids[i]);
          weights.push(entries.weights[i]);
          rows.push(r);
        }
        if (windowIds[r] >= 0) this.labs(windowIds[r], labs, r * this.labCount);
      }
      out.set('code_ids', vector(ids));
      out.set('code_weights', vector(weights));
      out.set('code_rows', vector(rows));
      out.set('labs', { shape: [n, this.labCount], data: labs });
    }
    if (fields.has('tok_ids')) {
      const ids: number[] = [];
      const weights: number[] = [];
      const rows: number[] = [];
      for (let r = 0; r < n; r++) {
        if (windowIds[r] < 0) continue;
        const entries = this.tokens(windowIds[r]);
        for (let i = 0; i < entries.ids.length; i++) {
          ids.push(entries.ids[i]);
          weights.push(entries.weights[i]);
          rows.push(r);
        }
      }
      out.set('tok_ids', vector(ids));
      out.set('tok_weights', vector(weights));
      out.set('tok_rows', vector(rows));
    }
    return out;
  }

  /** Code table rows and normalised decay weights of one row (window -1: static events only). */
  codes(subject: number, window: number): { ids: Int32Array; weights: Float64Array } {
    const { events } = this.cohort;
    const tally = new Map<number, number>();
    const add = (row: number, weight: number): void => void tally.set(row, (tally.get(row) ?? 0) + weight);
    for (let e = this.cohort.subjects.eventOffset[subject]; e < this.windows.staticEventEnd[subject]; e++) {
      add(this.codeRow[events.code[e]], this.staticDecay);
    }
    if (window >= 0) {
      const end = this.windows.end[window];
      for (let e = this.windows.eventStart[window]; e < this.windows.eventEnd[window]; e++) {
        add(this.codeRow[events.code[e]], Math.exp(-(end - events.time[e]) / this.tauUs));
      }
    }
    return normalised(tally);
  }

  /** Writes window w's lab features into out[offset .. offset + labFeatures). */
  labs(window: number, out: Float32Array, offset: number): void {
    const { events } = this.cohort;
    const sum = new Float64Array(this.labCount);
    const count = new Float64Array(this.labCount);
    for (let e = this.windows.eventStart[window]; e < this.windows.eventEnd[window]; e++) {
      const slot = this.labSlot[events.code[e]];
      const v = events.value[e];
      if (slot < 0 || Number.isNaN(v)) continue;
      sum[slot] += normaliseLab(this.featurizer.labs, slot, v);
      count[slot]++;
    }
    for (let i = 0; i < this.labCount; i++) out[offset + i] = count[i] > 0 ? sum[i] / count[i] : 0;
  }

  /** Token table rows and normalised counts of window w's notes. */
  tokens(window: number): { ids: Int32Array; weights: Float64Array } {
    const tally = new Map<number, number>();
    for (let k = this.windows.noteStart[window]; k < this.windows.noteEnd[window]; k++) {
      let hashed = this.noteTokens.get(k);
      if (hashed === undefined) {
        hashed = hashTokens(this.cohort.notes.text[k], this.featurizer.textRows);
        this.noteTokens.set(k, hashed);
      }
      for (let i = 0; i < hashed.ids.length; i++) tally.set(hashed.ids[i], (tally.get(hashed.ids[i]) ?? 0) + hashed.counts[i]);
    }
    return normalised(tally);
  }
}

/** Entries sorted by row, weights divided by their sum (in float64). */
function normalised(tally: Map<number, number>): { ids: Int32Array; weights: Float64Array } {
  const ids = Int32Array.from(tally.keys()).sort();
  let total = 0;
  for (const id of ids) total += tally.get(id)!;
  return { ids, weights: Float64Array.from(ids, (id) => tally.get(id)! / total) };
}

function vector(values: readonly number[]): Float32Tensor {
  return { shape: [values.length], data: Float32Array.from(values) };
}
