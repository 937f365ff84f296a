import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { formatNpy } from '../../io/npy.ts';
import { isDirectory } from '../dataset-files.ts';
import { readDatasetJson } from '../dataset-json.ts';
import { Growable } from '../growable.ts';
import { MEDS_CODES_COLUMNS, MEDS_DATA_COLUMNS, MEDS_LABEL_COLUMNS, MEDS_SPLITS_COLUMNS, NOTE_COLUMNS, SPLITS } from '../meds-schema.ts';
import { encodeTable } from '../table-writer.ts';
import { DYNAMICS, LATENT_DIMENSIONS, LATENT_SIZE } from './latent-model.ts';
import { OUTCOME_TASKS, SIGNAL, taskDirections } from './outcomes.ts';
import { simulateSubject, type SyntheticSubject } from './simulate-subject.ts';
import { synthVocabulary } from './vocabulary.ts';

/**
 * Writes a synthetic cohort as a MEDS dataset folder that dflc's readers (and MEDS tools) read:
 * ```
 * OUT/data/{train,tuning,held_out}/N.parquet   events, sorted by subject then time
 * OUT/metadata/codes.parquet, subject_splits.parquet, dataset.json
 * OUT/notes/{split}/N.jsonl                    notes (subject_id, time, text)
 * OUT/labels/<task>.parquet                    MEDS labels, one prediction time per subject
 * OUT/truth/                                   the ground truth (see truth/README.md there)
 * ```
 * The folder is written next to OUT under a temporary name of its own and renamed into place at
 * the end, so an interrupted run leaves no half cohort at OUT. When several writers race to create
 * OUT, the first rename wins and the others discard their copy (a rename never replaces a folder
 * that is not empty), so no writer deletes a cohort another has already handed out.
 */
export interface SynthOptions {
  readonly out: string;
  readonly patients: number;
  readonly seed: number;
  /** Data, codes, splits and labels as parquet (default) or CSV. Notes are JSONL either way. */
  readonly format?: 'parquet' | 'csv';
  readonly subjectsPerShard?: number;
  /** Replace OUT if it holds a cohort written by dflc synth (anything else is never deleted). */
  readonly replace?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SynthSummary {
  readonly out: string;
  readonly patients: number;
  readonly events: number;
  readonly notes: number;
  /** Distinct codes that occur in the events. */
  readonly codesUsed: number;
  readonly vocabularySize: number;
  readonly files: number;
  readonly tasks: readonly { name: string; labelled: number; positives: number }[];
}

/** OUT exists, is not empty, and may not be replaced. */
export class SynthTargetError extends Error {
  override name = 'SynthTargetError';
}

export const SYNTH_ETL_NAME = 'dflc synth';
export const DEFAULT_SUBJECTS_PER_SHARD = 2000;

export async function writeSyntheticCohort(options: SynthOptions): Promise<SynthSummary> {
  const { out, patients, seed } = options;
  if (!Number.isSafeInteger(patients) || patients < 1) throw new RangeError(`patients must be a positive integer, got ${patients}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const existing = await checkTarget(out, options.replace === true);
  const format = options.format ?? 'parquet';
  const perShard = options.subjectsPerShard ?? DEFAULT_SUBJECTS_PER_SHARD;
  await mkdir(dirname(out), { recursive: true });
  // Unique even across machines or containers that share the folder (where pids can repeat).
  const temp = await mkdtemp(join(dirname(out), `.${basename(out)}.tmp-`));
  try {
    const summary = await writeInto(temp, { ...options, format, subjectsPerShard: perShard });
    if (existing) {
      const old = `${temp}-old`;
      await rename(out, old);
      await rename(temp, out);
      await rm(old, { recursive: true, force: true });
    } else {
      await renameUnlessTaken(temp, out);
    }
    return { ...summary, out };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Renames TEMP to OUT, which was absent or empty when checked (rename replaces an empty folder).
 * If another writer has filled OUT since, the rename fails, its cohort stays, and checkTarget
 * throws the SynthTargetError that says OUT is taken.
 */
async function renameUnlessTaken(temp: string, out: string): Promise<void> {
  try {
    await rename(temp, out);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') await checkTarget(out, false);
    throw error;
  }
}

/** Whether OUT holds something to replace; throws SynthTargetError when it may not be touched. */
async function checkTarget(out: string, replace: boolean): Promise<boolean> {
  if (!(await isDirectory(out))) {
    try {
      await readdir(out);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw new SynthTargetError(`${out} is a file, not a folder`);
      throw error;
    }
  }
  if ((await readdir(out)).length === 0) return false;
  let isSynth = false;
  try {
    isSynth = (await readDatasetJson(join(out, 'metadata', 'dataset.json'))).etl_name === SYNTH_ETL_NAME;
  } catch {
    isSynth = false;
  }
  if (!replace) {
    throw new SynthTargetError(
      isSynth ? `${out} already holds a synthetic cohort; pass --force to replace it` : `${out} exists and is not empty; choose a new folder`,
    );
  }
  if (!isSynth) throw new SynthTargetError(`${out} is not a cohort written by dflc synth; refusing to replace it`);
  return true;
}

async function writeInto(dir: string, options: SynthOptions & { format: 'parquet' | 'csv'; subjectsPerShard: number }): Promise<SynthSummary> {
  const { patients, seed, format, subjectsPerShard } = options;
  const ext = `.${format}`;
  const vocabulary = synthVocabulary();
  for (const sub of ['metadata', 'labels', 'truth', ...SPLITS.map((s) => `data/${s}`), ...SPLITS.map((s) => `notes/${s}`)]) {
    await mkdir(join(dir, sub), { recursive: true });
  }
  let files = 0;
  const write = async (path: string, bytes: Uint8Array | string): Promise<void> => {
    await writeFile(join(dir, path), bytes);
    files++;
  };

  const buffers: SyntheticSubject[][] = SPLITS.map(() => []);
  const shardCount = SPLITS.map(() => 0);
  let events = 0;
  let notes = 0;
  const used = new Uint8Array(vocabulary.codes.length);
  const flush = async (split: number): Promise<void> => {
    const subjects = buffers[split];
    if (subjects.length === 0) return;
    const name = `${SPLITS[split]}/${shardCount[split]++}`;
    await write(`data/${name}${ext}`, encodeTable(format, MEDS_DATA_COLUMNS, eventColumns(subjects, vocabulary.codes)));
    const notesOfShard = noteColumns(subjects);
    // An empty file is an error for the readers; a shard whose subjects have no notes gets none.
    if (notesOfShard.get('text')!.length > 0) await write(`notes/${name}.jsonl`, encodeTable('jsonl', NOTE_COLUMNS, notesOfShard));
    buffers[split] = [];
  };

  const ids = new Float64Array(patients);
  const splitOf = new Uint8Array(patients);
  const predictionTimes = new Float64Array(patients);
  const labels = new Int8Array(patients * OUTCOME_TASKS.length);
  const latentAtPrediction = new Float32Array(patients * LATENT_SIZE);
  const visitIds = new Growable(Float64Array, 1 << 16);
  const visitTimes = new Growable(Float64Array, 1 << 16);
  const visitLatents = new Growable(Float32Array, 1 << 20);
  for (let i = 0; i < patients; i++) {
    const subject = simulateSubject(seed, i);
    ids[i] = subject.id;
    splitOf[i] = subject.split;
    predictionTimes[i] = subject.predictionTime;
    labels.set(subject.labels, i * OUTCOME_TASKS.length);
    latentAtPrediction.set(subject.latentAtPrediction, i * LATENT_SIZE);
    for (let k = 0; k < subject.visitTimes.length; k++) visitIds.push(subject.id);
    visitTimes.append(subject.visitTimes);
    visitLatents.append(subject.visitLatents);
    events += subject.code.length;
    notes += subject.noteText.length;
    for (const c of subject.code) used[c] = 1;
    buffers[subject.split].push(subject);
    if (buffers[subject.split].length >= subjectsPerShard) await flush(subject.split);
    options.onProgress?.(i + 1, patients);
  }
  for (let s = 0; s < SPLITS.length; s++) await flush(s);

  await write(
    `metadata/codes${ext}`,
    encodeTable(
      format,
      MEDS_CODES_COLUMNS,
      new Map<string, (string | null)[] | (string[] | null)[]>([
        ['code', [...vocabulary.codes]],
        ['description', [...vocabulary.descriptions]],
        ['parent_codes', vocabulary.parents.map((p) => [...p])],
      ]),
    ),
  );
  await write(
    `metadata/subject_splits${ext}`,
    encodeTable(format, MEDS_SPLITS_COLUMNS, new Map<string, Float64Array | string[]>([['subject_id', ids], ['split', Array.from(splitOf, (s) => SPLITS[s])]])),
  );
  await write('metadata/dataset.json', JSON.stringify(datasetJson(options), null, 2) + '\n');

  const tasks = OUTCOME_TASKS.map((task, k) => {
    const rows = Array.from({ length: patients }, (_, i) => i).filter((i) => labels[i * OUTCOME_TASKS.length + k] >= 0);
    const value = Int8Array.from(rows, (i) => labels[i * OUTCOME_TASKS.length + k]);
    return { task, rows, value };
  });
  for (const { task, rows, value } of tasks) {
    await write(
      `labels/${task.name}${ext}`,
      encodeTable(
        format,
        MEDS_LABEL_COLUMNS,
        new Map<string, Float64Array | Int8Array>([
          ['subject_id', Float64Array.from(rows, (i) => ids[i])],
          ['prediction_time', Float64Array.from(rows, (i) => predictionTimes[i])],
          ['boolean_value', value],
        ]),
      ),
    );
  }

  const int64 = (values: ArrayLike<number>): Uint8Array =>
    formatNpy({ dtype: 'int64', shape: [values.length], data: BigInt64Array.from(Array.from(values), (v) => BigInt(v)) });
  await write('truth/subject_ids.npy', int64(ids));
  await write('truth/prediction_times.npy', int64(predictionTimes));
  await write('truth/latent_at_prediction.npy', formatNpy({ dtype: 'float32', shape: [patients, LATENT_SIZE], data: latentAtPrediction }));
  await write('truth/visit_subject_ids.npy', int64(visitIds.view()));
  await write('truth/visit_times.npy', int64(visitTimes.view()));
  await write('truth/visit_latents.npy', formatNpy({ dtype: 'float32', shape: [visitTimes.length, LATENT_SIZE], data: visitLatents.finish() }));
  await write('truth/labels.npy', formatNpy({ dtype: 'int32', shape: [patients, OUTCOME_TASKS.length], data: Int32Array.from(labels) }));
  await write(
    'truth/task_directions.npy',
    formatNpy({ dtype: 'float32', shape: [OUTCOME_TASKS.length, LATENT_SIZE], data: Float32Array.from(taskDirections()) }),
  );
  await write('truth/dynamics.npy', formatNpy({ dtype: 'float32', shape: [LATENT_SIZE, LATENT_SIZE], data: Float32Array.from(DYNAMICS.a) }));
  await write('truth/truth.json', JSON.stringify(truthJson(options), null, 2) + '\n');
  await write('truth/README.md', TRUTH_README);

  return {
    out: dir,
    patients,
    events,
    notes,
    codesUsed: used.reduce((a, b) => a + b, 0),
    vocabularySize: vocabulary.codes.length,
    files,
    tasks: tasks.map(({ task, value }) => ({ name: task.name, labelled: value.length, positives: value.reduce((a, b) => a + b, 0) })),
  };
}

function eventColumns(subjects: readonly SyntheticSubject[], codes: readonly string[]): Map<string, Float64Array | string[]> {
  const n = subjects.reduce((sum, s) => sum + s.code.length, 0);
  const subjectId = new Float64Array(n);
  const time = new Float64Array(n);
  const code = new Array<string>(n);
  const value = new Float64Array(n);
  let k = 0;
  for (const s of subjects) {
    for (let i = 0; i < s.code.length; i++, k++) {
      subjectId[k] = s.id;
      time[k] = s.time[i];
      code[k] = codes[s.code[i]];
      value[k] = s.value[i];
    }
  }
  return new Map<string, Float64Array | string[]>([
    ['subject_id', subjectId],
    ['time', time],
    ['code', code],
    ['numeric_value', value],
  ]);
}

function noteColumns(subjects: readonly SyntheticSubject[]): Map<string, Float64Array | string[]> {
  const subjectId: number[] = [];
  const time: number[] = [];
  const text: string[] = [];
  for (const s of subjects) {
    for (let i = 0; i < s.noteText.length; i++) {
      subjectId.push(s.id);
      time.push(s.noteTime[i]);
      text.push(s.noteText[i]);
    }
  }
  return new Map<string, Float64Array | string[]>([
    ['subject_id', Float64Array.from(subjectId)],
    ['time', Float64Array.from(time)],
    ['text', text],
  ]);
}

function datasetJson(options: SynthOptions): Record<string, unknown> {
  return {
    dataset_name: 'dflc-synthetic',
    dataset_version: `seed-${options.seed}-patients-${options.patients}`,
    etl_name: SYNTH_ETL_NAME,
    etl_version: '1',
    meds_version: '0.3.3',
  };
}

function truthJson(options: SynthOptions): Record<string, unknown> {
  return {
    generator: SYNTH_ETL_NAME,
    generator_version: 1,
    seed: options.seed,
    patients: options.patients,
    latent_dimensions: LATENT_DIMENSIONS,
    month_days: 30,
    signal: SIGNAL,
    tasks: OUTCOME_TASKS.map((t) => ({
      name: t.name,
      description: t.description,
      horizon_days: t.horizonDays,
      target_prevalence: t.prevalence,
      weights: Object.fromEntries(t.weights.map(([d, w]) => [LATENT_DIMENSIONS[d], w])),
    })),
  };
}

const TRUTH_README = `# Ground truth of this synthetic cohort (written by \`dflc synth\`)

Each subject has a 16-dimensional latent state (names in truth.json, \`latent_dimensions\`)
that evolves monthly as z' = A z + c + noise (+ acute shocks); every event, note and label was
emitted from it.

| file | shape, dtype | holds |
| --- | --- | --- |
| subject_ids.npy | (N,) int64 | subject_id of each row of the per-subject arrays |
| prediction_times.npy | (N,) int64 | the prediction time (microseconds since 1970), as in labels/ |
| latent_at_prediction.npy | (N, 16) float32 | the latent state at the prediction time |
| labels.npy | (N, T) int32 | 1 / 0 per task (order of truth.json \`tasks\`), -1 where the subject has no label |
| visit_subject_ids.npy, visit_times.npy | (V,) int64 | one row per visit: subject and start time (microseconds) |
| visit_latents.npy | (V, 16) float32 | the latent state each visit's events were drawn from |
| task_directions.npy | (T, 16) float32 | unit latent direction driving each task |
| dynamics.npy | (16, 16) float32 | the monthly transition matrix A |

Outcome y_k at prediction time p is drawn with P(y=1) = sigmoid(signal * standardised(w_k . z_p) +
logit(prevalence_k)), then the events after p are made consistent with it (truth.json describes
each task's rule). Task directions overlap little: a representation collapsed onto one of them
predicts the other tasks poorly.
`;
