import type { Cohort } from '../data/cohort.ts';
import { Growable } from '../data/growable.ts';
import { Rng } from '../data/prng.ts';
import type { Perturbation } from './eval-result.ts';

/** The perturbations that apply to a modality: codes for ehr, notes for text, both and each modality missing for multimodal. */
export function perturbationsFor(modality: 'ehr' | 'text' | 'multimodal'): Perturbation[] {
  if (modality === 'ehr') return ['codes_10', 'codes_30'];
  if (modality === 'text') return ['notes_dropped'];
  return ['codes_10', 'codes_30', 'notes_dropped', 'modality_missing_E', 'modality_missing_T'];
}

/** Share of note words `notes_dropped` removes. */
export const NOTE_WORD_DROP = 0.3;

/**
 * A copy of the cohort with the data of the subjects in `subjects` (a mask) damaged, to re-encode
 * their windows and see how much a probe depends on every detail:
 * - `codes_10`, `codes_30`: each timed event dropped independently with probability 0.1 / 0.3
 *   (static facts, such as sex, are kept);
 * - `notes_dropped`: each word of each note dropped independently with probability 0.3;
 * - `modality_missing_E`: every event removed, static ones included (no EHR at all);
 * - `modality_missing_T`: every note removed.
 * Draws come from one stream seeded by (seed, perturbation), in cohort order: the same seed gives
 * the same damage.
 */
export function perturbCohort(cohort: Cohort, perturbation: Perturbation, subjects: Uint8Array, seed: number): Cohort {
  const rng = Rng.from(seed, 0xda3a, PERTURBATION_KEYS[perturbation]);
  switch (perturbation) {
    case 'codes_10':
    case 'codes_30': {
      const p = perturbation === 'codes_10' ? 0.1 : 0.3;
      return keepEvents(cohort, subjects, (e) => Number.isNaN(cohort.events.time[e]) || !rng.bernoulli(p));
    }
    case 'modality_missing_E':
      return keepEvents(cohort, subjects, () => false);
    case 'notes_dropped':
      return mapNotes(cohort, subjects, (text) => text.split(/\s+/).filter((word) => word !== '' && !rng.bernoulli(NOTE_WORD_DROP)).join(' '));
    case 'modality_missing_T':
      return mapNotes(cohort, subjects, () => undefined);
  }
}

const PERTURBATION_KEYS: Record<Perturbation, number> = { codes_10: 1, codes_30: 2, notes_dropped: 3, modality_missing_E: 4, modality_missing_T: 5 };

/** The cohort with, for masked subjects, only the events `keep` accepts. */
function keepEvents(cohort: Cohort, subjects: Uint8Array, keep: (e: number) => boolean): Cohort {
  const { events } = cohort;
  const kept = new Growable(Int32Array);
  const eventOffset = new Int32Array(cohort.subjects.count + 1);
  for (let s = 0; s < cohort.subjects.count; s++) {
    for (let e = cohort.subjects.eventOffset[s]; e < cohort.subjects.eventOffset[s + 1]; e++) if (subjects[s] === 0 || keep(e)) kept.push(e);
    eventOffset[s + 1] = kept.length;
  }
  const index = kept.finish();
  return {
    ...cohort,
    subjects: { ...cohort.subjects, eventOffset },
    events: {
      count: index.length,
      time: Float64Array.from(index, (e) => events.time[e]),
      code: Int32Array.from(index, (e) => events.code[e]),
      value: Float32Array.from(index, (e) => events.value[e]),
    },
  };
}

/** The cohort with masked subjects' notes rewritten by `rewrite` (undefined removes the note). */
function mapNotes(cohort: Cohort, subjects: Uint8Array, rewrite: (text: string) => string | undefined): Cohort {
  const { notes } = cohort;
  const time: number[] = [];
  const text: string[] = [];
  const noteOffset = new Int32Array(cohort.subjects.count + 1);
  for (let s = 0; s < cohort.subjects.count; s++) {
    for (let k = cohort.subjects.noteOffset[s]; k < cohort.subjects.noteOffset[s + 1]; k++) {
      const next = subjects[s] === 0 ? notes.text[k] : rewrite(notes.text[k]);
      if (next === undefined) continue;
      time.push(notes.time[k]);
      text.push(next);
    }
    noteOffset[s + 1] = text.length;
  }
  return { ...cohort, subjects: { ...cohort.subjects, noteOffset }, notes: { count: text.length, time: Float64Array.from(time), text } };
}
