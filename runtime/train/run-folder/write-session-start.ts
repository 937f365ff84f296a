import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite } from '../../io/atomic-write.ts';
import type { RunConfig } from '../settings/run-config.ts';
import type { Featurizer } from '../features/featurizer.ts';
import { truncateMetrics } from './metrics-log.ts';
import { FEATURIZER_FILE, MODEL_DIR } from '../outputs/model-files.ts';
import { METRICS_FILE, OBJECTIVE_FILE, removeTemporaries } from './open-run-folder.ts';
import { writeRunRecord, type RunRecord } from './run-record.ts';
import type { TrainingData } from '../data/training-data.ts';
import type { StepPlan } from '../step-program/plan-steps.ts';

/**
 * What a session (one process's share of a run) writes before its first step: run.json with
 * status `running` and this session appended to the run's, the objective's source, the featurizer,
 * and metrics.jsonl cut back to the starting step. On --resume, the temporaries a killed session
 * left are removed first.
 */
export interface SessionStart {
  readonly out: string;
  readonly version: string;
  readonly objectiveFile: string;
  readonly objectiveName: string;
  readonly objectiveSource: string;
  readonly config: RunConfig;
  readonly data: TrainingData;
  readonly featurizer: Featurizer;
  readonly plan: StepPlan;
  readonly configHash: string;
  readonly backend: { readonly used: string; readonly description: string };
  /** The record of the run being resumed; undefined for a new run. */
  readonly resumed: RunRecord | undefined;
  /** The step training starts from. */
  readonly fromStep: number;
  readonly now: () => Date;
}

/** Returns the run record as written. */
export async function writeSessionStart(session: SessionStart): Promise<RunRecord> {
  const { out } = session;
  await mkdir(join(out, MODEL_DIR), { recursive: true });
  if (session.config.resume) await removeTemporaries(out);
  const record = sessionRecord(session, session.now().toISOString());
  await writeRunRecord(out, record);
  await atomicWrite(join(out, OBJECTIVE_FILE), session.objectiveSource);
  await atomicWrite(join(out, MODEL_DIR, FEATURIZER_FILE), JSON.stringify(session.featurizer) + '\n');
  await truncateMetrics(join(out, METRICS_FILE), session.fromStep);
  return record;
}

function sessionRecord(session: SessionStart, startedAt: string): RunRecord {
  const { config, data, plan, resumed } = session;
  return {
    format: 'dflc-run',
    dflc: session.version,
    status: 'running',
    objective: {
      file: session.objectiveFile,
      name: session.objectiveName,
      terms: plan.trainProgram.terms,
      bindings: plan.trainProgram.bindings,
      labels: plan.trainProgram.labels,
      slots: plan.trainProgram.slots,
    },
    config: { ...config, data: config.data ?? null, out: session.out },
    dataPath: data.dataPath,
    model: plan.model,
    seed: config.seed,
    backend: { requested: config.backend, used: session.backend.used, description: session.backend.description },
    configHash: session.configHash,
    data: {
      subjects: data.cohort.subjects.count,
      trainSubjects: data.train.count,
      windows: data.windows.count,
      examples: plan.examples.length,
      stepsPerEpoch: plan.stepsPerEpoch,
      batch: plan.model.batch,
      nanAsMissing: data.cohort.nanAsMissing,
    },
    started: resumed !== undefined ? resumed.started : startedAt,
    sessions: [
      ...(resumed !== undefined ? resumed.sessions : []),
      { started: startedAt, fromStep: session.fromStep, lr: config.lr, backend: session.backend.used },
    ],
  };
}
