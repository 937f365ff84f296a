import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { DatasetMetadata } from './cohort.ts';
import { DataError } from './data-error.ts';
import { isFile } from './dataset-files.ts';

const optionalString = z.string().optional();

/** MEDS DatasetMetadata: all fields optional, other fields kept as they are. */
const datasetSchema = z.looseObject({
  dataset_name: optionalString,
  dataset_version: optionalString,
  etl_name: optionalString,
  etl_version: optionalString,
  meds_version: optionalString,
  created_at: optionalString,
});

/** Reads `metadata/dataset.json`; an absent file is an empty object. */
export async function readDatasetJson(file: string): Promise<DatasetMetadata> {
  if (!(await isFile(file))) return {};
  const text = await readFile(file, 'utf8');
  if (text.trim() === '') throw new DataError(file, 'file is empty (expected a JSON object)');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DataError(file, `not valid JSON (${(error as Error).message})`);
  }
  const parsed = datasetSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? `field '${issue.path.join('.')}': ` : '';
    throw new DataError(file, `${where}${issue.message}`);
  }
  return parsed.data as DatasetMetadata;
}
