import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { DataError } from './data-error.ts';
import type { ColumnSpec } from './meds-schema.ts';
import { TableBatchBuilder, type TableBatch } from './table-batch.ts';
import { Bad, fromJsonValue } from './text-values.ts';

const BATCH_ROWS = 16_384;

/**
 * Reads a JSON Lines table (one JSON object per line, blank lines skipped), streaming. A required
 * column is missing when the first object lacks it; later objects may omit nullable fields.
 */
export async function* readJsonlTable(file: string, specs: readonly ColumnSpec[]): AsyncGenerator<TableBatch> {
  const size = (await stat(file)).size;
  if (size === 0) throw new DataError(file, 'file is empty (0 bytes)');
  let present: ColumnSpec[] | undefined;
  let builder: TableBatchBuilder | undefined;
  let row = 0;
  let line = 0;
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let object: unknown;
    try {
      object = JSON.parse(text);
    } catch (error) {
      throw new DataError(file, `not valid JSON (${(error as Error).message})`, undefined, row, line);
    }
    if (typeof object !== 'object' || object === null || Array.isArray(object)) {
      throw new DataError(file, 'each line must be a JSON object', undefined, row, line);
    }
    const record = object as Record<string, unknown>;
    if (present === undefined) {
      present = [];
      for (const spec of specs) {
        if (spec.name in record) present.push(spec);
        else if (spec.required) {
          throw new DataError(file, `required field is missing (the first object has: ${Object.keys(record).join(', ')})`, spec.name, row, line);
        }
      }
      builder = new TableBatchBuilder(file, present, 0);
    }
    const values = new Array<unknown>(present.length);
    for (let c = 0; c < present.length; c++) {
      const spec = present[c];
      if (spec.required && !(spec.name in record)) {
        throw new DataError(file, 'required field is missing', spec.name, row, line);
      }
      const value = fromJsonValue(spec, record[spec.name]);
      if (value instanceof Bad) throw new DataError(file, value.reason, spec.name, row, line);
      values[c] = value;
    }
    builder!.addRow(values, line);
    row++;
    if (builder!.length >= BATCH_ROWS) yield builder!.take();
  }
  if (present === undefined) throw new DataError(file, 'file has no rows (only blank lines)');
  if (builder!.length > 0) yield builder!.take();
}
