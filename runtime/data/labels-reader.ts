import { readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { comparePaths, isDirectory, listTableFiles } from './dataset-files.ts';
import { Growable } from './growable.ts';
import { MEDS_LABEL_COLUMNS } from './meds-schema.ts';
import { booleans, numbers } from './table-batch.ts';
import { readTable } from './table-reader.ts';

/**
 * Binary outcome labels in the MEDS label schema (subject_id, prediction_time, boolean_value), one
 * task per entry of `labels/`: a file `labels/<task>.parquet` (or `.csv`), or a folder
 * `labels/<task>/` of such files (how MEDS label tools shard them).
 *
 * A label row says: at `prediction_time`, using the subject's data up to and including that time,
 * the outcome was `boolean_value`.
 */
export interface LabelTask {
  readonly name: string;
  readonly files: readonly string[];
  readonly count: number;
  readonly subjectId: Float64Array;
  /** Microseconds. */
  readonly predictionTime: Float64Array;
  /** 1 true, 0 false, -1 unknown (a null boolean_value). */
  readonly value: Int8Array;
}

export const LABEL_EXTENSIONS = ['.parquet', '.csv'] as const;

/** Reads every task under `labels/` (none when the folder is absent), in name order. */
export async function readLabels(labelsDir: string): Promise<LabelTask[]> {
  if (!(await isDirectory(labelsDir))) return [];
  const entries = (await readdir(labelsDir, { withFileTypes: true }))
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => comparePaths(a.name, b.name));
  const tasks: LabelTask[] = [];
  for (const entry of entries) {
    const path = join(labelsDir, entry.name);
    if (entry.isDirectory()) {
      const files = await listTableFiles(path, LABEL_EXTENSIONS);
      if (files.length > 0) tasks.push(await readLabelTask(entry.name, files));
    } else if (entry.isFile() && (LABEL_EXTENSIONS as readonly string[]).includes(extname(entry.name).toLowerCase())) {
      tasks.push(await readLabelTask(basename(entry.name, extname(entry.name)), [path]));
    }
  }
  return tasks;
}

/** Reads one task from its files. */
export async function readLabelTask(name: string, files: readonly string[]): Promise<LabelTask> {
  const subjectId = new Growable(Float64Array);
  const predictionTime = new Growable(Float64Array);
  const value = new Growable(Int8Array);
  for (const file of files) {
    for await (const batch of readTable(file, MEDS_LABEL_COLUMNS)) {
      subjectId.append(numbers(batch, 'subject_id'));
      predictionTime.append(numbers(batch, 'prediction_time'));
      value.append(booleans(batch, 'boolean_value'));
    }
  }
  return {
    name,
    files,
    count: subjectId.length,
    subjectId: subjectId.finish(),
    predictionTime: predictionTime.finish(),
    value: value.finish(),
  };
}
