/**
 * The in-memory form of a clinical dataset, as the readers return it and the trainer consumes it.
 *
 * Everything is columnar and flat: the events of all subjects are in one set of typed arrays, and a
 * subject's events are the contiguous range `[subjects.eventOffset[s], subjects.eventOffset[s + 1])`
 * (a CSR layout). Slicing a subject, a window or a batch is a `subarray` away, and a 50,000-subject
 * cohort of ten million events takes about 160 MB.
 *
 * Conventions:
 * - times are microseconds since 1970-01-01T00:00:00 as float64 (see time.ts); NaN means null;
 * - within a subject, events are in time order with the null-time (static) events first, as MEDS
 *   prescribes; events with equal times keep their file order;
 * - subjects are in the order of the data files (sorted by path), then of their rows.
 */
import type { Split } from './meds-schema.ts';

export interface Cohort {
  /** The dataset folder, as given to the reader. */
  readonly root: string;
  /** `metadata/dataset.json`, or an empty object when the dataset has none. */
  readonly dataset: DatasetMetadata;
  readonly vocabulary: CodeVocabulary;
  readonly subjects: SubjectTable;
  readonly events: EventTable;
  readonly notes: NoteTable;
  /** Repairs and oddities the reader accepted (also passed to `onWarning` as they happen). */
  readonly warnings: readonly string[];
  /** `numeric_value` NaNs read as missing (ReadOptions.nanAsMissing, `--nan-as-missing`); 0 without it. */
  readonly nanAsMissing: number;
}

export interface SubjectTable {
  readonly count: number;
  /** MEDS `subject_id` (int64 in the files; exact as a float64 below 2^53, which the reader checks). */
  readonly id: Float64Array;
  /** Index into SPLITS (0 train, 1 tuning, 2 held_out), or NO_SPLIT (255) when no split file names the subject. */
  readonly split: Uint8Array;
  /** Length count + 1: subject s's events are `[eventOffset[s], eventOffset[s + 1])` in `Cohort.events`. */
  readonly eventOffset: Int32Array;
  /** Length count + 1: subject s's notes are `[noteOffset[s], noteOffset[s + 1])` in `Cohort.notes`. */
  readonly noteOffset: Int32Array;
  /** Subject index of a subject id. */
  readonly indexOf: ReadonlyMap<number, number>;
}

export interface EventTable {
  readonly count: number;
  /** Microseconds; NaN for static (null-time) events, which come first within their subject. */
  readonly time: Float64Array;
  /** Index into `Cohort.vocabulary.codes`. */
  readonly code: Int32Array;
  /** MEDS `numeric_value` as float32 (its MEDS type); NaN where the event has none. */
  readonly value: Float32Array;
}

export interface NoteTable {
  readonly count: number;
  /** Microseconds; NaN when the note has no time. Sorted within each subject, null times first. */
  readonly time: Float64Array;
  readonly text: readonly string[];
}

export interface CodeVocabulary {
  /**
   * The code strings; an event's `code` indexes this array. Order: the codes of
   * `metadata/codes` in file order, then codes seen only in the data in order of first appearance.
   * The order therefore depends on the dataset: map codes by string when moving a model between
   * datasets.
   */
  readonly codes: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** From `metadata/codes` (null when not given). */
  readonly descriptions: readonly (string | null)[];
  /** From `metadata/codes` (empty when not given). */
  readonly parents: readonly (readonly string[])[];
  /** How many events carry each code (0 for codes that appear only in `metadata/codes`). */
  readonly counts: Int32Array;
}

/** `metadata/dataset.json` (MEDS DatasetMetadata); every field is optional, unknown ones are kept. */
export interface DatasetMetadata {
  readonly dataset_name?: string;
  readonly dataset_version?: string;
  readonly etl_name?: string;
  readonly etl_version?: string;
  readonly meds_version?: string;
  readonly created_at?: string;
  readonly [key: string]: unknown;
}

/** The split name of subject s, or undefined when it has none. */
export function splitName(split: number): Split | undefined {
  return (['train', 'tuning', 'held_out'] as const)[split];
}

/** The index range of a subject's events. */
export function subjectEventRange(cohort: Cohort, subject: number): [start: number, end: number] {
  return [cohort.subjects.eventOffset[subject], cohort.subjects.eventOffset[subject + 1]];
}
