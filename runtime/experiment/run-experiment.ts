import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isDirectory } from '../data/dataset-files.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { writeSyntheticCohort } from '../data/synth/write-cohort.ts';
import type { BackendChoice } from '../executors/create-executor.ts';
import { writeComparison, type ComparisonFiles } from '../report/comparison-files.ts';
import type { ComparisonGroup } from '../report/comparison-report.ts';
import { evaluateWithReport, isEvaluated } from '../report/evaluate-with-report.ts';
import { readReportRun, type ReportRun } from '../report/report-run.ts';
import { aggregateRows, summarizeRun } from '../report/run-summary.ts';
import { ensureBundledCohort } from '../train/data/bundled-cohort.ts';
import { planExperiment, type ExperimentObjective, type Modality, type PlannedRun } from './experiment-plan.ts';
import { duration, progressLine } from './experiment-progress.ts';

/**
 * `dflc experiment`: trains every planned run with the real `dflc run` (a child process each, so a
 * run is exactly what a user gets from the command line, and a crash stays in its process),
 * evaluates it in this process as `dflc eval` would, and writes the comparison per modality. A run
 * folder that is already evaluated is kept, one that is half trained is resumed: an interrupted
 * experiment continues where it stopped when started again with the same --out.
 */
export interface ExperimentRequest {
  readonly modalities: readonly Modality[];
  readonly seeds: number;
  readonly out: string;
  readonly quick: boolean;
  /** A MEDS dataset; by default the bundled cohort (or, with quick, a small synthetic one in OUT/cohort). */
  readonly data: string | undefined;
  readonly task: string | undefined;
  readonly epochs: number | undefined;
  readonly backend: BackendChoice;
  readonly version: string;
  readonly env: NodeJS.ProcessEnv;
  /** Progress and notes, one line each. */
  readonly log: (line: string) => void;
  readonly now?: () => number;
}

/** The quick experiment's sizes: a smaller cohort, fewer epochs, fewer bootstrap resamples. */
export const QUICK = { patients: 1200, seed: 20261202, epochs: 2, resamples: 200 } as const;
export const FULL_RESAMPLES = 1000;
export const DEFAULT_TASK = 'mortality_1y';

export interface ExperimentOutcome {
  readonly task: string;
  readonly data: string;
  readonly groups: readonly ComparisonGroup[];
  readonly missing: readonly ExperimentObjective[];
  readonly failed: readonly { readonly run: string; readonly message: string }[];
  readonly files: ComparisonFiles;
  readonly seconds: number;
}

export async function runExperiment(request: ExperimentRequest): Promise<ExperimentOutcome> {
  const now = request.now ?? (() => performance.now());
  const started = now();
  const data = await experimentData(request);
  const task = await experimentTask(data, request.task);
  const epochs = request.epochs ?? (request.quick ? QUICK.epochs : undefined);
  const settings = [...(epochs === undefined ? [] : ['--epochs', String(epochs)]), '--backend', request.backend, '--resume'];
  const root = PACKAGE_ROOT;
  const plan = planExperiment({ modalities: request.modalities, seeds: request.seeds, out: request.out, root, data, task, settings, exists: existsSync });
  for (const o of plan.missing) request.log(`not run: ${o.name} (${o.file} is not in this dflc)`);

  const done: { planned: PlannedRun; run: ReportRun }[] = [];
  const failed: { run: string; message: string }[] = [];
  let finishedAt = started;
  for (const [i, planned] of plan.runs.entries()) {
    const name = `${planned.objective.name} · ${planned.modality} · seed ${planned.seed}`;
    const say = (what: string): void => request.log(progressLine(i, plan.runs.length, `${name}: ${what}`, now() - started, finishedAt - started));
    try {
      if (!(await isEvaluated(planned.dir))) {
        say('training');
        await trainRun(root, planned.args, request.env);
        say('evaluating');
        await evaluateWithReport({
          runDir: planned.dir,
          backend: request.backend,
          seed: 0,
          resamples: request.quick ? QUICK.resamples : FULL_RESAMPLES,
          version: request.version,
          env: request.env,
          log: () => undefined,
        });
      }
      const label = request.seeds > 1 ? `${planned.objective.name} s${planned.seed}` : planned.objective.name;
      done.push({ planned, run: await readReportRun(planned.dir, label) });
    } catch (error) {
      failed.push({ run: planned.dir, message: (error as Error).message });
      request.log(`failed: ${name}: ${(error as Error).message}`);
    }
    finishedAt = now();
  }

  const groups = request.modalities.map((modality): ComparisonGroup => {
    const mine = done.filter((d) => d.planned.modality === modality);
    const objectives = [...new Set(mine.map((d) => d.planned.objective.name))];
    return {
      heading: modality,
      task,
      runs: mine.filter((d) => d.planned.seed === 0).map((d) => ({ ...d.run, label: d.planned.objective.name })),
      rows:
        request.seeds > 1
          ? objectives.map((o) => aggregateRows(o, mine.filter((d) => d.planned.objective.name === o).map((d) => summarizeRun(o, d.run.result, task))))
          : mine.map((d) => summarizeRun(d.planned.objective.name, d.run.result, task)),
    };
  });
  const seconds = Math.round((now() - started) / 1000);
  const note =
    `${request.quick ? 'Quick experiment' : 'Experiment'} on ${data}: ${request.seeds} seed(s), ${epochs ?? 'default'} epochs, supervised task ${task}; ` +
    `finished in ${duration(seconds * 1000)}.` +
    (request.seeds > 1 ? ' Cells are means over seeds ± their standard deviation; the figures show seed 0.' : '') +
    (plan.missing.length > 0 ? ` Not run (objective file not in this dflc): ${plan.missing.map((o) => o.name).join(', ')}.` : '') +
    (failed.length > 0 ? ` Failed: ${failed.map((f) => f.run).join(', ')}.` : '');
  const files = await writeComparison(request.out, 'experiment', { title: 'dflc experiment', note, groups }, {
    experiment: {
      quick: request.quick,
      data,
      task,
      seeds: request.seeds,
      epochs: epochs ?? null,
      modalities: request.modalities,
      objectives: plan.runs.length === 0 ? [] : [...new Set(plan.runs.map((r) => r.objective.name))],
      missing: plan.missing.map((o) => ({ name: o.name, file: o.file })),
      failed,
      seconds,
    },
  });
  return { task, data, groups, missing: plan.missing, failed, files, seconds };
}

async function experimentData(request: ExperimentRequest): Promise<string> {
  if (request.data !== undefined) return request.data;
  if (!request.quick) return (await ensureBundledCohort(request.env)).path;
  const cohort = join(request.out, 'cohort');
  if (!(await isDirectory(join(cohort, 'data')))) {
    request.log(`generating a ${QUICK.patients}-patient synthetic cohort in ${cohort}`);
    await writeSyntheticCohort({ out: cohort, patients: QUICK.patients, seed: QUICK.seed });
  }
  return cohort;
}

/** A dataset or task the experiment cannot use; the message says which and why. */
export class ExperimentError extends Error {
  override name = 'ExperimentError';
}

/** The named task, which the dataset must have; by default mortality_1y when it has it, else its first task by name. */
async function experimentTask(data: string, named: string | undefined): Promise<string> {
  const labels = join(data, 'labels');
  const tasks = (await readdir(labels).catch(() => [] as string[])).map((f) => f.replace(/\.(parquet|csv)$/, '')).sort();
  if (tasks.length === 0) throw new ExperimentError(`${labels}: no label tasks, so nothing to probe or supervise`);
  if (named !== undefined && !tasks.includes(named)) throw new ExperimentError(`--task ${named}: ${labels} has no such task (tasks: ${tasks.join(', ')})`);
  return named ?? (tasks.includes(DEFAULT_TASK) ? DEFAULT_TASK : tasks[0]);
}

/** `dflc run ARGS` in a child process; a non-zero exit is an error carrying the end of its stderr. */
function trainRun(root: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'dflc.js'), 'run', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`dflc run exited with ${signal ?? code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`));
    });
  });
}
