import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Executor, Float32Tensor } from '../../compiler/backends/executor.ts';
import { formatLoadedBackend } from '../../compiler/backends/tfjs/load-backend.ts';
import { TfjsExecutor } from '../../compiler/backends/tfjs/tfjs-executor.ts';
import type { Cohort } from '../data/cohort.ts';
import { readCohort } from '../data/meds-reader.ts';
import { NO_SPLIT, SPLITS } from '../data/meds-schema.ts';
import { buildWindows } from '../data/windows.ts';
import { atomicWrite } from '../io/atomic-write.ts';
import { formatNpy } from '../io/npy.ts';
import { buildEmbedProgram } from '../model/embed-program.ts';
import { initParams } from '../model/params.ts';
import { buildTrainProgram } from '../model/train-program.ts';
import { DEFAULT_ADAM, slotName, type Modality, type ModelConfig, type TrainProgram } from '../model/train-spec.ts';
import type { CheckedObjective } from '../objective.ts';
import { batchInputs, epochOrder, stepsPerEpoch, trainingExamples, windowHasData } from './batches.ts';
import { ensureBundledCohort, BUNDLED_PATIENTS } from './bundled-cohort.ts';
import { latestCheckpointName, readLatestCheckpoint, writeCheckpoint, type Checkpoint, type TrainState } from './checkpoint.ts';
import type { RunConfig, SettingName, SettingSource } from './config.ts';
import { effectiveRank } from './effective-rank.ts';
import { embedBatchFor, embedRows, embedWindowHasData, lastWindowsWithData } from './embed.ts';
import { featurizerHash, featurizerSizes, fitFeaturizer, parseFeaturizer, type Featurizer } from './featurizer.ts';
import { appendMetrics, truncateMetrics } from './metrics-log.ts';
import { FEATURIZER_FILE, MODEL_DIR, writeModel } from './model-files.ts';
import { NonFiniteError } from './non-finite.ts';
import { mergeForResume } from './resume-config.ts';
import { readRunRecord, writeRunRecord, type RunRecord } from './run-record.ts';
import { createTrainProgress } from './train-progress.ts';
import { trainLoop, type BatchSource } from './trainer.ts';
import { trainSubjects } from './train-subjects.ts';
import { WindowEncoder } from './window-encoder.ts';

/**
 * One `dflc run`, from settings to a finished run folder:
 * ```
 * RUN/run.json                     settings, model sizes, backend, data, timings, outcome
 * RUN/objective.dfl                the objective's source
 * RUN/metrics.jsonl                one line per step: loss, terms, steps/s, effective rank
 * RUN/checkpoints/step-N/, latest  the last two checkpoints (checkpoint.ts)
 * RUN/model/model.json, weights.bin, featurizer.json   the trained encoder (model-files.ts)
 * RUN/embeddings/{train,tuning,held_out}.npy           float32 [subjects, dim]
 * RUN/embeddings/{split}_subject_ids.npy               int64 [subjects]
 * ```
 * Every file is written atomically. The command (runtime/cli/commands/run.ts) parses flags and
 * prints; this function does the work and throws RunError (a problem the user can fix),
 * NonFiniteError, DataError or BackendUnavailableError.
 */
export class RunError extends Error {
  override name = 'RunError';
}

export interface TrainRunRequest {
  /** The objective file as the user wrote it, and its checked program. */
  readonly objectiveFile: string;
  readonly objective: CheckedObjective;
  readonly config: RunConfig;
  readonly sources: Readonly<Record<SettingName, SettingSource>>;
  /** Absolute run folder. */
  readonly out: string;
  readonly env: NodeJS.ProcessEnv;
  readonly version: string;
  /** Informational lines (stderr). */
  readonly log: (line: string) => void;
  readonly progressWrite: (text: string) => void;
  readonly isTty: boolean;
  readonly now?: () => Date;
  /** Executor factory (tests may pass their own). */
  readonly createExecutor?: (backend: RunConfig['backend']) => Promise<{ executor: Executor; description: string }>;
}

export interface TrainRunSummary {
  readonly out: string;
  readonly record: RunRecord;
  /** The step this process started from (0 for a new run), and how many it ran. */
  readonly fromStep: number;
  readonly stepsRun: number;
}

const OBJECTIVE_FILE = 'objective.dfl';
const METRICS_FILE = 'metrics.jsonl';

export async function runTraining(request: TrainRunRequest): Promise<TrainRunSummary> {
  const now = request.now ?? (() => new Date());
  const { out, log } = request;
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const lap = (name: string, since: number): number => {
    const t = performance.now();
    timings[name] = round((t - since) / 1000, 3);
    return t;
  };

  // The run folder, and on --resume the settings it was started with.
  let config = request.config;
  const saved = await readRunRecord(out).catch((error: Error) => {
    throw new RunError(`${join(out, 'run.json')}: ${error.message}`);
  });
  if (config.resume) {
    if (saved === undefined) {
      if (!(await isEmptyOrMissing(out))) throw new RunError(`--resume: ${out} is not a dflc run folder (it has no run.json)`);
      log(`nothing to resume in ${out}: starting a new run there`);
    } else {
      const merged = mergeForResume(config, request.sources, saved);
      if (merged.conflicts.length > 0) {
        throw new RunError(`--resume: ${merged.conflicts.join('; ')}. Resume with the run's settings, or start a new run with another --out`);
      }
      for (const note of merged.notes) log(`note: ${note}`);
      config = { ...merged.config, resume: true };
      const savedSource = await readFile(join(out, OBJECTIVE_FILE), 'utf8').catch(() => undefined);
      if (savedSource !== undefined && savedSource !== request.objective.source) {
        throw new RunError(`--resume: ${request.objectiveFile} differs from the objective the run was started with (${join(out, OBJECTIVE_FILE)})`);
      }
    }
  } else if (!(await isEmptyOrMissing(out))) {
    throw new RunError(
      saved !== undefined
        ? `${out} already holds a run; pass --resume to continue it, or choose another --out`
        : `${out} exists and is not empty; choose another --out`,
    );
  }
  const modality: Modality = config.modality;

  // Data.
  let dataPath = config.data;
  if (dataPath === undefined) {
    const bar = createProgressLine(request, `generating the bundled synthetic cohort (${BUNDLED_PATIENTS.toLocaleString('en-US')} patients)`);
    const bundled = await ensureBundledCohort(request.env, bar);
    log(bundled.created ? `wrote the bundled synthetic cohort to ${bundled.path} (reused from now on)` : `data: the bundled synthetic cohort (${bundled.path})`);
    dataPath = bundled.path;
  }
  let t = performance.now();
  // Notes are read for every modality: they shape the window grid, which must not depend on it.
  const cohort = await readCohort(dataPath);
  if (cohort.warnings.length > 0) log(`${cohort.warnings.length} data warning(s), e.g. ${cohort.warnings[0]}`);
  const train = trainSubjects(cohort);
  if (train.unsplit) log(`${dataPath} has no subject splits: training on all ${cohort.subjects.count} subjects`);
  if (train.count === 0) throw new RunError(`${dataPath}: no subject is in the train split`);
  const windows = buildWindows(cohort, { widthDays: config['window-days'] });
  t = lap('read_s', t);
  const featurizer = fitFeaturizer(cohort, train.mask, {
    windowDays: config['window-days'],
    tauDays: config['tau-days'],
    maxCodes: config['max-codes'],
    codeBuckets: config['code-buckets'],
    maxLabs: config['max-labs'],
    textRows: config['text-rows'],
  });
  if (saved !== undefined && config.resume) await checkSameFeaturizer(out, featurizer);
  const sizes = featurizerSizes(featurizer);
  t = lap('featurize_s', t);

  // The step program; the batch shrinks to the number of examples when there are fewer.
  const hasData = windowHasData(windows, modality);
  let model: ModelConfig = { modality, dim: config.dim, hidden: config.hidden, batch: config.batch, ...sizes };
  if (request.objective.program === undefined) throw new Error('runTraining: the objective has errors');
  const objective = { program: request.objective.program, terms: request.objective.terms };
  let trainProgram: TrainProgram = buildTrainProgram(objective, model, { rename: config.rename, adam: DEFAULT_ADAM });
  const examples = trainingExamples(windows, train.mask, trainProgram.slots, hasData);
  if (examples.length < 2) {
    const what = modality === 'ehr' ? 'events' : modality === 'text' ? 'notes' : 'both events and notes';
    throw new RunError(
      `${dataPath}: ${examples.length === 0 ? 'no' : 'only one'} training example: the objective reads windows ` +
        `${trainProgram.slots.map(slotName).join(', ')} of a subject, and the training subjects have ` +
        `${examples.length === 0 ? 'no' : 'one'} such set of windows with ${what} (a batch needs at least 2)`,
    );
  }
  if (examples.length < config.batch) {
    log(`warning: only ${examples.length} training examples, fewer than --batch ${config.batch}: using batch ${examples.length}`);
    model = { ...model, batch: examples.length };
    trainProgram = buildTrainProgram(objective, model, { rename: config.rename, adam: DEFAULT_ADAM });
  }
  const spe = stepsPerEpoch(examples.length, model.batch);
  t = lap('compile_s', t);
  const configHash = hashRun(request.objective.source, model, config, featurizer, examples);

  // The executor.
  const { executor, description } = await (request.createExecutor ?? defaultExecutor)(config.backend);
  log(description);

  try {
    // Where to start.
    let start: Checkpoint | undefined;
    if (config.resume && saved !== undefined) {
      start = await readLatestCheckpoint(out);
      if (start === undefined) log(`${out} has no checkpoint yet: starting from step 0`);
      else {
        if (start.state.configHash !== configHash) {
          throw new RunError(
            `--resume: the checkpoint ${start.state.step} of ${out} was made with different settings or data (its config hash differs); start a new run with another --out`,
          );
        }
        if (start.state.backend !== executor.backend) {
          log(`note: the checkpoint was made on ${start.state.backend}, this run uses ${executor.backend}: the result will not be bit-identical to an uninterrupted run`);
        }
        log(`resuming from step ${start.state.step} (epoch ${start.state.epoch + 1}, ${start.state.batchInEpoch} of ${spe} batches done)`);
      }
    }
    start ??= freshStart(trainProgram, config.seed, configHash, executor.backend);

    // The run folder's fixed files.
    await mkdir(join(out, MODEL_DIR), { recursive: true });
    if (config.resume) await removeTemporaries(out);
    const startedAt = now().toISOString();
    const record: RunRecord = {
      format: 'dflc-run',
      dflc: request.version,
      status: 'running',
      objective: {
        file: request.objectiveFile,
        name: objectiveName(request.objectiveFile),
        terms: trainProgram.terms,
        bindings: trainProgram.bindings,
        slots: trainProgram.slots,
      },
      config: { ...config, data: config.data ?? null, out },
      dataPath,
      model,
      seed: config.seed,
      backend: { requested: config.backend, used: executor.backend, description },
      configHash,
      data: {
        subjects: cohort.subjects.count,
        trainSubjects: train.count,
        windows: windows.count,
        examples: examples.length,
        stepsPerEpoch: spe,
        batch: model.batch,
      },
      started: saved !== undefined && config.resume ? saved.started : startedAt,
      sessions: [
        ...(saved !== undefined && config.resume ? saved.sessions : []),
        { started: startedAt, fromStep: start.state.step, lr: config.lr, backend: executor.backend },
      ],
    };
    await writeRunRecord(out, record);
    await atomicWrite(join(out, OBJECTIVE_FILE), request.objective.source);
    await atomicWrite(join(out, MODEL_DIR, FEATURIZER_FILE), JSON.stringify(featurizer) + '\n');
    const metricsPath = join(out, METRICS_FILE);
    await truncateMetrics(metricsPath, start.state.step);

    // Train.
    const encoder = new WindowEncoder(featurizer, cohort, windows);
    const orders = new Map<number, Int32Array>();
    const batches: BatchSource = {
      stepsPerEpoch: spe,
      batch(epoch, index) {
        let order = orders.get(epoch);
        if (order === undefined) {
          orders.clear();
          order = epochOrder(examples.length, config.seed, epoch);
          orders.set(epoch, order);
        }
        return batchInputs(encoder, modality, examples, order, index, model.batch, trainProgram.slots);
      },
    };
    const totalSteps = config.epochs * spe;
    log(
      `training ${record.objective.name} (${modality}, dim ${model.dim}, hidden ${model.hidden}) on ${train.count} subjects, ` +
        `${examples.length} examples: ${config.epochs} epoch(s) x ${spe} steps of batch ${model.batch}`,
    );
    const progress = createTrainProgress({ totalSteps, epochs: config.epochs, write: request.progressWrite, isTty: request.isTty });
    t = performance.now();
    let result;
    try {
      result = await trainLoop({
        executor,
        train: trainProgram,
        batches,
        epochs: config.epochs,
        lr: config.lr,
        start,
        checkpointEvery: config['checkpoint-every'],
        onCheckpoint: async (checkpoint) => void (await writeCheckpoint(out, checkpoint)),
        onMetrics: (m) => appendMetrics(metricsPath, m),
        progress,
      });
    } catch (error) {
      progress.finish();
      if (error instanceof NonFiniteError) {
        const latest = await latestCheckpointName(out).catch(() => undefined);
        const message =
          `${error.message}. Training stopped; ` +
          (latest === undefined ? 'no checkpoint had been written yet' : `the last good checkpoint, ${join(out, 'checkpoints', latest)}, is intact`);
        await writeRunRecord(out, { ...record, status: 'failed', error: message });
        throw new NonFiniteError(error.step, message);
      }
      throw error;
    }
    t = lap('train_s', t);

    // Outputs: embeddings of every split, and the model.
    const params = new Map([...result.arrays].filter(([name]) => name.startsWith('param:')));
    const embedConfig = { ...model, batch: embedBatchFor(cohort.subjects.count) };
    const embedProgram = buildEmbedProgram(embedConfig);
    const anyData = embedWindowHasData(windows, modality);
    const embeddings: Record<string, { file: string; subjectIds: string; rows: number; dim: number }> = {};
    const ranks: Record<string, number> = {};
    await mkdir(join(out, 'embeddings'), { recursive: true });
    for (const [split, subjects] of splitSubjects(cohort, train.unsplit)) {
      const windowIds = lastWindowsWithData(windows, subjects, anyData);
      const { data, dim } = await embedRows(
        { executor, program: embedProgram, batch: embedConfig.batch, modality, encoder, params },
        windowIds,
        subjects,
      );
      const ids = BigInt64Array.from(subjects, (s) => BigInt(cohort.subjects.id[s]));
      await atomicWrite(join(out, 'embeddings', `${split}.npy`), formatNpy({ dtype: 'float32', shape: [subjects.length, dim], data }));
      await atomicWrite(join(out, 'embeddings', `${split}_subject_ids.npy`), formatNpy({ dtype: 'int64', shape: [subjects.length], data: ids }));
      embeddings[split] = { file: `embeddings/${split}.npy`, subjectIds: `embeddings/${split}_subject_ids.npy`, rows: subjects.length, dim };
      if (subjects.length >= 2) ranks[split] = round(effectiveRank(data, subjects.length, dim), 4);
    }
    await writeModel(out, model, trainProgram.params, params, `dflc ${request.version}`, embedProgram.outputs.map((o) => o.name));
    lap('embed_s', t);
    timings.total_s = round((performance.now() - t0) / 1000, 3);
    timings.steps_per_s = result.seconds > 0 ? round(result.stepsRun / result.seconds, 3) : 0;
    const done: RunRecord = {
      ...record,
      status: 'done',
      finished: now().toISOString(),
      steps: result.state.step,
      timings,
      final: { loss: result.lastLoss ?? null, effectiveRank: ranks },
      embeddings,
    };
    await writeRunRecord(out, done);
    return { out, record: done, fromStep: start.state.step, stepsRun: result.stepsRun };
  } finally {
    executor.dispose();
  }
}

async function defaultExecutor(backend: RunConfig['backend']): Promise<{ executor: Executor; description: string }> {
  const executor = await TfjsExecutor.create(backend);
  return { executor, description: formatLoadedBackend(executor.loaded) };
}

function freshStart(train: TrainProgram, seed: number, configHash: string, backend: string): Checkpoint {
  const init = initParams(train.params, seed);
  const arrays = new Map<string, Float32Tensor>();
  for (const spec of train.params) {
    const data = init.get(spec.name)!;
    arrays.set(`param:${spec.name}`, { shape: spec.shape, data });
    arrays.set(`adam.m:${spec.name}`, { shape: spec.shape, data: new Float32Array(data.length) });
    arrays.set(`adam.v:${spec.name}`, { shape: spec.shape, data: new Float32Array(data.length) });
  }
  const state: TrainState = { step: 0, epoch: 0, batchInEpoch: 0, seed, configHash, backend };
  return { state, arrays };
}

/** Everything that determines the trajectory except lr and epochs (which may change on resume). */
function hashRun(source: string, model: ModelConfig, config: RunConfig, featurizer: Featurizer, examples: Int32Array): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ source, model, seed: config.seed, rename: config.rename, adam: DEFAULT_ADAM, featurizer: featurizerHash(featurizer) }));
  h.update(new Uint8Array(examples.buffer, examples.byteOffset, examples.byteLength));
  return h.digest('hex').slice(0, 32);
}

async function checkSameFeaturizer(out: string, featurizer: Featurizer): Promise<void> {
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

/** Subject indices per split; an unsplit dataset is all train. Subjects without a split are left out. */
function splitSubjects(cohort: Cohort, unsplit: boolean): [string, Int32Array][] {
  return SPLITS.map((split, index) => {
    const subjects: number[] = [];
    for (let s = 0; s < cohort.subjects.count; s++) {
      const own = cohort.subjects.split[s];
      if (own === index || (unsplit && index === 0 && own === NO_SPLIT)) subjects.push(s);
    }
    return [split, Int32Array.from(subjects)];
  });
}

export function objectiveName(file: string): string {
  return basename(file, extname(file)) || 'objective';
}

/** Temporaries a killed run left: `.name.<pid>.<hex>.tmp` (atomicWrite) and `.step-N.tmp-<pid>` (checkpoint.ts). */
async function removeTemporaries(out: string): Promise<void> {
  for (const dir of [out, join(out, MODEL_DIR), join(out, 'embeddings'), join(out, 'checkpoints')]) {
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (/^\..+\.tmp$/.test(entry) || /^\.step-\d+\.tmp-\d+$/.test(entry)) await rm(join(dir, entry), { recursive: true, force: true });
    }
  }
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return true;
    if (code === 'ENOTDIR') throw new RunError(`${dir} is a file, not a folder`);
    throw error;
  }
}

function createProgressLine(request: TrainRunRequest, label: string): (done: number, total: number) => void {
  let announced = false;
  let lastTenth = -1;
  return (done, total) => {
    if (!announced) {
      request.log(`${label}...`);
      announced = true;
    }
    const tenth = Math.floor((10 * done) / total);
    if (request.isTty && tenth !== lastTenth) request.progressWrite(`\r  ${tenth * 10}%${done === total ? '\n' : ''}`);
    lastTenth = tenth;
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
