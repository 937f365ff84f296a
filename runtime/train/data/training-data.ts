import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cohort } from '../../data/cohort.ts';
import { readCohort } from '../../data/meds-reader.ts';
import { createProgress } from '../../data/progress.ts';
import { buildWindows, type Windows } from '../../data/windows.ts';
import { BUNDLED_PATIENTS, ensureBundledCohort } from './bundled-cohort.ts';
import type { RunConfig } from '../settings/run-config.ts';
import { featurizerHash, fitFeaturizer, parseFeaturizer, type Featurizer } from '../features/featurizer.ts';
import { FEATURIZER_FILE, MODEL_DIR } from '../outputs/model-files.ts';
import { RunError } from '../run-error.ts';
import { trainSubjects, type TrainSubjects } from './train-subjects.ts';
import { readBoundTasks } from './labelled-windows.ts';
import type { LabelTask } from '../../data/labels-reader.ts';

/**
 * The data a run trains on: the cohort (the bundled synthetic one when there is no --data), its
 * train subjects, its window grid, and the featurizer fitted on the train subjects, which on
 * --resume must be the one the run started with.
 */
export interface TrainingData {
  /** The cohort's folder: --data, or the bundled cohort's. */
  readonly dataPath: string;
  readonly cohort: Cohort;
  readonly train: TrainSubjects;
  readonly windows: Windows;
  /** Label input -> its task (`--label`), read from labels/ only when the run binds one. */
  readonly tasks: ReadonlyMap<string, LabelTask>;
}

export interface DataPathIo {
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
  readonly progressWrite: (text: string) => void;
  readonly isTty: boolean;
}

/** --data, else the bundled cohort's folder, generated first (with a progress display) when it is absent. */
export async function resolveDataPath(config: RunConfig, io: DataPathIo): Promise<string> {
  if (config.data !== undefined) return config.data;
  const bar = createProgress({
    label: 'generating the bundled synthetic cohort',
    total: BUNDLED_PATIENTS,
    unit: 'patients',
    write: io.progressWrite,
    isTty: io.isTty,
  });
  const bundled = await ensureBundledCohort(io.env, (done) => bar.update(done));
  if (bundled.created) bar.finish();
  io.log(bundled.created ? `wrote the bundled synthetic cohort to ${bundled.path} (reused from now on)` : `data: the bundled synthetic cohort (${bundled.path})`);
  return bundled.path;
}

export async function readTrainingData(dataPath: string, config: RunConfig, log: (line: string) => void): Promise<TrainingData> {
  // Notes are read for every modality: they shape the window grid, which must not depend on it.
  const cohort = await readCohort(dataPath, { nanAsMissing: config['nan-as-missing'] });
  if (config['nan-as-missing']) log(`${cohort.nanAsMissing} numeric_value NaN treated as missing (--nan-as-missing)`);
  if (cohort.warnings.length > 0) log(`${cohort.warnings.length} data warning(s), e.g. ${cohort.warnings[0]}`);
  const train = trainSubjects(cohort);
  if (train.unsplit) log(`${dataPath} has no subject splits: training on all ${cohort.subjects.count} subjects`);
  if (train.count === 0) throw new RunError(`${dataPath}: no subject is in the train split`);
  const windows = buildWindows(cohort, { widthDays: config['window-days'] });
  const tasks = await readBoundTasks(dataPath, config.labels);
  return { dataPath, cohort, train, windows, tasks };
}

export function fitRunFeaturizer(data: TrainingData, config: RunConfig): Featurizer {
  return fitFeaturizer(data.cohort, data.train.mask, {
    windowDays: config['window-days'],
    tauDays: config['tau-days'],
    maxCodes: config['max-codes'],
    codeBuckets: config['code-buckets'],
    maxLabs: config['max-labs'],
    textRows: config['text-rows'],
  });
}

/** On --resume: the run's featurizer file, when it has one, must match the one fitted now. */
export async function checkSameFeaturizer(out: string, featurizer: Featurizer): Promise<void> {
  const path = join(out, MODEL_DIR, FEATURIZER_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return;
  }
  const saved = parseFeaturizer(text, path);
  if (featurizerHash(saved) !== featurizerHash(featurizer)) {
    throw new RunError(`--resume: the data gives a different featurizer than the run's (${path}): the dataset changed since the run started`);
  }
}
