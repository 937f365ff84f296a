import type { Cohort } from '../../data/cohort.ts';

/**
 * Lab features: the codes that most often carry a numeric value among the training subjects (labs,
 * vitals), each one input of the encoder. A value is normalised by its code's mean and standard
 * deviation over the training events, and clipped to +-CLIP so that one wild measurement cannot
 * dominate a batch; a window's feature is the mean normalised value of its events of that code,
 * 0 (the training mean) when it has none.
 */
export interface LabFeatures {
  readonly codes: readonly string[];
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

export const LAB_CLIP = 5;

export function fitLabFeatures(cohort: Cohort, train: Uint8Array, maxFeatures: number): LabFeatures {
  const k = cohort.vocabulary.codes.length;
  const count = new Float64Array(k);
  const sum = new Float64Array(k);
  const { eventOffset } = cohort.subjects;
  const { code, value } = cohort.events;
  for (let s = 0; s < cohort.subjects.count; s++) {
    if (train[s] !== 1) continue;
    for (let e = eventOffset[s]; e < eventOffset[s + 1]; e++) {
      const v = value[e];
      if (Number.isNaN(v)) continue;
      count[code[e]]++;
      sum[code[e]] += v;
    }
  }
  const codes = cohort.vocabulary.codes;
  const chosen: number[] = [];
  for (let c = 0; c < k; c++) if (count[c] > 0) chosen.push(c);
  chosen.sort((a, b) => count[b] - count[a] || (codes[a] < codes[b] ? -1 : codes[a] > codes[b] ? 1 : 0));
  chosen.length = Math.min(chosen.length, Math.max(0, maxFeatures));
  const mean = chosen.map((c) => sum[c] / count[c]);
  // Second pass for the variance (two-pass is exact enough in float64 and never negative).
  const slot = new Int32Array(k).fill(-1);
  chosen.forEach((c, i) => (slot[c] = i));
  const squares = new Float64Array(chosen.length);
  for (let s = 0; s < cohort.subjects.count; s++) {
    if (train[s] !== 1) continue;
    for (let e = eventOffset[s]; e < eventOffset[s + 1]; e++) {
      const i = slot[code[e]];
      if (i < 0 || Number.isNaN(value[e])) continue;
      const d = value[e] - mean[i];
      squares[i] += d * d;
    }
  }
  const std = chosen.map((c, i) => {
    const sd = Math.sqrt(squares[i] / count[c]);
    return sd > 1e-12 ? sd : 1;
  });
  return { codes: chosen.map((c) => codes[c]), mean, std };
}

/** For each code of `codes` (a cohort's vocabulary): its lab feature index, or -1. */
export function labSlotsOf(labs: LabFeatures, codes: readonly string[]): Int32Array {
  const index = new Map(labs.codes.map((code, i) => [code, i]));
  return Int32Array.from(codes, (code) => index.get(code) ?? -1);
}

/** A raw value of lab feature i, normalised and clipped. */
export function normaliseLab(labs: LabFeatures, i: number, value: number): number {
  const z = (value - labs.mean[i]) / labs.std[i];
  return z > LAB_CLIP ? LAB_CLIP : z < -LAB_CLIP ? -LAB_CLIP : z;
}
