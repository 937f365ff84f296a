import { escapeText } from './escape.ts';
import { charts, page, section, table } from './page.ts';
import { anglesChart, aurocChart, auprcChart, ckaChart, latentChart, lossChart, robustnessChart, spectrumChart, trainingRankChart } from './report-charts.ts';
import type { ReportRun } from './report-run.ts';
import { COLUMNS, columnHeader, summarizeRun, type SummaryRow } from './run-summary.ts';
import { formatCell } from './summary-table.ts';

/**
 * `compare.html` and `experiment.html`: evaluated runs side by side: the summary table first,
 * then the run report's figures with every run overlaid (one colour each, a legend). An experiment
 * has one group per modality, each under its own heading.
 */
export interface ComparisonGroup {
  /** The group's heading; none for a single group. */
  readonly heading?: string;
  /** The task of the table's task-AUROC column. */
  readonly task: string;
  /** The runs drawn in the charts. */
  readonly runs: readonly ReportRun[];
  /** The table's rows; by default one per run. Experiments pass rows averaged over seeds. */
  readonly rows?: readonly SummaryRow[];
}

export interface ComparisonReport {
  readonly title: string;
  /** A line under the title (what was run, on what). */
  readonly note?: string;
  readonly groups: readonly ComparisonGroup[];
}

export function renderComparisonReport(report: ComparisonReport): string {
  const body = [
    `<h1>${escapeText(report.title)}</h1>`,
    report.note === undefined ? '' : `<p class="meta">${escapeText(report.note)}</p>`,
    ...report.groups.map((g, i) => groupSections(g, report.groups.length === 1 ? '' : `g${i}-`)),
  ];
  return page(report.title, body.join('\n'));
}

/** The rows a group's table shows. */
export function groupRows(group: ComparisonGroup): readonly SummaryRow[] {
  return group.rows ?? group.runs.map((r) => summarizeRun(r.label, r.result, group.task));
}

function groupSections(group: ComparisonGroup, prefix: string): string {
  const { runs, task } = group;
  const level = group.heading === undefined ? 2 : 3;
  const trained = runs.filter((r) => r.curves.loss.length > 0);
  const untrained = runs.filter((r) => r.curves.loss.length === 0).map((r) => r.label);
  const part = (id: string, heading: string, explain: string, content: string): string => section(`${prefix}${id}`, heading, explain, content, level);
  return [
    group.heading === undefined ? '' : `<h2 class="group" id="${escapeText(prefix)}">${escapeText(group.heading)}</h2>`,
    part(
      'summary',
      'Side by side',
      'One row per run; – where a run has no such measurement.',
      table(['run', ...COLUMNS.map((c) => columnHeader(c, task).header)], groupRows(group).map((r) => [r.label, ...COLUMNS.map((c) => formatCell(c, r.cells[c]))])) +
        `<ul class="notes">${COLUMNS.map((c) => {
          const h = columnHeader(c, task);
          return `<li><b>${escapeText(h.header)}</b>: ${escapeText(h.explain)}</li>`;
        }).join('')}</ul>` +
        table(
          ['run', 'objective', 'modality', 'steps', 'folder'],
          runs.map((r) => [r.label, r.result.run.objective, r.result.run.modality, String(r.result.run.steps), r.result.run.dir]),
        ),
    ),
    part('geometry', 'Geometry', 'Covariance spectra of the held-out embeddings: flatter is more spread out.', charts(spectrumChart(runs))),
    part(
      'training',
      'Training',
      untrained.length > 0 ? `Loss per step, and the effective rank of the batch embedding; runs without training steps (${untrained.join(', ')}) have no curves.` : 'Loss per step, and the effective rank of the batch embedding.',
      trained.length === 0 ? '' : charts(lossChart(trained), trainingRankChart(trained)),
    ),
    part('probes', 'Linear probes', 'Held-out AUROC and AUPRC of linear probes, with bootstrap 95% intervals.', charts(aurocChart(runs), auprcChart(runs))),
    part('stability', 'Stability across time', 'Same subjects at consecutive windows: CKA (1 = same geometry) and mean principal angle (0° = same subspace).', charts(ckaChart(runs), anglesChart(runs))),
    part('robustness', 'Robustness', 'AUROC lost on damaged held-out inputs, mean over tasks.', charts(robustnessChart(runs))),
    runs.some((r) => r.result.latent_r2 !== null) ? part('latent', 'Ground-truth latent state', 'Held-out R² of each latent dimension from the embedding.', charts(latentChart(runs))) : '',
  ].join('\n');
}
