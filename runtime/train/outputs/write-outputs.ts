import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Executor, Float32Tensor } from '../../executors/executor.ts';
import type { Cohort } from '../../data/cohort.ts';
import { NO_SPLIT, SPLITS } from '../../data/meds-schema.ts';
import { atomicWrite } from '../../io/atomic-write.ts';
import { formatNpy } from '../../io/npy.ts';
import { buildEmbedProgram } from '../../model/embed-program.ts';
import { effectiveRank } from '../loop/effective-rank.ts';
import { embedBatchFor, embedRows, embedWindowHasData, lastWindowsWithData, type EmbeddedRows } from './embed-rows.ts';
import { writeModel } from './model-files.ts';
import { roundDecimals } from '../round-decimals.ts';
import type { TrainingData } from '../data/training-data.ts';
import type { StepPlan } from '../step-program/plan-steps.ts';
import type { WindowEncoder } from '../features/window-encoder.ts';

/**
 * What a finished training leaves: the embedding of every subject of each split (of its last
 * window with data) with their subject ids, and the trained model. A multimodal run also leaves
 * the EHR (E) and text (T) encoders' embeddings of the same rows, before fusion, so that
 * cross-modal alignment can be measured from the run folder. Returns what run.json says of them:
 * the files, and the effective rank of each split with at least two subjects.
 */
export interface OutputsOptions {
  readonly out: string;
  readonly executor: Executor;
  readonly data: TrainingData;
  readonly plan: StepPlan;
  readonly encoder: WindowEncoder;
  /** The final training state; its `param:*` arrays are the model. */
  readonly arrays: ReadonlyMap<string, Float32Tensor>;
  readonly version: string;
}

export interface RunOutputs {
  readonly embeddings: Record<string, SplitEmbedding>;
  readonly ranks: Record<string, number>;
}

/** One split's files: Z (for multimodal runs F), the subject ids, and for multimodal runs E and T. */
export type SplitEmbedding = { file: string; subjectIds: string; rows: number; dim: number } & Partial<Record<PreFusionStream, string>>;

/** The encoders' embeddings before fusion, written beside Z by multimodal runs. */
export type PreFusionStream = 'E' | 'T';
const PRE_FUSION: readonly PreFusionStream[] = ['E', 'T'];

export async function writeOutputs(options: OutputsOptions): Promise<RunOutputs> {
  const { out, executor, data, plan } = options;
  const { cohort, windows } = data;
  const { model } = plan;
  const params = new Map([...options.arrays].filter(([name]) => name.startsWith('param:')));
  const embedConfig = { ...model, batch: embedBatchFor(cohort.subjects.count) };
  const embedProgram = buildEmbedProgram(embedConfig);
  const anyData = embedWindowHasData(windows, model.modality);
  const embeddings: RunOutputs['embeddings'] = {};
  const ranks: RunOutputs['ranks'] = {};
  const extra = model.modality === 'multimodal' ? PRE_FUSION : [];
  await mkdir(join(out, 'embeddings'), { recursive: true });
  for (const [split, subjects] of splitSubjects(cohort, data.train.unsplit)) {
    const windowIds = lastWindowsWithData(windows, subjects, anyData);
    const streams = await embedRows(
      {
        executor,
        program: embedProgram,
        batch: embedConfig.batch,
        modality: model.modality,
        encoder: options.encoder,
        params,
        outputs: ['embed:Z', ...extra.map((stream) => `embed:${stream}`)],
      },
      windowIds,
      subjects,
    );
    const writeRows = async (file: string, { data, dim }: EmbeddedRows): Promise<void> =>
      atomicWrite(join(out, file), formatNpy({ dtype: 'float32', shape: [subjects.length, dim], data }));
    const { data: rows, dim } = streams.get('embed:Z')!;
    const ids = BigInt64Array.from(subjects, (s) => BigInt(cohort.subjects.id[s]));
    const entry: SplitEmbedding = { file: `embeddings/${split}.npy`, subjectIds: `embeddings/${split}_subject_ids.npy`, rows: subjects.length, dim };
    await writeRows(entry.file, { data: rows, dim });
    await atomicWrite(join(out, entry.subjectIds), formatNpy({ dtype: 'int64', shape: [subjects.length], data: ids }));
    for (const stream of extra) {
      const file = `embeddings/${split}_${stream}.npy`;
      await writeRows(file, streams.get(`embed:${stream}`)!);
      entry[stream] = file;
    }
    embeddings[split] = entry;
    if (subjects.length >= 2) ranks[split] = roundDecimals(effectiveRank(rows, subjects.length, dim), 4);
  }
  await writeModel(out, model, plan.trainProgram.params, params, `dflc ${options.version}`, embedProgram.outputs.map((o) => o.name));
  return { embeddings, ranks };
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
