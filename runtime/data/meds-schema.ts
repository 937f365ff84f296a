/**
 * The tables dflc reads, as column specifications: MEDS data shards, `metadata/codes`,
 * `metadata/subject_splits`, MEDS label files, and note tables. Every reader (parquet, CSV, JSONL)
 * checks a file against these and turns its columns into the same normalised batch
 * (see table-batch.ts), so the rules below hold whatever the file format.
 *
 * MEDS reference: https://github.com/Medical-Event-Data-Standard/meds (schema 0.3/0.4).
 */

/**
 * What a column holds, independent of the file format:
 * - `integer`: int64 or int32 in parquet, a decimal integer in text; must fit in a float64 exactly.
 * - `timestamp`: parquet TIMESTAMP (any unit) or INT96; ISO 8601 text in CSV/JSONL. Read as
 *   microseconds (see time.ts).
 * - `float`: parquet FLOAT or DOUBLE; a decimal number in text. NaN and infinities are rejected:
 *   a missing value is written as null (an empty CSV field), unless the spec has `nanAsNull`.
 * - `string`: parquet BYTE_ARRAY (UTF-8); text.
 * - `boolean`: parquet BOOLEAN; true/false/1/0 in text.
 * - `string-list`: a parquet list of strings; a JSON array in text.
 */
export type ColumnKind = 'integer' | 'timestamp' | 'float' | 'string' | 'boolean' | 'string-list';

export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
  /** The file must have this column. */
  readonly required: boolean;
  /** Null values are allowed. */
  readonly nullable: boolean;
  /**
   * For a nullable `float`: NaN (as pandas writes a missing float) is read as null instead of being
   * an error, and counted in the batch's `nanAsNull`.
   */
  readonly nanAsNull?: boolean;
}

const column = (name: string, kind: ColumnKind, required: boolean, nullable: boolean): ColumnSpec => ({
  name,
  kind,
  required,
  nullable,
});

/** `data/**` shards: one row per measurement. `time` is null for static facts (e.g. sex). */
export const MEDS_DATA_COLUMNS: readonly ColumnSpec[] = [
  column('subject_id', 'integer', true, false),
  column('time', 'timestamp', true, true),
  column('code', 'string', true, false),
  column('numeric_value', 'float', true, true),
  column('text_value', 'string', false, true),
];

/** `metadata/codes.parquet`: one row per code. */
export const MEDS_CODES_COLUMNS: readonly ColumnSpec[] = [
  column('code', 'string', true, false),
  column('description', 'string', false, true),
  column('parent_codes', 'string-list', false, true),
];

/** `metadata/subject_splits.parquet`. */
export const MEDS_SPLITS_COLUMNS: readonly ColumnSpec[] = [
  column('subject_id', 'integer', true, false),
  column('split', 'string', true, false),
];

/** MEDS label files (`labels/<task>.parquet`), binary tasks: `boolean_value` null = unknown. */
export const MEDS_LABEL_COLUMNS: readonly ColumnSpec[] = [
  column('subject_id', 'integer', true, false),
  column('prediction_time', 'timestamp', true, false),
  column('boolean_value', 'boolean', true, true),
];

/** Note tables (`notes/*.jsonl`, `.csv` or `.parquet`). */
export const NOTE_COLUMNS: readonly ColumnSpec[] = [
  column('subject_id', 'integer', true, false),
  column('time', 'timestamp', true, true),
  column('text', 'string', true, false),
];

/** MEDS split names, in the order of their numeric codes in `SubjectTable.split`. */
export const SPLITS = ['train', 'tuning', 'held_out'] as const;
export type Split = (typeof SPLITS)[number];
/** `SubjectTable.split` value of a subject that no split file names. */
export const NO_SPLIT = 255;

/** MEDS_DATA_COLUMNS, with `numeric_value` reading NaN as null when `nanAsMissing` (`--nan-as-missing`). */
export function medsDataColumns(nanAsMissing: boolean): readonly ColumnSpec[] {
  return nanAsMissing ? MEDS_DATA_COLUMNS.map((spec) => (spec.name === 'numeric_value' ? { ...spec, nanAsNull: true } : spec)) : MEDS_DATA_COLUMNS;
}

/** The reason a float is not a valid value, or undefined when it is (NaN and infinities are not). */
export function invalidFloatReason(value: number): string | undefined {
  if (Number.isNaN(value)) {
    return 'NaN is not a valid numeric value (write null, an empty field in CSV, for a missing value; or pass --nan-as-missing, "nan-as-missing": true in dflc.json, to read NaN as missing)';
  }
  if (!Number.isFinite(value)) return `${value} is not a valid numeric value (values must be finite)`;
  return undefined;
}

/** The reason an integer id is not usable, or undefined. */
export function invalidIntegerReason(value: number): string | undefined {
  if (!Number.isSafeInteger(value)) {
    return `${value} is not an integer dflc can hold exactly (ids must be integers of magnitude below 2^53)`;
  }
  return undefined;
}
