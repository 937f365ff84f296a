import { readFile, stat } from 'node:fs/promises';
import { asyncBufferFromFile, parquetMetadataAsync, parquetScan, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, DecodedArray, FileMetaData, ParquetParsers, SchemaElement, SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { DataError } from './data-error.ts';
import { invalidFloatReason, invalidIntegerReason, type ColumnSpec } from './meds-schema.ts';
import type { ColumnData, TableBatch } from './table-batch.ts';

/**
 * Reads a parquet file with hyparquet, one row range (row group) at a time and only the columns the
 * specs name, so memory is bounded by a row group whatever the file size.
 */

/** Codecs hyparquet decodes itself, or through hyparquet-compressors (ZSTD is polars' default). */
const READABLE_CODECS = new Set(['UNCOMPRESSED', ...Object.keys(compressors)]);

/**
 * Timestamps as microsecond numbers. hyparquet's default turns them into Date, which keeps only
 * milliseconds: MEDS times are microseconds.
 */
const TIMESTAMP_PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (millis: bigint) => Number(millis) * 1000,
  timestampFromMicroseconds: (micros: bigint) => Number(micros),
  timestampFromNanoseconds: (nanos: bigint) => Number(nanos / 1000n),
};

/**
 * Files up to this size are read in one go (one system call instead of one stream per page, about
 * twice as fast); larger ones through hyparquet's ranged reads, so a huge shard is never held whole.
 */
const WHOLE_FILE_LIMIT = 256 * 1024 * 1024;

async function openParquet(file: string, size: number): Promise<AsyncBuffer> {
  if (size > WHOLE_FILE_LIMIT) return asyncBufferFromFile(file);
  const bytes = await readFile(file);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export async function* readParquetTable(file: string, specs: readonly ColumnSpec[]): AsyncGenerator<TableBatch> {
  const size = (await stat(file)).size;
  if (size === 0) throw new DataError(file, 'file is empty (0 bytes)');
  const buffer = await openParquet(file, size);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer, { parsers: TIMESTAMP_PARSERS });
  } catch (error) {
    throw new DataError(file, `not a readable parquet file (${messageOf(error)})`);
  }
  const schema = parquetSchema(metadata);
  const present = checkParquetSchema(file, schema, specs);
  checkCodecs(file, metadata, present);
  const rows = Number(metadata.num_rows);
  if (rows === 0 || present.length === 0) return;

  const scan = await parquetScan({
    file: buffer,
    metadata,
    columns: present.map((s) => s.name),
    parsers: TIMESTAMP_PARSERS,
    compressors,
  });
  for (const range of scan.ranges) {
    const columns = new Map<string, ColumnData>();
    const tally = { nanAsNull: 0 };
    for (const spec of present) {
      let raw: DecodedArray;
      try {
        raw = await scan.readColumn({ column: spec.name, rowStart: range.rowStart, rowEnd: range.rowEnd });
      } catch (error) {
        throw new DataError(file, `cannot decode rows ${range.rowStart}-${range.rowEnd - 1} (${messageOf(error)})`, spec.name);
      }
      columns.set(spec.name, normaliseColumn(file, spec, raw, range.rowStart, tally));
    }
    yield { file, rowStart: range.rowStart, length: range.rowEnd - range.rowStart, columns, nanAsNull: tally.nanAsNull };
  }
}

/**
 * The number of rows of a parquet file from its footer, or undefined for any other file or one that
 * cannot be read (the reader proper reports why). Used to size arrays before reading.
 */
export async function parquetRowCount(file: string): Promise<number | undefined> {
  if (!file.toLowerCase().endsWith('.parquet')) return undefined;
  try {
    return Number((await parquetMetadataAsync(await asyncBufferFromFile(file))).num_rows);
  } catch {
    return undefined;
  }
}

/** Checks presence and types of the spec's columns; returns the specs of the columns present. */
export function checkParquetSchema(file: string, schema: SchemaTree, specs: readonly ColumnSpec[]): ColumnSpec[] {
  const byName = new Map(schema.children.map((child) => [child.element.name, child]));
  const present: ColumnSpec[] = [];
  for (const spec of specs) {
    const node = byName.get(spec.name);
    if (node === undefined) {
      if (spec.required) {
        const names = schema.children.map((c) => c.element.name).join(', ');
        throw new DataError(file, `required column is missing (the file has: ${names || 'no columns'})`, spec.name);
      }
      continue;
    }
    const actual = describeParquetType(node);
    if (!matchesKind(spec, node)) {
      throw new DataError(file, `has type ${actual}; expected ${EXPECTED[spec.kind]}`, spec.name);
    }
    present.push(spec);
  }
  return present;
}

const EXPECTED: Record<ColumnSpec['kind'], string> = {
  integer: 'int64 (int32 is accepted too)',
  timestamp: 'timestamp (MEDS uses timestamp[us])',
  float: 'float32 (float64 is accepted too)',
  string: 'string',
  boolean: 'bool',
  'string-list': 'list<string>',
};

function matchesKind(spec: ColumnSpec, node: SchemaTree): boolean {
  const e = node.element;
  const logical = e.logical_type?.type;
  const isTimestamp =
    e.type === 'INT96' ||
    logical === 'TIMESTAMP' ||
    e.converted_type === 'TIMESTAMP_MICROS' ||
    e.converted_type === 'TIMESTAMP_MILLIS';
  switch (spec.kind) {
    case 'integer':
      return (e.type === 'INT64' || e.type === 'INT32') && !isTimestamp && logical !== 'DATE' && e.converted_type !== 'DATE' && e.converted_type !== 'DECIMAL' && !isUnsigned64(e);
    case 'timestamp':
      return isTimestamp;
    case 'float':
      return e.type === 'FLOAT' || e.type === 'DOUBLE';
    case 'string':
      return e.type === 'BYTE_ARRAY' && (logical === undefined || logical === 'STRING' || logical === 'ENUM') && (e.converted_type === undefined || e.converted_type === 'UTF8' || e.converted_type === 'ENUM');
    case 'boolean':
      return e.type === 'BOOLEAN';
    case 'string-list': {
      // LIST -> repeated group -> element (3-level), or LIST -> repeated element (2-level legacy).
      if (e.converted_type !== 'LIST' && logical !== 'LIST') return false;
      let leaf = node;
      while (leaf.children.length === 1) leaf = leaf.children[0];
      return leaf.children.length === 0 && leaf.element.type === 'BYTE_ARRAY';
    }
  }
}

function isUnsigned64(e: SchemaElement): boolean {
  return e.converted_type === 'UINT_64' || (e.logical_type?.type === 'INTEGER' && e.logical_type.bitWidth === 64 && !e.logical_type.isSigned);
}

/** A parquet column's type in Arrow's words (what pyarrow and polars users see). */
export function describeParquetType(node: SchemaTree): string {
  const e = node.element;
  const logical = e.logical_type;
  if (node.children.length > 0) return e.converted_type === 'LIST' || logical?.type === 'LIST' ? 'list' : 'struct';
  if (logical?.type === 'TIMESTAMP') return `timestamp[${{ MILLIS: 'ms', MICROS: 'us', NANOS: 'ns' }[logical.unit]}]`;
  if (e.converted_type === 'TIMESTAMP_MICROS') return 'timestamp[us]';
  if (e.converted_type === 'TIMESTAMP_MILLIS') return 'timestamp[ms]';
  if (e.type === 'INT96') return 'timestamp[ns] (int96)';
  if (logical?.type === 'DATE' || e.converted_type === 'DATE') return 'date32';
  if (logical?.type === 'STRING' || e.converted_type === 'UTF8') return 'string';
  if (e.converted_type === 'DECIMAL' || logical?.type === 'DECIMAL') return 'decimal';
  switch (e.type) {
    case 'BOOLEAN':
      return 'bool';
    case 'INT32':
      return logical?.type === 'INTEGER' && !logical.isSigned ? 'uint32' : 'int32';
    case 'INT64':
      return isUnsigned64(e) ? 'uint64' : 'int64';
    case 'FLOAT':
      return 'float32';
    case 'DOUBLE':
      return 'float64';
    case 'BYTE_ARRAY':
      return 'binary (read as string)';
    default:
      return String(e.type ?? 'unknown').toLowerCase();
  }
}

function checkCodecs(file: string, metadata: FileMetaData, present: readonly ColumnSpec[]): void {
  const wanted = new Set(present.map((s) => s.name));
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      if (meta === undefined || !wanted.has(meta.path_in_schema[0])) continue;
      if (!READABLE_CODECS.has(meta.codec)) {
        throw new DataError(
          file,
          `is compressed with ${meta.codec}, which dflc's parquet reader cannot decode; ` +
            `rewrite the file with snappy or no compression (pyarrow: pq.write_table(table, path, compression='snappy'); ` +
            `polars: df.write_parquet(path, compression='snappy'))`,
          meta.path_in_schema[0],
        );
      }
    }
  }
}

function normaliseColumn(file: string, spec: ColumnSpec, raw: DecodedArray, rowStart: number, tally: { nanAsNull: number }): ColumnData {
  const n = raw.length;
  const nullError = (i: number): DataError =>
    new DataError(file, `null value; this column must not be null`, spec.name, rowStart + i);
  switch (spec.kind) {
    case 'integer':
    case 'timestamp':
    case 'float': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = raw[i] as number | bigint | null | undefined;
        if (v === null || v === undefined) {
          if (!spec.nullable) throw nullError(i);
          out[i] = NaN;
          continue;
        }
        const x = typeof v === 'bigint' ? Number(v) : v;
        if (spec.kind === 'integer') {
          const reason = typeof v === 'bigint' && BigInt(x) !== v ? `${v} is too large for dflc (ids must be below 2^53 in magnitude)` : invalidIntegerReason(x);
          if (reason !== undefined) throw new DataError(file, reason, spec.name, rowStart + i);
        } else if (spec.kind === 'float') {
          // A NaN read as null is already the null value, NaN.
          const reason = Number.isNaN(x) && spec.nanAsNull === true ? undefined : invalidFloatReason(x);
          if (reason !== undefined) throw new DataError(file, reason, spec.name, rowStart + i);
          if (Number.isNaN(x)) tally.nanAsNull++;
        }
        out[i] = x;
      }
      return out;
    }
    case 'boolean': {
      const out = new Int8Array(n);
      for (let i = 0; i < n; i++) {
        const v = raw[i] as boolean | null | undefined;
        if (v === null || v === undefined) {
          if (!spec.nullable) throw nullError(i);
          out[i] = -1;
        } else out[i] = v ? 1 : 0;
      }
      return out;
    }
    case 'string': {
      const out = Array.isArray(raw) ? (raw as (string | null)[]) : Array.from(raw as unknown as ArrayLike<string>);
      for (let i = 0; i < n; i++) {
        const v = out[i];
        if (v === null || v === undefined) {
          if (!spec.nullable) throw nullError(i);
          out[i] = null;
        }
      }
      return out;
    }
    case 'string-list': {
      const out = raw as unknown as (string[] | null | undefined)[];
      const result: (string[] | null)[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const v = out[i];
        if (v === null || v === undefined) {
          if (!spec.nullable) throw nullError(i);
          result[i] = null;
        } else result[i] = v.filter((s): s is string => typeof s === 'string');
      }
      return result;
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
