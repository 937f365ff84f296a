import { buildTrainProgram } from '../../model/train-program.ts';
import { DEFAULT_ADAM, slotName, type ModelConfig, type TrainProgram } from '../../model/train-spec.ts';
import type { CheckedObjective } from '../../objective.ts';
import { stepsPerEpoch, trainingExamples, windowHasData } from './batches.ts';
import type { RunConfig } from '../settings/run-config.ts';
import { featurizerSizes, type Featurizer } from '../features/featurizer.ts';
import { RunError } from '../run-error.ts';
import type { TrainingData } from '../data/training-data.ts';

/**
 * What a run's steps are: the model sizes, the compiled step program, and the training examples
 * (the base window of each set of a train subject's windows the objective reads, all with data)
 * that batches are drawn from. The batch shrinks to the number of examples when there are fewer.
 */
export interface StepPlan {
  readonly model: ModelConfig;
  readonly trainProgram: TrainProgram;
  readonly examples: Int32Array;
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
  let trainProgram = buildTrainProgram(objective, model, { rename: config.rename, adam: DEFAULT_ADAM });
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
    trainProgram = buildTrainProgram(objective, model, { rename: config.rename, adam: DEFAULT_ADAM });
  }
  return { model, trainProgram, examples, stepsPerEpoch: stepsPerEpoch(examples.length, model.batch) };
}
