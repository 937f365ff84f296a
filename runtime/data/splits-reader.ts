import { DataError } from './data-error.ts';
import { MEDS_SPLITS_COLUMNS, SPLITS } from './meds-schema.ts';
import { numbers, strings } from './table-batch.ts';
import { readTable } from './table-reader.ts';

/**
 * Reads `metadata/subject_splits.parquet` (or `.csv`) into subject id -> split index (into SPLITS).
 * An unknown split name, or a subject listed in two different splits, is an error.
 */
export async function readSubjectSplits(file: string): Promise<Map<number, number>> {
  const splits = new Map<number, number>();
  const splitIndex = new Map<string, number>(SPLITS.map((name, i) => [name, i]));
  for await (const batch of readTable(file, MEDS_SPLITS_COLUMNS)) {
    const ids = numbers(batch, 'subject_id');
    const names = strings(batch, 'split');
    for (let i = 0; i < batch.length; i++) {
      const name = names[i]!;
      const index = splitIndex.get(name);
      if (index === undefined) {
        throw new DataError(
          file,
          `unknown split '${name}' (MEDS splits are ${SPLITS.join(', ')})`,
          'split',
          batch.rowStart + i,
          batch.lines?.[i],
        );
      }
      const before = splits.get(ids[i]);
      if (before !== undefined && before !== index) {
        throw new DataError(
          file,
          `subject ${ids[i]} is in split '${SPLITS[before]}' and in split '${name}'`,
          'split',
          batch.rowStart + i,
          batch.lines?.[i],
        );
      }
      splits.set(ids[i], index);
    }
  }
  return splits;
}
