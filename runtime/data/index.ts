/**
 * The data layer's public API, for the trainer and the CLI: read a MEDS dataset (events, notes,
 * labels), cut it into time windows, write or generate cohorts. See cohort.ts for the in-memory
 * layout and windows.ts for what `Z_t` / `Z_t+1` refer to.
 */
export type { Cohort, CodeVocabulary, DatasetMetadata, EventTable, NoteTable, SubjectTable } from './cohort.ts';
export { splitName, subjectEventRange } from './cohort.ts';
export { DataError } from './data-error.ts';
export { readCohort, readMedsShards, listDataFiles, type ReadOptions } from './meds-reader.ts';
export type { MedsShard, ShardReadOptions } from './meds-shard-reader.ts';
export { readLabels, readLabelTask, type LabelTask } from './labels-reader.ts';
export { buildWindows, labelWindows, windowPairs, DEFAULT_WINDOW_DAYS, type Windows, type WindowOptions, type PairRequirement } from './windows.ts';
export { SPLITS, NO_SPLIT, type Split, type ColumnSpec, type ColumnKind } from './meds-schema.ts';
export { readTable } from './table-reader.ts';
export { encodeTable, writeTable } from './table-writer.ts';
export { createProgress, type Progress, type ProgressOptions } from './progress.ts';
export { Rng } from './prng.ts';
export { MICROS_PER_DAY, MICROS_PER_SECOND, formatIsoMicros, parseIsoMicros } from './time.ts';
export { writeSyntheticCohort, type SynthOptions, type SynthSummary } from './synth/write-cohort.ts';
export { LATENT_DIMENSIONS, LATENT_SIZE } from './synth/latent-model.ts';
export { OUTCOME_TASKS, deriveOutcome, taskDirections } from './synth/outcomes.ts';
