import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cohort } from '../data/cohort.ts';
import { embedCohort, type EmbedStream, type Embedding } from '../embed/embed-cohort.ts';
import { embedPoints, pointsEndingAt, restrictPoints, type EmbedPoints } from '../embed/embed-points.ts';
import { openRun, type OpenedRun } from '../embed/opened-run.ts';
import { createExecutor, type BackendChoice } from '../executors/create-executor.ts';
import type { Executor } from '../executors/executor.ts';
import { atomicWrite } from '../io/atomic-write.ts';
import { formatNpy } from '../io/npy.ts';
import { encoderWindows } from '../train/outputs/trained-encoder.ts';
import { measureAlignment } from './alignment.ts';
import { checkEvalResult, EVAL_SCHEMA_VERSION, METRICS_FILE, SPECTRUM_FILE, type EvalResult, type ProbeResult, type RobustnessResult } from './eval-result.ts';
import { measureGeometry } from './geometry.ts';
import { readGroundTruth, truthKey } from './ground-truth.ts';
import { measureLatentR2, type LatentRows } from './latent-r2.ts';
import { auroc } from './metrics/auroc.ts';
import { DEFAULT_BOOTSTRAP, type BootstrapOptions } from './metrics/bootstrap.ts';
import { probeScores, type LabelledRows, type LinearProbe } from './metrics/linear-probe.ts';
import { matrix64, selectRows, type Matrix64 } from './metrics/matrix64.ts';
import { perturbationsFor, perturbCohort } from './perturb-cohort.ts';
import { probeTask } from './probe-task.ts';
import { measureStability } from './stability.ts';

export const EVAL_DIR = 'eval';

export interface EvalRequest {
  readonly runDir: string;
  /** Dataset to evaluate on (default: the run's). */
  readonly data?: string;
  readonly backend: BackendChoice;
  readonly seed: number;
  readonly resamples: number;
  readonly version: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
  /** Called as each stage starts: how many of `total` are done, and what runs now. */
  readonly onProgress?: (done: number, total: number, stage: string) => void;
}

export interface EvalOutcome {
  readonly result: EvalResult;
  readonly evalDir: string;
}

const TRAIN = 0;
const TUNING = 1;
const HELD_OUT = 2;

/**
 * `dflc eval`: measures a trained run on held-out data (docs/eval.md says what each number is)
 * and writes RUN/eval/metrics.json (validated against the schema) and RUN/eval/spectrum.npy.
 */
export async function evaluateRun(request: EvalRequest): Promise<EvalOutcome> {
  const run = await openRun(request.runDir, { data: request.data, env: request.env, log: request.log });
  const { executor } = await createExecutor(request.backend);
  try {
    return await evaluateOpened(run, executor, request);
  } finally {
    executor.dispose();
  }
}

async function evaluateOpened(run: OpenedRun, executor: Executor, request: EvalRequest): Promise<EvalOutcome> {
  const { cohort, encoder, labels } = run;
  const modality = encoder.config.modality;
  const perturbations = labels.length > 0 ? perturbationsFor(modality) : [];
  const total = 3 + labels.length + perturbations.length;
  let done = 0;
  const stage = (label: string): void => request.onProgress?.(done++, total, label);
  const skipped: { what: string; reason: string }[] = [];
  const bootstrap: BootstrapOptions = { ...DEFAULT_BOOTSTRAP, resamples: request.resamples, seed: request.seed };

  // Embeddings at prediction times (or, without labels, each subject's last window).
  stage(labels.length > 0 ? 'embedding at prediction times' : 'embedding last windows');
  const points = embedPoints(cohort, run.grid, labels, labels.length > 0 ? 'prediction-times' : 'last', run.hasData);
  if (points.missingSubjects > 0) request.log(`${points.missingSubjects} label row(s) name subjects not in the data: left out`);
  const clean = await embedCohort(encoder, executor, cohort, points);
  const z = streamMatrix(clean, 'Z');

  // Geometry on one row per subject of the measured split: its first point.
  const measuredSplit = cohort.subjects.split.includes(HELD_OUT) ? HELD_OUT : TRAIN;
  const splitName = measuredSplit === HELD_OUT ? 'held_out' : 'train';
  const firstRows = firstRowPerSubject(points, cohort, measuredSplit);
  if (firstRows.length < 2) throw new Error(`${splitName}: fewer than 2 subjects to measure`);
  const geometry = measureGeometry(selectRows(z, firstRows), splitName, SPECTRUM_FILE);

  stage('embedding every window for stability');
  const inSplit = Uint8Array.from(cohort.subjects.split, (s) => (s === measuredSplit ? 1 : 0));
  const windows = restrictPoints(embedPoints(cohort, run.grid, labels, 'all-windows', run.hasData), inSplit);
  const windowZ = streamMatrix(await embedCohort(encoder, executor, cohort, windows, ['Z']), 'Z');
  const stability = measureStability(windowZ, windows.subject, windows.windowIndex!);
  if (stability === null) skipped.push({ what: 'stability', reason: `no two consecutive windows share ${splitName} subjects enough` });

  // Probes, one per task.
  if (labels.length === 0) skipped.push({ what: 'probes', reason: `${join(run.dataPath, 'labels')} holds no label tasks` });
  const rowOf = rowIndex(points);
  const probes: ProbeResult[] = [];
  const fitted: { task: string; probe: LinearProbe; heldOut: { rows: number[]; y: number[] }; auroc: number }[] = [];
  for (const task of labels) {
    stage(`probe ${task.name}`);
    const bySplit = [0, 1, 2].map(() => ({ rows: [] as number[], y: [] as number[] }));
    for (let i = 0; i < task.count; i++) {
      const s = cohort.subjects.indexOf.get(task.subjectId[i]);
      if (s === undefined || task.value[i] < 0) continue;
      const split = cohort.subjects.split[s];
      if (split > HELD_OUT) continue;
      bySplit[split].rows.push(rowOf.get(`${s}:${task.predictionTime[i]}`)!);
      bySplit[split].y.push(task.value[i]);
    }
    const labelled = (split: number): LabelledRows => ({ x: selectRows(z, bySplit[split].rows), y: bySplit[split].y });
    const outcome = probeTask(task.name, { train: labelled(TRAIN), tuning: labelled(TUNING), heldOut: labelled(HELD_OUT) }, bootstrap);
    if ('skipped' in outcome) skipped.push({ what: `probe ${task.name}`, reason: outcome.skipped });
    else {
      probes.push(outcome.result);
      fitted.push({ task: task.name, probe: outcome.probe, heldOut: bySplit[HELD_OUT], auroc: outcome.result.auroc });
    }
  }

  // Robustness: held-out subjects' windows re-encoded from damaged data, scored by the clean probes.
  const robustness: RobustnessResult[] = [];
  const heldOutMask = Uint8Array.from(cohort.subjects.split, (s) => (s === HELD_OUT ? 1 : 0));
  const heldOutPoints = restrictPoints(points, heldOutMask);
  for (const perturbation of perturbations) {
    stage(`robustness ${perturbation}`);
    if (fitted.length === 0) continue;
    const damaged = perturbCohort(cohort, perturbation, heldOutMask, request.seed);
    const damagedPoints = pointsEndingAt(damaged, encoderWindows(encoder, damaged), heldOutPoints);
    const damagedZ = streamMatrix(await embedCohort(encoder, executor, damaged, damagedPoints, ['Z']), 'Z');
    const damagedRow = rowIndex(damagedPoints);
    for (const { task, probe, heldOut, auroc: cleanAuroc } of fitted) {
      const rows = heldOut.rows.map((r) => damagedRow.get(`${points.subject[r]}:${points.time[r]}`)!);
      const value = auroc(probeScores(probe, selectRows(damagedZ, rows)), heldOut.y);
      if (value !== undefined) robustness.push({ perturbation, task, auroc: value, auroc_drop: cleanAuroc - value });
    }
  }

  const alignment = modality === 'multimodal' ? measureAlignment(selectRows(streamMatrix(clean, 'E'), firstRows), selectRows(streamMatrix(clean, 'T'), firstRows)) : null;

  stage('latent R²');
  const latent = await latentR2(run, points, z);
  if (typeof latent === 'string') skipped.push({ what: 'latent_r2', reason: latent });

  const result = checkEvalResult(
    {
      format: 'dflc-eval',
      version: EVAL_SCHEMA_VERSION,
      run: {
        dir: run.dir,
        objective: run.record.objective.name,
        objective_file: run.record.objective.file,
        modality,
        data: request.data === undefined && run.record.config.data === null ? null : run.dataPath,
        steps: run.record.steps ?? 0,
        dflc: request.version,
        evaluated_at: new Date().toISOString(),
        seed: request.seed,
        bootstrap: { resamples: bootstrap.resamples, level: bootstrap.level },
      },
      geometry: geometry.result,
      stability,
      probes,
      robustness,
      alignment,
      latent_r2: typeof latent === 'string' ? null : latent,
      skipped,
    },
    join(run.dir, EVAL_DIR, METRICS_FILE),
  );
  const evalDir = join(run.dir, EVAL_DIR);
  await mkdir(evalDir, { recursive: true });
  await atomicWrite(join(evalDir, SPECTRUM_FILE), formatNpy({ dtype: 'float64', shape: [geometry.spectrum.length], data: geometry.spectrum }));
  await atomicWrite(join(evalDir, METRICS_FILE), JSON.stringify(result, null, 2) + '\n');
  request.onProgress?.(total, total, 'done');
  return { result, evalDir };
}

function streamMatrix(embedding: Embedding, stream: EmbedStream): Matrix64 {
  const { data, dim } = embedding.streams.get(stream)!;
  return matrix64(data, data.length / dim, dim);
}

/** Row of each (subject index, time) point. */
function rowIndex(points: EmbedPoints): Map<string, number> {
  const rows = new Map<string, number>();
  for (let r = 0; r < points.subject.length; r++) rows.set(`${points.subject[r]}:${points.time[r]}`, r);
  return rows;
}

/** The first row (earliest point) of each subject of `split`; points are sorted by subject then time. */
function firstRowPerSubject(points: EmbedPoints, cohort: Cohort, split: number): number[] {
  const rows: number[] = [];
  for (let r = 0; r < points.subject.length; r++) {
    const s = points.subject[r];
    if (cohort.subjects.split[s] === split && (r === 0 || points.subject[r - 1] !== s)) rows.push(r);
  }
  return rows;
}

/** Latent R² when the dataset has ground truth; otherwise the reason it was not measured. */
async function latentR2(run: OpenedRun, points: EmbedPoints, z: Matrix64): Promise<ReturnType<typeof measureLatentR2>> {
  const truth = await readGroundTruth(run.dataPath);
  if (truth === undefined) return 'the dataset has no ground-truth latents (truth/)';
  const bySplit = [0, 1, 2].map(() => ({ rows: [] as number[], truth: [] as number[] }));
  for (let r = 0; r < points.subject.length; r++) {
    const s = points.subject[r];
    const t = truth.rowOf.get(truthKey(run.cohort.subjects.id[s], points.time[r]));
    const split = run.cohort.subjects.split[s];
    if (t === undefined || split > HELD_OUT) continue;
    bySplit[split].rows.push(r);
    bySplit[split].truth.push(t);
  }
  const rows = (split: number): LatentRows => ({ x: selectRows(z, bySplit[split].rows), y: selectRows(truth.latents, bySplit[split].truth) });
  return measureLatentR2(rows(TRAIN), rows(TUNING), rows(HELD_OUT));
}
