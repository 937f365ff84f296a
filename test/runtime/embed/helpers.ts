import type { Cohort } from '../../../runtime/data/cohort.ts';
import type { Float32Tensor } from '../../../runtime/executors/executor.ts';
import { initParams, paramSpecs } from '../../../runtime/model/params.ts';
import type { Modality } from '../../../runtime/model/train-spec.ts';
import { featurizerSizes, fitFeaturizer } from '../../../runtime/train/features/featurizer.ts';
import type { TrainedEncoder } from '../../../runtime/train/outputs/trained-encoder.ts';
import { trainSubjects } from '../../../runtime/train/data/train-subjects.ts';

/** An untrained encoder (seeded initial weights) with a featurizer fitted on the cohort's train split. */
export function seededEncoder(cohort: Cohort, modality: Modality, seed = 1, windowDays = 90): TrainedEncoder {
  const featurizer = fitFeaturizer(cohort, trainSubjects(cohort).mask, { windowDays, textRows: 256 });
  const config = { modality, dim: 4, hidden: 8, batch: 8, ...featurizerSizes(featurizer) };
  const params = new Map<string, Float32Tensor>();
  for (const spec of paramSpecs(config)) params.set(`param:${spec.name}`, { shape: spec.shape, data: initParams([spec], seed).get(spec.name)! });
  return { config, featurizer, params };
}
