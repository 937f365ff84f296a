import type { EvalResult } from '../eval/eval-result.ts';

/**
 * The side-by-side numbers of `dflc compare` and `dflc experiment`: one row per run (or per
 * objective, averaged over seeds), the same columns for every run. A cell is null where the run
 * has no such measurement (no consecutive windows, no latents, no such task).
 */
export interface Cell {
  readonly value: number;
  /** A 95% interval (single runs), when the metric has one. */
  readonly interval?: readonly [number, number];
  /** Standard deviation over seeds (aggregated rows), with the number of runs averaged. */
  readonly spread?: { readonly sd: number; readonly n: number };
}

export const COLUMNS = ['effective_rank', 'condition_number', 'temporal_cka', 'task_auroc', 'transfer_auroc', 'robustness_drop', 'latent_r2'] as const;
export type Column = (typeof COLUMNS)[number];

export interface SummaryRow {
  readonly label: string;
  readonly cells: Readonly<Record<Column, Cell | null>>;
}

/**
 * What each column is, for table headers and the explanations under them. `task` names the task
 * of `task_auroc`.
 */
export function columnHeader(column: Column, task: string): { readonly header: string; readonly explain: string } {
  switch (column) {
    case 'effective_rank':
      return { header: 'eff. rank', explain: 'effective rank of the held-out embedding covariance (Roy and Vetterli); at most the width d' };
    case 'condition_number':
      return { header: 'cond.', explain: 'condition number of that covariance (largest over smallest eigenvalue); lower is better conditioned' };
    case 'temporal_cka':
      return { header: 'temporal CKA', explain: 'linear CKA of the same subjects at consecutive windows, mean over window pairs; 1 = geometry kept over time' };
    case 'task_auroc':
      return { header: `AUROC ${task}`, explain: `held-out AUROC of a linear probe on ${task}, with its bootstrap 95% interval` };
    case 'transfer_auroc':
      return {
        header: 'transfer AUROC',
        explain: `mean held-out probe AUROC over the other tasks; interval: the mean of their 95% bounds (conservative)`,
      };
    case 'robustness_drop':
      return { header: 'AUROC drop', explain: 'clean minus damaged held-out AUROC, mean over every perturbation and task measured; lower is more robust' };
    case 'latent_r2':
      return { header: 'latent R²', explain: 'held-out R² of the ground-truth latent state from the embedding (ridge)' };
  }
}

/** The row of one evaluated run; `task` is the task whose AUROC has its own column. */
export function summarizeRun(label: string, result: EvalResult, task: string): SummaryRow {
  const probe = result.probes.find((p) => p.task === task);
  const others = result.probes.filter((p) => p.task !== task);
  const cka = result.stability?.cka_consecutive ?? [];
  return {
    label,
    cells: {
      effective_rank: { value: result.geometry.effective_rank },
      condition_number: { value: result.geometry.condition_number },
      temporal_cka: cka.length > 0 ? { value: mean(cka) } : null,
      task_auroc: probe === undefined ? null : { value: probe.auroc, interval: probe.auroc_ci },
      transfer_auroc:
        others.length === 0
          ? null
          : { value: mean(others.map((p) => p.auroc)), interval: [mean(others.map((p) => p.auroc_ci[0])), mean(others.map((p) => p.auroc_ci[1]))] },
      robustness_drop: result.robustness.length > 0 ? { value: mean(result.robustness.map((r) => r.auroc_drop)) } : null,
      latent_r2: result.latent_r2 === null ? null : { value: result.latent_r2.r2 },
    },
  };
}

/**
 * Rows of the same objective over several seeds, as one: each cell the mean of the runs that have
 * it, with their sample standard deviation (0 for a single run).
 */
export function aggregateRows(label: string, rows: readonly SummaryRow[]): SummaryRow {
  const cells = {} as Record<Column, Cell | null>;
  for (const column of COLUMNS) {
    const values = rows.flatMap((r) => (r.cells[column] === null ? [] : [r.cells[column].value]));
    if (values.length === 0) {
      cells[column] = null;
      continue;
    }
    const m = mean(values);
    const sd = values.length < 2 ? 0 : Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
    cells[column] = { value: m, spread: { sd, n: values.length } };
  }
  return { label, cells };
}

/** The task a comparison singles out when none is named: the first task (by name) every run probed. */
export function defaultTask(results: readonly EvalResult[]): string | undefined {
  const [first, ...rest] = results.map((r) => new Set(r.probes.map((p) => p.task)));
  if (first === undefined) return undefined;
  return [...first].sort().find((t) => rest.every((s) => s.has(t)));
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
