import type { Executor } from '../executors/executor.ts';
import { objectiveName } from '../objective-name.ts';
import { createExecutor } from '../executors/create-executor.ts';
import type { CheckedObjective } from '../objective.ts';
import { writeSessionStart } from './run-folder/write-session-start.ts';
import type { RunConfig, SettingName, SettingSource } from './settings/run-config.ts';
import { hashRunConfig } from './checkpoints/hash-run-config.ts';
import { createRunClock } from './run-folder/run-clock.ts';
import { openRunFolder } from './run-folder/open-run-folder.ts';
import { lockRunFolder } from './run-folder/run-folder-lock.ts';
import { writeOutputs } from './outputs/write-outputs.ts';
import { writeRunRecord, type RunRecord } from './run-folder/run-record.ts';
import { startCheckpoint } from './checkpoints/start-checkpoint.ts';
import { pruneToLatest } from './checkpoints/checkpoint.ts';
import { keptOnceComplete } from './checkpoints/checkpoint-retention.ts';
import { checkSameFeaturizer, fitRunFeaturizer, readTrainingData, resolveDataPath } from './data/training-data.ts';
import { planSteps } from './step-program/plan-steps.ts';
import { trainIntoRunFolder } from './loop/train-into-run-folder.ts';
import { WindowEncoder } from './features/window-encoder.ts';

export { RunError } from './run-error.ts';

/**
 * One `dflc run`, from settings to a finished run folder:
 * ```
 * RUN/run.lock                     while a process uses the folder: its pid (run-folder/run-folder-lock.ts)
 * RUN/run.json                     settings, model sizes, backend, data, timings, outcome
 * RUN/objective.dfl                the objective's source
 * RUN/metrics.jsonl                one line per step: loss, terms, gradient norm, steps/s, effective rank
 * RUN/checkpoints/step-N/, latest  the last two while training, the last once complete (checkpoints/checkpoint-retention.ts)
 * RUN/model/model.json, weights.bin, featurizer.json   the trained encoder (outputs/model-files.ts)
 * RUN/embeddings/{train,tuning,held_out}.npy           float32 [subjects, dim]
 * RUN/embeddings/{split}_subject_ids.npy               int64 [subjects]
 * RUN/embeddings/{split}_E.npy, {split}_T.npy        multimodal runs: float32 [subjects, dim], before fusion
 * ```
 * Every file is written atomically. The command (runtime/cli/commands/run.ts) parses flags and
 * prints; this function does the work and throws RunError (a problem the user can fix),
 * NonFiniteError, DataError or BackendUnavailableError. The phases, in order, each in the folder
 * of what it handles: the lock (run-folder/run-folder-lock.ts), the run folder (run-folder/open-run-folder.ts), the data
 * (data/training-data.ts), the step program (step-program/plan-steps.ts), the start state
 * (checkpoints/start-checkpoint.ts), the session's fixed files (run-folder/write-session-start.ts),
 * training (loop/train-into-run-folder.ts) and the outputs (outputs/write-outputs.ts).
 */
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
  readonly createExecutor?: (backend: RunConfig['backend'], threads: number) => Promise<{ executor: Executor; description: string }>;
}

export interface TrainRunSummary {
  readonly out: string;
  readonly record: RunRecord;
  /** The step this process started from (0 for a new run), and how many it ran. */
  readonly fromStep: number;
  readonly stepsRun: number;
}

export async function runTraining(request: TrainRunRequest): Promise<TrainRunSummary> {
  const lock = await lockRunFolder(request.out);
  try {
    return await trainLocked(request);
  } finally {
    await lock.release();
  }
}

/** The run, once this process holds the run folder's lock. */
async function trainLocked(request: TrainRunRequest): Promise<TrainRunSummary> {
  const now = request.now ?? (() => new Date());
  const { out, log } = request;
  const clock = createRunClock();
  const source = request.objective.source;
  const { config, resumed } = await openRunFolder({
    out,
    config: request.config,
    sources: request.sources,
    objectiveFile: request.objectiveFile,
    objectiveSource: source,
    log,
  });

  const dataPath = await resolveDataPath(config, request);
  clock.restart();
  const data = await readTrainingData(dataPath, config, log);
  clock.lap('read_s');
  const featurizer = fitRunFeaturizer(data, config);
  if (resumed !== undefined) await checkSameFeaturizer(out, featurizer);
  clock.lap('featurize_s');
  const plan = planSteps(request.objective, config, data, featurizer, log);
  clock.lap('compile_s');
  const configHash = hashRunConfig(source, plan.model, config, featurizer, plan.examples);

  const { executor, description } = await (request.createExecutor ?? defaultExecutor)(config.backend, config.threads);
  log(description);
  try {
    const { trainProgram, stepsPerEpoch } = plan;
    const start = await startCheckpoint({
      out,
      resuming: resumed !== undefined,
      configHash,
      backend: executor.backend,
      trainProgram,
      seed: config.seed,
      stepsPerEpoch,
      log,
    });
    const fromStep = start.state.step;
    const record = await writeSessionStart({
      out,
      version: request.version,
      objectiveFile: request.objectiveFile,
      objectiveName: objectiveName(request.objectiveFile),
      objectiveSource: source,
      config,
      data,
      featurizer,
      plan,
      configHash,
      backend: { used: executor.backend, description },
      resumed,
      fromStep,
      now,
    });
    // Training reads the plan's windows (the labelled prediction windows in a run with labels), the outputs the grid's.
    const encoder = new WindowEncoder(featurizer, data.cohort, data.windows);
    const trainEncoder = plan.windows === data.windows ? encoder : new WindowEncoder(featurizer, data.cohort, plan.windows);
    const { progressWrite, isTty } = request;
    const result = await trainIntoRunFolder({ out, executor, config, plan, encoder: trainEncoder, start, record, clock, log, progressWrite, isTty });
    const { embeddings, ranks } = await writeOutputs({ out, executor, data, plan, encoder, arrays: result.arrays, version: request.version });
    clock.lap('embed_s');
    const timings = clock.finish(result);
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
    await pruneToLatest(out, keptOnceComplete(config['keep-checkpoints']));
    return { out, record: done, fromStep, stepsRun: result.stepsRun };
  } finally {
    executor.dispose();
  }
}


function defaultExecutor(backend: RunConfig['backend'], threads: number): Promise<{ executor: Executor; description: string }> {
  return createExecutor(backend, threads > 0 ? { threads } : {});
}
