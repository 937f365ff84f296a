import { basename, dirname, relative, resolve } from 'node:path';
import { DataError } from '../../data/data-error.ts';
import { DEFAULT_BOOTSTRAP } from '../../eval/metrics/bootstrap.ts';
import { BackendUnavailableError } from '../../executors/executor.ts';
import { evaluateWithReport, isEvaluated } from '../../report/evaluate-with-report.ts';
import { EvalFileError, readReportRun, type ReportRun } from '../../report/report-run.ts';
import { RunError } from '../../train/run-error.ts';
import { version } from '../general-help.ts';
import { writeComparison } from '../../report/comparison-files.ts';
import { defaultTask, summarizeRun } from '../../report/run-summary.ts';
import { textTable } from '../../report/summary-table.ts';
import { UsageError, type Command, type CommandIo } from '../command.ts';

export const compareCommand: Command = {
  name: 'compare',
  summary: 'evaluated runs side by side: one table, and a report with their plots overlaid',
  help: `Usage: dflc compare RUN... [--task NAME] [--out DIR]

Reads each RUN/eval/metrics.json (written by \`dflc eval RUN\`; a run without one is evaluated
first, as \`dflc eval RUN\` with its defaults would), prints one table with a row per run, and
writes it with an HTML report of the runs' figures overlaid (spectra, training curves, probes,
stability, robustness, latent R²).

Columns:
  eff. rank        effective rank of the held-out embedding covariance (at most the width d)
  cond.            its condition number (largest over smallest eigenvalue)
  temporal CKA     linear CKA of the same subjects at consecutive windows, mean over window pairs
  AUROC TASK       held-out AUROC of the linear probe on TASK, with its bootstrap 95% interval
  transfer AUROC   mean held-out probe AUROC over the other tasks; the interval is the mean of
                   their 95% bounds (conservative)
  AUROC drop       clean minus damaged AUROC, mean over every perturbation and task measured
  latent R²        held-out R² of the ground-truth latent state (synthetic data only)
A dash marks what a run did not measure.

Writes into --out (default ./compare):
  compare.md       the table in Markdown, with the columns explained
  compare.json     the same rows as numbers ({value, interval?} per cell) and the runs compared
  compare.html     the table and the overlaid figures; one self-contained file (opens offline)

Options:
      --task NAME   the task of the AUROC column (default: the first, by name, every run probed)
  -o, --out DIR     output folder (default ./compare)
  -h, --help        show this help

Example:
  dflc compare runs/card runs/vicreg runs/barlow --task mortality --out runs/compared`,
  options: {
    task: { type: 'string' },
    out: { type: 'string', short: 'o' },
  },
  run: async ({ values, positionals }, io) => {
    if (positionals.length === 0) throw new UsageError('compare takes one or more RUN folders (written by dflc run)');
    const dirs = positionals.map((p) => resolve(io.cwd, p));
    const labels = runLabels(dirs);
    const runs: ReportRun[] = [];
    for (const [i, dir] of dirs.entries()) {
      try {
        if (!(await isEvaluated(dir))) {
          io.stderr(`evaluating ${positionals[i]} (it has no eval/metrics.json; as dflc eval ${positionals[i]} would)\n`);
          await evaluateWithReport({ runDir: dir, backend: 'auto', seed: 0, resamples: DEFAULT_BOOTSTRAP.resamples, version: version(), env: process.env, log: (line) => io.stderr(`${line}\n`) });
        }
        runs.push(await readReportRun(dir, labels[i]));
      } catch (error) {
        if (error instanceof RunError || error instanceof DataError || error instanceof BackendUnavailableError || error instanceof EvalFileError) return fail(io, error.message);
        throw error;
      }
    }
    const task = values.task === undefined ? defaultTask(runs.map((r) => r.result)) : String(values.task);
    if (task === undefined) return fail(io, 'the runs share no probed task; name one with --task');
    if (!runs.some((r) => r.result.probes.some((p) => p.task === task))) {
      const known = [...new Set(runs.flatMap((r) => r.result.probes.map((p) => p.task)))].sort();
      throw new UsageError(`--task ${task}: no run probed it (tasks: ${known.join(', ') || 'none'})`);
    }
    io.stdout(textTable(runs.map((r) => summarizeRun(r.label, r.result, task)), task));
    const out = resolve(io.cwd, values.out === undefined ? 'compare' : String(values.out));
    const files = await writeComparison(out, 'compare', { title: `dflc compare: ${labels.join(', ')}`, groups: [{ task, runs }] });
    io.stdout(`wrote ${display(io, files.md)}, ${display(io, files.json)}, ${display(io, files.html)}\n`);
    return 0;
  },
};

/** Each run's name in tables and legends: its folder's name, with the parent's where two share one. */
export function runLabels(dirs: readonly string[]): string[] {
  const names = dirs.map((d) => basename(d));
  return names.map((n, i) => (names.filter((m) => m === n).length > 1 ? `${basename(dirname(dirs[i]))}/${n}` : n));
}

function display(io: CommandIo, path: string): string {
  const rel = relative(io.cwd, path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

function fail(io: CommandIo, message: string): number {
  io.stderr(`dflc compare: ${message}\n`);
  return 1;
}
