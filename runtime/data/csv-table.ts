import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CsvParser, CsvSyntaxError, type CsvRecord } from './csv-parser.ts';
import { DataError } from './data-error.ts';
import type { ColumnSpec } from './meds-schema.ts';
import { TableBatchBuilder, type TableBatch } from './table-batch.ts';
import { Bad, fromCsvField } from './text-values.ts';

/** Rows per batch: large enough to amortise, small enough to keep memory flat. */
const BATCH_ROWS = 65_536;

/**
 * Reads a CSV table with a header row, streaming: columns are matched by header name (extra
 * columns are ignored), values checked and normalised per ColumnSpec, blank lines skipped.
 */
export async function* readCsvTable(file: string, specs: readonly ColumnSpec[]): AsyncGenerator<TableBatch> {
  const size = (await stat(file)).size;
  if (size === 0) throw new DataError(file, 'file is empty (0 bytes)');
  const parser = new CsvParser();
  let present: ColumnSpec[] | undefined;
  let indices: number[] = [];
  let width = 0;
  let builder: TableBatchBuilder | undefined;
  let row = 0;

  const accept = (records: CsvRecord[]): TableBatch[] => {
    const full: TableBatch[] = [];
    for (const record of records) {
      const { fields, line } = record;
      if (fields.length === 1 && fields[0].trim() === '') continue; // blank line
      if (present === undefined) {
        ({ present, indices } = matchHeader(file, fields, specs));
        width = fields.length;
        builder = new TableBatchBuilder(file, present, 0);
        continue;
      }
      if (fields.length !== width) {
        throw new DataError(file, `has ${fields.length} fields; the header has ${width}`, undefined, row, line);
      }
      const values = new Array<unknown>(present.length);
      for (let c = 0; c < present.length; c++) {
        const value = fromCsvField(present[c], fields[indices[c]]);
        if (value instanceof Bad) throw new DataError(file, value.reason, present[c].name, row, line);
        values[c] = value;
      }
      builder!.addRow(values, line);
      row++;
      if (builder!.length >= BATCH_ROWS) full.push(builder!.take());
    }
    return full;
  };

  try {
    const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
    for await (const chunk of stream) yield* accept(parser.push(chunk as string));
    yield* accept(parser.end());
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new DataError(file, error.detail, undefined, undefined, error.line);
    throw error;
  }
  if (present === undefined) throw new DataError(file, 'file is empty (no header row)');
  if (builder!.length > 0) yield builder!.take();
}

function matchHeader(file: string, header: string[], specs: readonly ColumnSpec[]): { present: ColumnSpec[]; indices: number[] } {
  const names = header.map((h) => h.trim());
  const present: ColumnSpec[] = [];
  const indices: number[] = [];
  for (const spec of specs) {
    const index = names.indexOf(spec.name);
    if (index < 0) {
      if (spec.required) throw new DataError(file, `required column is missing (the header has: ${names.join(', ')})`, spec.name);
      continue;
    }
    present.push(spec);
    indices.push(index);
  }
  return { present, indices };
}
