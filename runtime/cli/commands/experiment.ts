import { resolve } from 'node:path';
import { EXPERIMENT_OBJECTIVES, MODALITIES, type Modality } from '../../experiment/experiment-plan.ts';
import { DataError } from '../../data/data-error.ts';
import { DEFAULT_TASK, ExperimentError, FULL_RESAMPLES, QUICK, runExperiment } from '../../experiment/run-experiment.ts';
import { textTable } from '../../report/summary-table.ts';
import { UsageError, type Command } from '../command.ts';
import { version } from '../general-help.ts';
import { parseBackend } from './embed.ts';

export const experimentCommand: Command = {
  name: 'experiment',
  summary: 'train the card objective and the baselines per modality, evaluate each, and compare them',
  help: `Usage: dflc experiment [--quick] [--modalities ehr,text,multimodal] [--seeds N] [--out DIR]
                       [--data DIR] [--task NAME] [--epochs N] [--backend B]

For each modality, trains on the same data and seeds:
${EXPERIMENT_OBJECTIVES.map((o) => `  ${o.name.padEnd(11)}${o.file.padEnd(35)}${o.explain}`).join('\n')}
evaluates each run as \`dflc eval\` does, prints one table per modality and writes
experiment.md, experiment.json and experiment.html (the runs side by side, figures overlaid).
An objective whose file is not in this dflc is named as not run; no number stands in for it.

Each run is a real \`dflc run\` (its folder under OUT/runs/<modality>/<objective>-seed<k>, with
its own eval/report.html). Started again with the same --out, an experiment keeps the runs already
evaluated and resumes a run that was cut short.

--quick: a ${QUICK.patients}-patient synthetic cohort generated into OUT/cohort (unless --data),
${QUICK.epochs} epochs per run and ${QUICK.resamples} bootstrap resamples (${FULL_RESAMPLES} otherwise): its 15
runs took 2 min 34 s of wall time on two cores (while a test suite ran beside them). Its
intervals are wide: a quick look, not a result.

Columns: as in dflc compare (dflc compare --help); the task AUROC column is the supervised task.
With several seeds each cell is the mean over seeds ± their standard deviation.

Options:
      --quick              small cohort, few epochs (above)
      --modalities LIST    comma-separated, from ${MODALITIES.join(', ')} (default all three)
      --seeds N            seeds 0..N-1 for every objective (default 1)
  -o, --out DIR            output folder (default experiments/<date>-<time>)
      --data DIR           MEDS dataset (default: the bundled cohort; with --quick, the small one)
      --task NAME          the supervised baseline's task and the table's AUROC column
                           (default ${DEFAULT_TASK} when the data has it, else its first task by name)
      --epochs N           epochs per run (default: dflc run's, or ${QUICK.epochs} with --quick)
      --backend B          engine for training and evaluation (default auto)
  -h, --help               show this help

Example:
  dflc experiment --quick --out runs/quick
  dflc experiment --modalities ehr --seeds 3 --out runs/ehr-3-seeds`,
  options: {
    quick: { type: 'boolean' },
    modalities: { type: 'string' },
    seeds: { type: 'string' },
    out: { type: 'string', short: 'o' },
    data: { type: 'string' },
    task: { type: 'string' },
    epochs: { type: 'string' },
    backend: { type: 'string' },
  },
  run: async ({ values, positionals }, io) => {
    if (positionals.length > 0) throw new UsageError(`experiment takes no positional arguments, got '${positionals[0]}'`);
    const modalities = parseModalities(values.modalities);
    const seeds = parsePositive('--seeds', values.seeds) ?? 1;
    const epochs = parsePositive('--epochs', values.epochs);
    const out = resolve(io.cwd, values.out === undefined ? defaultOut(new Date()) : String(values.out));
    let outcome;
    try {
      outcome = await runExperiment({
        modalities,
        seeds,
        out,
        quick: values.quick === true,
        data: values.data === undefined ? undefined : resolve(io.cwd, String(values.data)),
        task: values.task === undefined ? undefined : String(values.task),
        epochs,
        backend: parseBackend(values.backend),
        version: version(),
        env: process.env,
        log: (line) => io.stderr(`${line}\n`),
      });
    } catch (error) {
      if (error instanceof ExperimentError || error instanceof DataError) {
        io.stderr(`dflc experiment: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    for (const g of outcome.groups) io.stdout(`\n${g.heading}\n${textTable(g.rows ?? [], outcome.task)}`);
    if (outcome.missing.length > 0) io.stdout(`\nnot run (objective file not in this dflc): ${outcome.missing.map((o) => `${o.name} (${o.file})`).join(', ')}\n`);
    for (const f of outcome.failed) io.stdout(`failed: ${f.run}: ${f.message}\n`);
    io.stdout(`\nwrote ${outcome.files.md}, ${outcome.files.json}, ${outcome.files.html} (${outcome.seconds} s)\n`);
    return outcome.failed.length > 0 ? 1 : 0;
  },
};

function parseModalities(value: unknown): Modality[] {
  if (value === undefined) return [...MODALITIES];
  const list = String(value).split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const m of list) if (!(MODALITIES as readonly string[]).includes(m)) throw new UsageError(`--modalities: '${m}' is not one of ${MODALITIES.join(', ')}`);
  if (list.length === 0) throw new UsageError('--modalities needs at least one modality');
  return [...new Set(list)] as Modality[];
}

function parsePositive(option: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${option} must be a positive integer, got '${String(value)}'`);
  return n;
}

/** experiments/<YYYYMMDD-HHMMSS> (UTC) under the working folder. */
function defaultOut(date: Date): string {
  return `experiments/${date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
}
