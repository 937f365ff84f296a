import { MEDS_CODES_COLUMNS } from './meds-schema.ts';
import { readTable } from './table-reader.ts';
import { stringLists, strings } from './table-batch.ts';
import { DataError } from './data-error.ts';

export interface CodeMetadata {
  readonly codes: string[];
  readonly descriptions: (string | null)[];
  readonly parents: string[][];
}

/** Reads `metadata/codes.parquet` (or `.csv`): code, description, parent_codes. Duplicate codes are an error. */
export async function readCodeMetadata(file: string): Promise<CodeMetadata> {
  const result: CodeMetadata = { codes: [], descriptions: [], parents: [] };
  const seen = new Set<string>();
  for await (const batch of readTable(file, MEDS_CODES_COLUMNS)) {
    const code = strings(batch, 'code');
    const description = batch.columns.has('description') ? strings(batch, 'description') : undefined;
    const parents = batch.columns.has('parent_codes') ? stringLists(batch, 'parent_codes') : undefined;
    for (let i = 0; i < batch.length; i++) {
      const c = code[i]!;
      if (seen.has(c)) throw new DataError(file, `code '${c}' is listed twice`, 'code', batch.rowStart + i, batch.lines?.[i]);
      seen.add(c);
      result.codes.push(c);
      result.descriptions.push(description?.[i] ?? null);
      result.parents.push(parents?.[i] ?? []);
    }
  }
  return result;
}
