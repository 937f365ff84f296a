import type { ColumnKind, ColumnSpec } from './meds-schema.ts';

/**
 * A run of rows of one table file, with each column already checked against its ColumnSpec and
 * normalised, whatever the file format:
 * - integer, timestamp and float columns are Float64Array, NaN where the value is null;
 * - string columns are arrays of string or null;
 * - boolean columns are Int8Array: 1 true, 0 false, -1 null;
 * - string-list columns are arrays of string[] or null.
 * A column the file does not have (allowed only for optional specs) is absent from `columns`.
 */
export interface TableBatch {
  readonly file: string;
  /** 0-based row of the first row of the batch within its file. */
  readonly rowStart: number;
  readonly length: number;
  /** For text files: the 1-based line of each row, for error messages. */
  readonly lines?: Int32Array;
  readonly columns: ReadonlyMap<string, ColumnData>;
  /** NaN values read as null in columns whose spec has `nanAsNull`. */
  readonly nanAsNull: number;
}

/** What a text-value conversion returns for a NaN that its spec reads as null (see ColumnSpec.nanAsNull). */
export const NAN_AS_NULL: unique symbol = Symbol('NaN read as null');

export type ColumnData = Float64Array | Int8Array | (string | null)[] | (string[] | null)[];

/** Number-valued column (integer, timestamp, float); throws if the batch lacks it. */
export function numbers(batch: TableBatch, name: string): Float64Array {
  return batch.columns.get(name) as Float64Array;
}

export function strings(batch: TableBatch, name: string): (string | null)[] {
  return batch.columns.get(name) as (string | null)[];
}

export function booleans(batch: TableBatch, name: string): Int8Array {
  return batch.columns.get(name) as Int8Array;
}

export function stringLists(batch: TableBatch, name: string): (string[] | null)[] {
  return batch.columns.get(name) as (string[] | null)[];
}

/** Whether a normalised column of this kind is held as numbers. */
export function isNumberKind(kind: ColumnKind): boolean {
  return kind === 'integer' || kind === 'timestamp' || kind === 'float';
}

/** Builds a batch row by row (the text readers use it). */
export class TableBatchBuilder {
  private readonly numeric = new Map<string, number[]>();
  private readonly other = new Map<string, unknown[]>();
  private readonly lineList: number[] = [];
  private rows = 0;
  private nans = 0;

  constructor(
    readonly file: string,
    private readonly present: readonly ColumnSpec[],
    private rowStart: number,
  ) {
    for (const spec of present) {
      if (isNumberKind(spec.kind) || spec.kind === 'boolean') this.numeric.set(spec.name, []);
      else this.other.set(spec.name, []);
    }
  }

  get length(): number {
    return this.rows;
  }

  /** Appends one row; `values` are in the order of the present specs, already converted (NAN_AS_NULL counted as a null). */
  addRow(values: readonly unknown[], line: number): void {
    for (let i = 0; i < this.present.length; i++) {
      const spec = this.present[i];
      const list = this.numeric.get(spec.name) ?? this.other.get(spec.name);
      if (values[i] === NAN_AS_NULL) {
        this.nans++;
        list!.push(NaN);
      } else list!.push(values[i]);
    }
    this.lineList.push(line);
    this.rows++;
  }

  /** The rows so far as a batch; the builder starts over after them. */
  take(): TableBatch {
    const columns = new Map<string, ColumnData>();
    for (const spec of this.present) {
      if (spec.kind === 'boolean') columns.set(spec.name, Int8Array.from(this.numeric.get(spec.name)!));
      else if (isNumberKind(spec.kind)) columns.set(spec.name, Float64Array.from(this.numeric.get(spec.name)!));
      else columns.set(spec.name, this.other.get(spec.name) as ColumnData);
    }
    const batch: TableBatch = {
      file: this.file,
      rowStart: this.rowStart,
      length: this.rows,
      lines: Int32Array.from(this.lineList),
      columns,
      nanAsNull: this.nans,
    };
    this.rowStart += this.rows;
    this.rows = 0;
    this.nans = 0;
    this.lineList.length = 0;
    for (const list of this.numeric.values()) list.length = 0;
    for (const key of this.other.keys()) this.other.set(key, []);
    return batch;
  }
}
