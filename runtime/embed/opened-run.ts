import { join, resolve } from 'node:path';
import type { Cohort } from '../data/cohort.ts';
import { isDirectory, isFile } from '../data/dataset-files.ts';
import { readLabels, type LabelTask } from '../data/labels-reader.ts';
import { readCohort } from '../data/meds-reader.ts';
import type { Windows } from '../data/windows.ts';
import { ensureBundledCohort } from '../train/data/bundled-cohort.ts';
import { MODEL_DIR } from '../train/outputs/model-files.ts';
import { RunError } from '../train/run-error.ts';
import { readRunRecord, type RunRecord } from '../train/run-folder/run-record.ts';
import { embedWindowHasData } from '../train/outputs/embed-rows.ts';
import { encoderWindows, loadTrainedEncoder, type TrainedEncoder } from '../train/outputs/trained-encoder.ts';

/**
 * A finished run opened for embedding or evaluation: its record, its trained encoder, and the data
 * to embed (--data, else the dataset the run trained on) read with its labels and cut into the
 * encoder's window grid.
 */
export interface OpenedRun {
  readonly dir: string;
  readonly record: RunRecord;
  readonly encoder: TrainedEncoder;
  readonly dataPath: string;
  readonly cohort: Cohort;
  readonly labels: readonly LabelTask[];
  readonly grid: Windows;
  /** Whether a grid window has data for the encoder's modality. */
  readonly hasData: (w: number) => boolean;
}

export interface OpenRunOptions {
  readonly data?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
}

export async function openRun(runDir: string, options: OpenRunOptions): Promise<OpenedRun> {
  const dir = resolve(runDir);
  if (!(await isDirectory(dir))) throw new RunError(`${runDir}: no such run folder`);
  const record = await readRunRecord(dir);
  if (record === undefined) throw new RunError(`${runDir}: not a dflc run folder (no run.json)`);
  if (!(await isFile(join(dir, MODEL_DIR, 'model.json')))) {
    throw new RunError(`${runDir}: the run has no trained model yet (${join(MODEL_DIR, 'model.json')}; status '${record.status}')`);
  }
  const encoder = await loadTrainedEncoder(dir);
  const dataPath = await dataOf(record, options);
  options.log(`data: ${dataPath}`);
  // As the run read its data; `=== true`: runs from before the option have no such setting.
  const nanAsMissing = record.config['nan-as-missing'] === true;
  const cohort = await readCohort(dataPath, { nanAsMissing });
  if (nanAsMissing) options.log(`${cohort.nanAsMissing} numeric_value NaN treated as missing (the run's --nan-as-missing)`);
  const labels = await readLabels(join(dataPath, 'labels'));
  const grid = encoderWindows(encoder, cohort);
  return { dir, record, encoder, dataPath, cohort, labels, grid, hasData: embedWindowHasData(grid, encoder.config.modality) };
}

/** --data, else the run's dataset; the bundled cohort is regenerated when its cache was cleared. */
async function dataOf(record: RunRecord, options: OpenRunOptions): Promise<string> {
  if (options.data !== undefined) {
    if (!(await isDirectory(options.data))) throw new RunError(`--data ${options.data}: no such folder`);
    return resolve(options.data);
  }
  if (await isDirectory(record.dataPath)) return record.dataPath;
  if (record.config.data === null) return (await ensureBundledCohort(options.env)).path;
  throw new RunError(`the run's dataset ${record.dataPath} is gone; pass --data DIR`);
}
