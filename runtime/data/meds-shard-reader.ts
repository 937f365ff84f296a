import type { VocabularyBuilder } from './code-vocabulary.ts';
import { DataError } from './data-error.ts';
import { Growable } from './growable.ts';
import { medsDataColumns } from './meds-schema.ts';
import { parquetRowCount } from './parquet-table.ts';
import { numbers, strings } from './table-batch.ts';
import { readTable } from './table-reader.ts';
import { formatIsoMicros } from './time.ts';

/**
 * One MEDS data file read and checked: its subjects and their events, in the flat layout of
 * cohort.ts with offsets local to the shard.
 */
export interface MedsShard {
  readonly file: string;
  readonly subjectIds: Float64Array;
  /** Length subjects + 1; subject k's events are `[eventOffset[k], eventOffset[k + 1])`. */
  readonly eventOffset: Int32Array;
  readonly time: Float64Array;
  /** Index into the vocabulary the shard was read with. */
  readonly code: Int32Array;
  readonly value: Float32Array;
  /** `text_value` of each event (null when none); absent when the file has no `text_value` column. */
  readonly text?: (string | null)[];
  /** `numeric_value` NaNs read as missing (ShardReadOptions.nanAsMissing); 0 without it. */
  readonly nanAsMissing: number;
}

export interface ShardReadOptions {
  /**
   * When a subject's events are out of time order (or a null-time row follows a timed one), sort the
   * subject's events (null times first, stable) and warn, instead of failing. Default false: MEDS
   * requires sorted shards, and an unsorted one often means a broken export.
   */
  readonly sortUnsortedTimes?: boolean;
  /**
   * Read a NaN `numeric_value` (as pandas writes a missing float) as missing, counting them, instead
   * of failing. Default false: a NaN often means a broken export, and would poison the lab features.
   */
  readonly nanAsMissing?: boolean;
  readonly onWarning?: (message: string) => void;
}

/**
 * Reads one data file (parquet or CSV) batch by batch. Checks, each failing with a DataError that
 * names file, column and row: the MEDS columns and their types, no null subject_id or code, finite
 * numeric values, each subject's rows together, each subject in one file only (`seen` maps subject
 * ids to the file that had them, across calls), and times sorted within a subject, null times first.
 */
export async function readMedsShard(
  file: string,
  vocabulary: VocabularyBuilder,
  seen: Map<number, string>,
  options: ShardReadOptions = {},
): Promise<MedsShard> {
  // Plain typed arrays written by index in the hot loop (a generic growable class would make the
  // element stores polymorphic, several times slower); sized from the parquet footer when there is one.
  let capacity = Math.max(1, (await parquetRowCount(file)) ?? 1 << 16);
  let time = new Float64Array(capacity);
  let code = new Int32Array(capacity);
  let value = new Float32Array(capacity);
  let rows = 0;
  const subjectIds = new Growable(Float64Array, 256);
  const offsets = new Growable(Int32Array, 256);
  let text: (string | null)[] | undefined;

  let currentId = NaN;
  let subjectStart = 0;
  let lastTime = NaN; // NaN: the subject has had no timed row yet
  let unsorted = false;
  let unsortedSubjects = 0;
  let firstUnsorted = '';
  let nanAsMissing = 0;

  const finishSubject = (): void => {
    if (Number.isNaN(currentId)) return;
    if (unsorted) {
      sortSegment(subjectStart, rows, time, code, value, text);
      unsorted = false;
    }
  };

  for await (const batch of readTable(file, medsDataColumns(options.nanAsMissing === true))) {
    nanAsMissing += batch.nanAsNull;
    if (rows + batch.length > capacity) {
      capacity = Math.max(capacity * 2, rows + batch.length);
      time = grow(time, new Float64Array(capacity));
      code = grow(code, new Int32Array(capacity));
      value = grow(value, new Float32Array(capacity));
    }
    const ids = numbers(batch, 'subject_id');
    const times = numbers(batch, 'time');
    const codes = strings(batch, 'code');
    const values = numbers(batch, 'numeric_value');
    const texts = batch.columns.has('text_value') ? strings(batch, 'text_value') : undefined;
    if (texts !== undefined && text === undefined) text = new Array<string | null>(rows).fill(null);
    let lastCode: string | null = null;
    let lastIndex = -1;
    for (let i = 0; i < batch.length; i++) {
      const id = ids[i];
      const t = times[i];
      if (id !== currentId) {
        finishSubject();
        const before = seen.get(id);
        if (before !== undefined) {
          const where =
            before === file
              ? "earlier in this file, with other subjects in between (a subject's rows must be together)"
              : `in ${before} too (a subject's rows must all be in one data file)`;
          throw new DataError(file, `subject ${id} also appears ${where}`, 'subject_id', batch.rowStart + i, batch.lines?.[i]);
        }
        seen.set(id, file);
        currentId = id;
        subjectStart = rows;
        subjectIds.push(id);
        offsets.push(subjectStart);
        lastTime = NaN;
      } else if (Number.isNaN(t) ? !Number.isNaN(lastTime) : t < lastTime) {
        const problem = Number.isNaN(t)
          ? `a null time (a static fact) after timed events of subject ${id} (MEDS puts a subject's null-time rows first)`
          : `time ${formatIsoMicros(t)} is before the previous event's ${formatIsoMicros(lastTime)} for subject ${id} (MEDS sorts each subject's events by time)`;
        if (options.sortUnsortedTimes !== true) {
          throw new DataError(file, `${problem}; pass sortUnsortedTimes to sort them on reading`, 'time', batch.rowStart + i, batch.lines?.[i]);
        }
        if (!unsorted) {
          if (unsortedSubjects === 0) firstUnsorted = `subject ${id}, row ${batch.rowStart + i}`;
          unsortedSubjects++;
          unsorted = true;
        }
      }
      if (!Number.isNaN(t) && !(t < lastTime)) lastTime = t;
      // Parquet dictionaries hand out the same string object for a repeated code: skip the lookup.
      const s = codes[i]!;
      if (s !== lastCode) {
        lastCode = s;
        lastIndex = vocabulary.index(s);
      }
      vocabulary.count(lastIndex);
      time[rows] = t;
      code[rows] = lastIndex;
      value[rows] = values[i];
      if (text !== undefined) text.push(texts?.[i] ?? null);
      rows++;
    }
  }
  finishSubject();
  offsets.push(rows);
  if (rows === 0) options.onWarning?.(`${file}: has no rows; skipped`);
  if (unsortedSubjects > 0) {
    options.onWarning?.(
      `${file}: events of ${unsortedSubjects} subject(s) were not in time order (first: ${firstUnsorted}); sorted them on reading`,
    );
  }
  // Views, not copies: readCohort copies them into its own arrays anyway.
  return {
    file,
    subjectIds: subjectIds.view(),
    eventOffset: offsets.view(),
    time: time.subarray(0, rows),
    code: code.subarray(0, rows),
    value: value.subarray(0, rows),
    ...(text !== undefined ? { text } : {}),
    nanAsMissing,
  };
}

function grow<T extends Float64Array | Int32Array | Float32Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}

/** Stable sort of events [start, end) by time, null (NaN) times first. */
function sortSegment(
  start: number,
  end: number,
  time: Float64Array,
  code: Int32Array,
  value: Float32Array,
  text: (string | null)[] | undefined,
): void {
  const order = Array.from({ length: end - start }, (_, k) => start + k);
  const key = (i: number): number => (Number.isNaN(time[i]) ? -Infinity : time[i]);
  order.sort((a, b) => key(a) - key(b) || a - b);
  const t = order.map((i) => time[i]);
  const c = order.map((i) => code[i]);
  const v = order.map((i) => value[i]);
  const x = text === undefined ? undefined : order.map((i) => text[i]);
  for (let k = 0; k < order.length; k++) {
    time[start + k] = t[k];
    code[start + k] = c[k];
    value[start + k] = v[k];
    if (x !== undefined) text![start + k] = x[k];
  }
}
