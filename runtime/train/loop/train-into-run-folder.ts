import { join } from 'node:path';
import type { Executor, Float32Tensor } from '../../executors/executor.ts';
import type { BatchField, DataSource } from '../../model/train-spec.ts';
import { augmentView, viewRng } from '../features/augment-view.ts';
import { batchInputs, epochOrder } from '../step-program/batches.ts';
import { latestCheckpointName, writeCheckpoint, type Checkpoint } from '../checkpoints/checkpoint.ts';
import type { RunConfig } from '../settings/run-config.ts';
import { keptWhileTraining } from '../checkpoints/checkpoint-retention.ts';
import { appendMetrics } from '../run-folder/metrics-log.ts';
import { NonFiniteError } from './non-finite.ts';
import type { RunClock } from '../run-folder/run-clock.ts';
import { METRICS_FILE } from '../run-folder/open-run-folder.ts';
import { writeRunRecord, type RunRecord } from '../run-folder/run-record.ts';
import { createTrainProgress } from './train-progress.ts';
import { trainLoop, type BatchSource, type TrainResult } from './train-loop.ts';
import type { StepPlan } from '../step-program/plan-steps.ts';
import type { WindowEncoder } from '../features/window-encoder.ts';

/**
 * A session's training, from its start state to the last step of the last epoch, with the run
 * folder as the loop's edge: checkpoints into checkpoints/, a line per step into metrics.jsonl, the
 * progress line on stderr, and on a non-finite loss run.json marked failed, naming the last good
 * checkpoint. The clock times the loop alone as train_s.
 */
export interface TrainIntoRunFolderOptions {
  readonly out: string;
  readonly executor: Executor;
  readonly config: RunConfig;
  readonly plan: StepPlan;
  readonly encoder: WindowEncoder;
  readonly start: Checkpoint;
  /** The run record as this session wrote it at its start. */
  readonly record: RunRecord;
  readonly clock: RunClock;
  readonly log: (line: string) => void;
  readonly progressWrite: (text: string) => void;
  readonly isTty: boolean;
}

export async function trainIntoRunFolder(options: TrainIntoRunFolderOptions): Promise<TrainResult> {
  const { out, config, plan, record } = options;
  const { model, examples } = plan;
  const spe = plan.stepsPerEpoch;
  const metricsPath = join(out, METRICS_FILE);
  const totalSteps = config.steps ?? config.epochs * spe;
  const epochs = config.steps === undefined ? config.epochs : Math.max(1, Math.ceil(config.steps / spe));
  options.log(
    `training ${record.objective.name} (${config.modality}, dim ${model.dim}, hidden ${model.hidden}) on ${record.data.trainSubjects} subjects, ` +
      `${examples.length} examples: ` +
      (config.steps === undefined ? `${config.epochs} epoch(s) x ${spe} steps` : `${config.steps} steps (${spe} per epoch)`) +
      ` of batch ${model.batch}`,
  );
  const progress = createTrainProgress({ totalSteps, epochs, write: options.progressWrite, isTty: options.isTty });
  options.clock.restart();
  let result;
  try {
    result = await trainLoop({
      executor: options.executor,
      train: plan.trainProgram,
      batches: epochBatches(plan, options.encoder, config),
      totalSteps,
      lr: config.lr,
      start: options.start,
      checkpointEvery: config['checkpoint-every'],
      onCheckpoint: async (checkpoint) => void (await writeCheckpoint(out, checkpoint, keptWhileTraining(config['keep-checkpoints']))),
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
  options.clock.lap('train_s');
  return result;
}

/** Batches in a fresh shuffle per epoch (a pure function of seed and epoch), kept for the epoch under way. */
function epochBatches(plan: StepPlan, encoder: WindowEncoder, config: RunConfig): BatchSource {
  const { model, examples } = plan;
  const orders = new Map<number, Int32Array>();
  return {
    stepsPerEpoch: plan.stepsPerEpoch,
    batch(epoch, index) {
      let order = orders.get(epoch);
      if (order === undefined) {
        orders.clear();
        order = epochOrder(examples.length, config.seed, epoch);
        orders.set(epoch, order);
      }
      const augment = (fields: ReadonlyMap<BatchField, Float32Tensor>, { slot, view }: Required<DataSource>) =>
        augmentView(fields, config['view-drop'], viewRng(config.seed, epoch, index, slot, view));
      return batchInputs(encoder, config.modality, examples, order, index, model.batch, plan.trainProgram.sources, plan.labels, augment);
    },
  };
}
