import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Executor, Float32Tensor } from '../../executors/executor.ts';
import type { Cohort } from '../../data/cohort.ts';
import { buildWindows, type Windows } from '../../data/windows.ts';
import { buildEmbedProgram } from '../../model/embed-program.ts';
import type { ModelConfig } from '../../model/train-spec.ts';
import { embedBatchFor, embedRows, type EmbeddedRows } from './embed-rows.ts';
import { parseFeaturizer, type Featurizer } from '../features/featurizer.ts';
import { FEATURIZER_FILE, MODEL_DIR, readModel } from './model-files.ts';
import { WindowEncoder } from '../features/window-encoder.ts';

/**
 * A trained encoder read back from a run folder (RUN/model/): what `dflc eval` and other tools use
 * to embed windows the run did not write out, e.g. the window ending at each label's prediction
 * time. With the same executor backend, embedding the rows `dflc run` embedded gives the same bytes.
 */
export interface TrainedEncoder {
  readonly config: ModelConfig;
  readonly featurizer: Featurizer;
  /** `param:<name>` arrays. */
  readonly params: ReadonlyMap<string, Float32Tensor>;
}

export async function loadTrainedEncoder(runDir: string): Promise<TrainedEncoder> {
  const dir = join(runDir, MODEL_DIR);
  const { manifest, params } = await readModel(dir);
  const path = join(dir, FEATURIZER_FILE);
  const featurizer = parseFeaturizer(await readFile(path, 'utf8'), path);
  return { config: manifest.modelTopology.config, featurizer, params };
}

/** The windows of a cohort cut as the encoder's featurizer expects (its window width). */
export function encoderWindows(encoder: TrainedEncoder, cohort: Cohort, options: Parameters<typeof buildWindows>[1] = {}): Windows {
  return buildWindows(cohort, { ...options, widthDays: encoder.featurizer.windowDays });
}

/**
 * Embeds rows (window indices of `windows`, or -1 with the subject in `subjectIds`) of a cohort
 * with a trained encoder; returns each of `outputs` (default `embed:Z`) by name, from one pass.
 */
export async function embedWithEncoder(
  encoder: TrainedEncoder,
  executor: Executor,
  cohort: Cohort,
  windows: Windows,
  windowIds: Int32Array,
  subjectIds: Int32Array,
  outputs: readonly string[] = ['embed:Z'],
): Promise<Map<string, EmbeddedRows>> {
  const batch = embedBatchFor(cohort.subjects.count);
  const program = buildEmbedProgram({ ...encoder.config, batch });
  const rows = new WindowEncoder(encoder.featurizer, cohort, windows);
  return embedRows({ executor, program, batch, modality: encoder.config.modality, encoder: rows, params: encoder.params, outputs }, windowIds, subjectIds);
}
