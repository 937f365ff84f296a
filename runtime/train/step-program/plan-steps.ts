import { buildTrainProgram, type TrainObjective } from '../../model/train-program.ts';
import type { Windows } from '../../data/windows.ts';
import { labelledWindows } from '../data/labelled-windows.ts';
import { DEFAULT_ADAM, slotName, type ModelConfig, type TrainProgram } from '../../model/train-spec.ts';
import type { CheckedObjective } from '../../objective.ts';
import { stepsPerEpoch, trainingExamples, windowHasData } from './batches.ts';
import type { RunConfig } from '../settings/run-config.ts';
import { featurizerSizes, type Featurizer } from '../features/featurizer.ts';
import { RunError } from '../run-error.ts';
import type { TrainingData } from '../data/training-data.ts';

/**
 * What a run's steps are: the model sizes, the compiled step program, and the training examples
 * that batches are drawn from: the base window of each set of a train subject's windows the
 * objective reads, all with data; or, in a run with label streams, every labelled prediction
 * window of a train subject (labelled-windows.ts). The batch shrinks to the number of examples
 * when there are fewer.
 */
export interface StepPlan {
  readonly model: ModelConfig;
  readonly trainProgram: TrainProgram;
  /** The windows examples index: the run's grid, or the labelled prediction windows. */
  readonly windows: Windows;
  readonly examples: Int32Array;
  /** Label input -> its value per example (empty without label streams). */
  readonly labels: ReadonlyMap<string, Float32Array>;
  readonly stepsPerEpoch: number;
}

export function planSteps(
  checked: CheckedObjective,
  config: RunConfig,
  data: TrainingData,
  featurizer: Featurizer,
  log: (line: string) => void,
): StepPlan {
  const { modality } = config;
  const hasData = windowHasData(data.windows, modality);
  let model: ModelConfig = { modality, dim: config.dim, hidden: config.hidden, batch: config.batch, ...featurizerSizes(featurizer) };
  if (checked.program === undefined) throw new Error('runTraining: the objective has errors');
  const objective = { program: checked.program, terms: checked.terms, params: checked.params };
  const options = { rename: config.rename, labels: config.labels, adam: DEFAULT_ADAM };
  let trainProgram = buildTrainProgram(objective, model, options);
  if (data.tasks.size > 0) return planLabelled(data, config, model, objective, trainProgram, log);
  const examples = trainingExamples(data.windows, data.train.mask, trainProgram.slots, hasData);
  if (examples.length < 2) {
    const what = modality === 'ehr' ? 'events' : modality === 'text' ? 'notes' : 'both events and notes';
    throw new RunError(
      `${data.dataPath}: ${examples.length === 0 ? 'no' : 'only one'} training example: the objective reads windows ` +
        `${trainProgram.slots.map(slotName).join(', ')} of a subject, and the training subjects have ` +
        `${examples.length === 0 ? 'no' : 'one'} such set of windows with ${what} (a batch needs at least 2)`,
    );
  }
  if (examples.length < config.batch) {
    log(`warning: only ${examples.length} training examples, fewer than --batch ${config.batch}: using batch ${examples.length}`);
    model = { ...model, batch: examples.length };
    trainProgram = buildTrainProgram(objective, model, options);
  }
  return { model, trainProgram, windows: data.windows, examples, labels: new Map(), stepsPerEpoch: stepsPerEpoch(examples.length, model.batch) };
}

/** Steps over the labelled prediction windows: the objective reads the window ending at each prediction time only. */
function planLabelled(
  data: TrainingData,
  config: RunConfig,
  model: ModelConfig,
  objective: TrainObjective,
  trainProgram: TrainProgram,
  log: (line: string) => void,
): StepPlan {
  const later = trainProgram.slots.filter((k) => k !== 0);
  if (later.length > 0) {
    throw new RunError(
      `a run with label streams trains on the window ending at each prediction time, so the objective cannot read ` +
        `${trainProgram.bindings.filter((b) => b.slot !== 0).map((b) => b.input).join(', ')} (another time window)`,
    );
  }
  const labelled = labelledWindows(data.cohort, data.windows, data.train.mask, data.tasks);
  const count = labelled.windows.count;
  const tasks = [...data.tasks.values()].map((t) => t.name).join(', ');
  if (count < 2) throw new RunError(`${data.dataPath}: ${count === 0 ? 'no' : 'only one'} labelled prediction time of a train subject in ${tasks} (a batch needs at least 2)`);
  let plan = { model, trainProgram };
  if (count < config.batch) {
    log(`warning: only ${count} labelled training examples, fewer than --batch ${config.batch}: using batch ${count}`);
    const smaller = { ...model, batch: count };
    plan = { model: smaller, trainProgram: buildTrainProgram(objective, smaller, { rename: config.rename, labels: config.labels, adam: DEFAULT_ADAM }) };
  }
  const examples = Int32Array.from({ length: count }, (_, i) => i);
  return { ...plan, windows: labelled.windows, examples, labels: labelled.values, stepsPerEpoch: stepsPerEpoch(count, plan.model.batch) };
}
