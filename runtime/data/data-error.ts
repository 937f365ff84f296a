/**
 * A problem with the user's dataset: names the file, and where known the column and row, so that the
 * message alone is enough to find and fix the bad value. Readers throw this and nothing else for
 * problems in the data; any other exception is a bug in dflc.
 */
export class DataError extends Error {
  override name = 'DataError';

  constructor(
    /** The file as the user named it (the dataset root joined with the relative path). */
    readonly file: string,
    /** What is wrong, without the location prefix. */
    readonly detail: string,
    readonly column?: string,
    /** 0-based data row (the header of a CSV file is not a row). */
    readonly row?: number,
    /** 1-based line in a text file, when it differs from the row (CSV, JSONL). */
    readonly line?: number,
  ) {
    super(formatLocation(file, column, row, line) + detail);
  }
}

function formatLocation(file: string, column?: string, row?: number, line?: number): string {
  const parts = [file];
  const where: string[] = [];
  if (column !== undefined) where.push(`column '${column}'`);
  if (row !== undefined) where.push(line === undefined ? `row ${row}` : `row ${row} (line ${line})`);
  else if (line !== undefined) where.push(`line ${line}`);
  if (where.length > 0) parts.push(where.join(', '));
  return parts.join(': ') + ': ';
}
