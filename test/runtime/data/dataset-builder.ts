import { gzipSync } from 'node:zlib';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ColumnSource, SchemaElement } from 'hyparquet-writer';
import { MEDS_DATA_COLUMNS } from '../../../runtime/data/meds-schema.ts';
import { encodeTable } from '../../../runtime/data/table-writer.ts';

/** Writes files of a small dataset folder: path -> contents. */
export async function writeFiles(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [path, contents] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), contents);
  }
}

export interface EventRow {
  readonly subject: number;
  /** ISO time or null. */
  readonly time: string | null;
  readonly code: string;
  readonly value?: number | null;
  readonly text?: string | null;
}

const iso = (t: string | null): number => (t === null ? NaN : Date.parse(`${t}Z`) * 1000);

/** A MEDS data shard in the given format, from readable rows. */
export function eventsFile(format: 'parquet' | 'csv', rows: readonly EventRow[], withText = false): Uint8Array {
  const columns = new Map<string, Float64Array | (string | null)[]>([
    ['subject_id', Float64Array.from(rows, (r) => r.subject)],
    ['time', Float64Array.from(rows, (r) => iso(r.time))],
    ['code', rows.map((r) => r.code)],
    ['numeric_value', Float64Array.from(rows, (r) => (r.value === undefined || r.value === null ? NaN : r.value))],
  ]);
  if (withText) columns.set('text_value', rows.map((r) => r.text ?? null));
  return encodeTable(format, MEDS_DATA_COLUMNS, columns);
}

/**
 * A parquet file with an explicit schema. `GZIP` compresses its pages for real (with node:zlib);
 * `LZO` writes uncompressed pages under the LZO label, a codec the reader must refuse from the
 * metadata before decoding anything.
 */
export function rawParquet(schema: SchemaElement[], columnData: ColumnSource[], codec?: 'GZIP' | 'LZO'): Uint8Array {
  const compressor = codec === 'GZIP' ? (input: Uint8Array) => new Uint8Array(gzipSync(input)) : (input: Uint8Array) => input;
  return new Uint8Array(
    parquetWriteBuffer({
      schema: [{ name: 'root', num_children: schema.length }, ...schema],
      columnData,
      ...(codec === undefined ? {} : { codec, compressors: { [codec]: compressor } }),
    }),
  );
}

export const TIMESTAMP_US = { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' } as const;
