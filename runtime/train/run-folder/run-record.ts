import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite } from '../../io/atomic-write.ts';
import type { LabelBinding, ModelConfig, StreamBinding } from '../../model/train-spec.ts';
import type { RunConfig } from '../settings/run-config.ts';

/**
 * `RUN/run.json`: what a run is, written (atomically) when it starts and rewritten as it goes:
 * the settings, the model sizes, the objective, the backend, the data, timings and the outcome.
 * `dflc run --resume` reads the settings back from it; `dflc eval` reads the rest.
 */
export interface RunRecord {
  readonly format: 'dflc-run';
  readonly dflc: string;
  readonly status: 'running' | 'done' | 'failed';
  /** For a failed run: why (e.g. the non-finite loss message). */
  readonly error?: string;
  readonly objective: {
    readonly file: string;
    readonly name: string;
    readonly terms: readonly string[];
    readonly bindings: readonly StreamBinding[];
    /** Inputs bound to label tasks (`--label`); absent in runs from before label streams. */
    readonly labels?: readonly LabelBinding[];
    readonly slots: readonly number[];
  };
  /** Settings as resolved (absolute paths; `data` null for the bundled cohort). */
  readonly config: Omit<RunConfig, 'data' | 'out'> & { readonly data: string | null; readonly out: string };
  readonly dataPath: string;
  readonly model: ModelConfig;
  readonly seed: number;
  readonly backend: { readonly requested: string; readonly used: string; readonly description: string };
  readonly configHash: string;
  readonly data: {
    readonly subjects: number;
    readonly trainSubjects: number;
    readonly windows: number;
    readonly examples: number;
    readonly stepsPerEpoch: number;
    readonly batch: number;
    /** `numeric_value` NaNs read as missing (--nan-as-missing); absent in runs from before the option. */
    readonly nanAsMissing?: number;
  };
  readonly started: string;
  readonly finished?: string;
  readonly steps?: number;
  /** Each time the run was (re)started by this process: the step it began at, the lr used. */
  readonly sessions: readonly { readonly started: string; readonly fromStep: number; readonly lr: number; readonly backend: string }[];
  readonly timings?: Readonly<Record<string, number>>;
  readonly final?: { readonly loss: number | null; readonly effectiveRank: Readonly<Record<string, number>> };
  /** Per split; `E` and `T` (multimodal runs): the files of the encoders' embeddings before fusion. */
  readonly embeddings?: Readonly<
    Record<string, { readonly file: string; readonly subjectIds: string; readonly rows: number; readonly dim: number; readonly E?: string; readonly T?: string }>
  >;
}

export const RUN_FILE = 'run.json';

export async function writeRunRecord(runDir: string, record: RunRecord): Promise<void> {
  await atomicWrite(join(runDir, RUN_FILE), JSON.stringify(record, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
}

/** The run record of RUN, or undefined when it has none. */
export async function readRunRecord(runDir: string): Promise<RunRecord | undefined> {
  let text: string;
  try {
    text = await readFile(join(runDir, RUN_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const record = JSON.parse(text) as RunRecord;
  if (record.format !== 'dflc-run') throw new Error(`${join(runDir, RUN_FILE)}: not a dflc run record`);
  return record;
}
