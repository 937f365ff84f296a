import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ColumnSource, SchemaElement } from 'hyparquet-writer';
import { csvField } from './csv-parser.ts';
import type { ColumnSpec } from './meds-schema.ts';
import type { ColumnData } from './table-batch.ts';
import { formatIsoMicros } from './time.ts';

/**
 * Writing tables in the normalised form the readers return (table-batch.ts: numbers with NaN for
 * null, strings or null, Int8Array booleans with -1 for null, string lists), as parquet, CSV or
 * JSONL by file extension. Reading a written table gives back the same columns, which the tests
 * check. Parquet columns get MEDS's physical types: int64, timestamp[us] (TIMESTAMP(MICROS),
 * not adjusted to UTC, as pyarrow writes `timestamp[us]`), float32, string, bool, list<string>.
 */
export type TableColumns = ReadonlyMap<string, ColumnData>;

export function encodeTable(format: 'parquet' | 'csv' | 'jsonl', specs: readonly ColumnSpec[], columns: TableColumns): Uint8Array {
  const present = specs.filter((s) => columns.has(s.name));
  if (format === 'parquet') return encodeParquet(present, columns);
  const text = format === 'csv' ? encodeCsv(present, columns) : encodeJsonl(present, columns);
  return new TextEncoder().encode(text);
}

/** Writes a table to `file` (format by extension). Not atomic: callers write into a fresh folder. */
export async function writeTable(file: string, specs: readonly ColumnSpec[], columns: TableColumns): Promise<void> {
  const ext = extname(file).toLowerCase().slice(1);
  if (ext !== 'parquet' && ext !== 'csv' && ext !== 'jsonl') throw new Error(`cannot write table format '${ext}'`);
  await writeFile(file, encodeTable(ext, specs, columns));
}

function rowCount(columns: TableColumns): number {
  for (const values of columns.values()) return values.length;
  return 0;
}

function encodeParquet(specs: readonly ColumnSpec[], columns: TableColumns): Uint8Array {
  const schema: SchemaElement[] = [{ name: 'root', num_children: specs.length }];
  const columnData: ColumnSource[] = [];
  for (const spec of specs) {
    const values = columns.get(spec.name)!;
    const repetition_type = spec.nullable ? 'OPTIONAL' : 'REQUIRED';
    const n = values.length;
    switch (spec.kind) {
      case 'integer': {
        schema.push({ name: spec.name, type: 'INT64', repetition_type });
        const nums = values as Float64Array;
        const data = spec.nullable ? Array.from(nums, (v) => (Number.isNaN(v) ? null : BigInt(v))) : BigInt64Array.from(nums, (v) => BigInt(v));
        columnData.push({ name: spec.name, data });
        break;
      }
      case 'timestamp': {
        schema.push({
          name: spec.name,
          type: 'INT64',
          repetition_type,
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' },
        });
        const nums = values as Float64Array;
        columnData.push({ name: spec.name, data: Array.from(nums, (v) => (Number.isNaN(v) ? null : BigInt(v))) });
        break;
      }
      case 'float': {
        schema.push({ name: spec.name, type: 'FLOAT', repetition_type });
        const nums = values as Float64Array;
        columnData.push({ name: spec.name, data: spec.nullable ? Array.from(nums, (v) => (Number.isNaN(v) ? null : v)) : Float32Array.from(nums) });
        break;
      }
      case 'string':
        schema.push({ name: spec.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type });
        columnData.push({ name: spec.name, data: values as (string | null)[] });
        break;
      case 'boolean': {
        schema.push({ name: spec.name, type: 'BOOLEAN', repetition_type });
        const flags = values as Int8Array;
        columnData.push({ name: spec.name, data: Array.from(flags, (v) => (v < 0 ? null : v === 1)) });
        break;
      }
      case 'string-list':
        schema.push(
          { name: spec.name, repetition_type, converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 },
          { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
          { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type: 'OPTIONAL' },
        );
        columnData.push({ name: spec.name, data: values as (string[] | null)[] });
        break;
    }
    if (columnData[columnData.length - 1].data.length !== n) throw new Error('internal: column length changed');
  }
  return new Uint8Array(parquetWriteBuffer({ columnData, schema, rowGroupSize: 100_000, createdBy: 'dflc' }));
}

function textValue(spec: ColumnSpec, values: ColumnData, i: number): string | number | boolean | string[] | null {
  switch (spec.kind) {
    case 'integer':
    case 'float': {
      const v = (values as Float64Array)[i];
      return Number.isNaN(v) ? null : v;
    }
    case 'timestamp': {
      const v = (values as Float64Array)[i];
      return Number.isNaN(v) ? null : formatIsoMicros(v);
    }
    case 'string':
      return (values as (string | null)[])[i];
    case 'boolean': {
      const v = (values as Int8Array)[i];
      return v < 0 ? null : v === 1;
    }
    case 'string-list':
      return (values as (string[] | null)[])[i];
  }
}

function encodeCsv(specs: readonly ColumnSpec[], columns: TableColumns): string {
  const n = rowCount(columns);
  const lines = [specs.map((s) => csvField(s.name)).join(',')];
  const cols = specs.map((s) => columns.get(s.name)!);
  for (let i = 0; i < n; i++) {
    const fields = specs.map((spec, c) => {
      const v = textValue(spec, cols[c], i);
      if (v === null) return '';
      if (Array.isArray(v)) return csvField(JSON.stringify(v));
      return typeof v === 'string' ? csvField(v) : String(v);
    });
    lines.push(fields.join(','));
  }
  return lines.join('\n') + '\n';
}

function encodeJsonl(specs: readonly ColumnSpec[], columns: TableColumns): string {
  const n = rowCount(columns);
  const cols = specs.map((s) => columns.get(s.name)!);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const record: Record<string, unknown> = {};
    specs.forEach((spec, c) => (record[spec.name] = textValue(spec, cols[c], i)));
    lines.push(JSON.stringify(record));
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}
