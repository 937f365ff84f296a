import { extname } from 'node:path';
import { readCsvTable } from './csv-table.ts';
import { DataError } from './data-error.ts';
import { readJsonlTable } from './jsonl-table.ts';
import type { ColumnSpec } from './meds-schema.ts';
import { readParquetTable } from './parquet-table.ts';
import type { TableBatch } from './table-batch.ts';

/** The file extensions dflc reads tables from. */
export const TABLE_EXTENSIONS = ['.parquet', '.csv', '.jsonl'] as const;

/**
 * Reads any table file dflc accepts, chosen by extension, as normalised batches checked against
 * `specs` (see meds-schema.ts and table-batch.ts).
 */
export function readTable(file: string, specs: readonly ColumnSpec[]): AsyncGenerator<TableBatch> {
  switch (extname(file).toLowerCase()) {
    case '.parquet':
      return readParquetTable(file, specs);
    case '.csv':
      return readCsvTable(file, specs);
    case '.jsonl':
      return readJsonlTable(file, specs);
    default:
      throw new DataError(file, `unsupported file type; dflc reads ${TABLE_EXTENSIONS.join(', ')}`);
  }
}
