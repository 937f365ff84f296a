import { PERTURBATIONS, type EvalResult } from '../eval/eval-result.ts';
import { intervalChart } from './chart/interval-chart.ts';
import { lineChart, type LineSeries } from './chart/line-chart.ts';
import type { ReportRun } from './report-run.ts';

/**
 * The report's charts, each over a list of runs: one series per run, so the run report (one run)
 * and the comparison report (several, overlaid, with a legend) draw the same figures.
 */
export function spectrumChart(runs: readonly ReportRun[]): string {
  return lineChart({
    id: 'spectrum',
    title: 'Covariance spectrum (held-out embeddings)',
    xLabel: 'eigenvalue index, largest first',
    yLabel: 'eigenvalue (log)',
    yLog: true,
    xCounts: true,
    series: runs.map((r) => ({ name: r.label, points: r.spectrum.map((v, i) => [i + 1, v] as const) })),
  });
}

/** One run's loss and each of its objective's terms, over training steps. */
export function lossAndTermsChart(run: ReportRun): string {
  return lineChart({
    id: 'loss',
    title: 'Training loss and its terms',
    xLabel: 'step',
    xCounts: true,
    yLabel: 'value',
    series: [{ name: 'loss', points: run.curves.loss }, ...run.curves.terms],
  });
}

/** Several runs' losses (their terms differ from objective to objective, so only the total). */
export function lossChart(runs: readonly ReportRun[]): string {
  return lineChart({ id: 'loss', title: 'Training loss', xLabel: 'step', xCounts: true, yLabel: 'loss', series: runs.map((r) => ({ name: r.label, points: r.curves.loss })) });
}

export function trainingRankChart(runs: readonly ReportRun[]): string {
  return lineChart({
    id: 'training-rank',
    title: 'Effective rank of the batch embedding during training',
    xLabel: 'step',
    xCounts: true,
    yLabel: 'effective rank',
    series: runs.map((r) => ({ name: r.label, points: r.curves.effectiveRank })),
  });
}

export function ckaChart(runs: readonly ReportRun[]): string {
  return lineChart({
    id: 'stability-cka',
    title: 'Temporal stability: CKA of window t with t+1',
    xLabel: 'window t',
    xCounts: true,
    yLabel: 'linear CKA',
    series: stabilitySeries(runs, (s, i) => s.cka_consecutive[i]),
  });
}

export function anglesChart(runs: readonly ReportRun[]): string {
  const k = runs.find((r) => r.result.stability !== null)?.result.stability?.k;
  return lineChart({
    id: 'stability-angles',
    title: `Temporal stability: mean principal angle, top-${k ?? 'k'} subspaces`,
    xLabel: 'window t',
    xCounts: true,
    yLabel: 'degrees (0 = same subspace)',
    series: stabilitySeries(runs, (s, i) => mean(s.principal_angles_deg[i])),
  });
}

export function aurocChart(runs: readonly ReportRun[]): string {
  const tasks = taskNames(runs);
  return intervalChart({
    id: 'probes-auroc',
    title: 'Linear probes: held-out AUROC with 95% interval',
    xLabel: 'AUROC (0.5 = chance)',
    rows: tasks.map((label) => ({ label })),
    include: [0.5, 1],
    series: probeSeries(runs, tasks, 'auroc'),
  });
}

export function auprcChart(runs: readonly ReportRun[]): string {
  const tasks = taskNames(runs);
  return intervalChart({
    id: 'probes-auprc',
    title: 'Linear probes: held-out AUPRC with 95% interval',
    xLabel: 'AUPRC',
    rows: tasks.map((label) => ({ label, reference: runs.flatMap((r) => r.result.probes).find((p) => p.task === label)?.prevalence })),
    referenceLabel: 'prevalence, the AUPRC of a random score',
    include: [0, 1],
    series: probeSeries(runs, tasks, 'auprc'),
  });
}

/** Per run, one probe metric of each task with its 95% interval (undefined where the run did not probe the task). */
function probeSeries(runs: readonly ReportRun[], tasks: readonly string[], metric: 'auroc' | 'auprc') {
  return runs.map((r) => ({
    name: r.label,
    values: tasks.map((t) => {
      const p = r.result.probes.find((q) => q.task === t);
      return p && { estimate: p[metric], low: p[`${metric}_ci`][0], high: p[`${metric}_ci`][1] };
    }),
  }));
}

/** Per perturbation, the AUROC drop averaged over tasks. */
export function robustnessChart(runs: readonly ReportRun[]): string {
  const present = PERTURBATIONS.filter((p) => runs.some((r) => r.result.robustness.some((x) => x.perturbation === p)));
  return intervalChart({
    id: 'robustness',
    title: 'Robustness: AUROC drop on damaged held-out inputs (mean over tasks)',
    xLabel: 'clean AUROC minus damaged AUROC (0 = unaffected)',
    rows: present.map((p) => ({ label: PERTURBATION_LABELS[p] })),
    baseline: 0,
    series: runs.map((r) => ({
      name: r.label,
      values: present.map((p) => {
        const drops = r.result.robustness.filter((x) => x.perturbation === p).map((x) => x.auroc_drop);
        return drops.length === 0 ? undefined : { estimate: mean(drops) };
      }),
    })),
  });
}

export function latentChart(runs: readonly ReportRun[]): string {
  const n = Math.max(0, ...runs.map((r) => r.result.latent_r2?.n_latents ?? 0));
  return intervalChart({
    id: 'latent-r2',
    title: 'Ground-truth latent state: held-out R² per latent dimension',
    xLabel: 'R² (1 = recovered exactly by a linear map)',
    rows: Array.from({ length: n }, (_, i) => ({ label: `latent ${i + 1}` })),
    baseline: 0,
    include: [1],
    series: runs.map((r) => ({ name: r.label, values: Array.from({ length: n }, (_, i) => {
      const v = r.result.latent_r2?.r2_per_latent[i];
      return v === undefined ? undefined : { estimate: v };
    }) })),
  });
}

export const PERTURBATION_LABELS: Readonly<Record<(typeof PERTURBATIONS)[number], string>> = {
  codes_10: '10% of codes dropped',
  codes_30: '30% of codes dropped',
  notes_dropped: 'notes removed',
  modality_missing_E: 'no EHR (codes)',
  modality_missing_T: 'no text (notes)',
};

/** Every task any run probed, by name. */
export function taskNames(runs: readonly ReportRun[]): string[] {
  return [...new Set(runs.flatMap((r) => r.result.probes.map((p) => p.task)))].sort();
}

function stabilitySeries(runs: readonly ReportRun[], value: (s: NonNullable<EvalResult['stability']>, i: number) => number): LineSeries[] {
  return runs.map((r) => {
    const s = r.result.stability;
    return { name: r.label, points: s === null ? [] : s.window.map((t, i) => [t, value(s, i)] as const) };
  });
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((s, v) => s + v, 0) / values.length;
}
