import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite } from '../io/atomic-write.ts';
import { renderComparisonReport, type ComparisonReport } from './comparison-report.ts';
import { COLUMNS, columnHeader, summarizeRun, type SummaryRow } from './run-summary.ts';
import { markdownTable } from './summary-table.ts';

/**
 * The three files of a comparison, `NAME.md`, `NAME.json` and `NAME.html` in `out` (each written
 * atomically): `dflc compare` writes compare.*, `dflc experiment` experiment.*. The JSON holds the
 * table's rows with the columns' meaning, and `extra` (what the experiment ran, for instance).
 */
export interface ComparisonFiles {
  readonly md: string;
  readonly json: string;
  readonly html: string;
}

export async function writeComparison(
  out: string,
  name: 'compare' | 'experiment',
  report: ComparisonReport,
  extra: Readonly<Record<string, unknown>> = {},
): Promise<ComparisonFiles> {
  const rows: readonly SummaryRow[] = report.rows ?? report.runs.map((r) => summarizeRun(r.label, r.result, report.task));
  await mkdir(out, { recursive: true });
  const files = { md: join(out, `${name}.md`), json: join(out, `${name}.json`), html: join(out, `${name}.html`) };
  const intro = report.note === undefined ? '' : `${report.note}\n\n`;
  await atomicWrite(files.md, `# ${report.title}\n\n${intro}${markdownTable(rows, report.task)}`);
  const json = {
    format: `dflc-${name}`,
    version: 1,
    task: report.task,
    columns: COLUMNS.map((c) => ({ key: c, ...columnHeader(c, report.task) })),
    rows,
    runs: report.runs.map((r) => ({ label: r.label, dir: r.result.run.dir, objective: r.result.run.objective, modality: r.result.run.modality, steps: r.result.run.steps })),
    ...extra,
  };
  await atomicWrite(files.json, `${JSON.stringify(json, null, 2)}\n`);
  await atomicWrite(files.html, renderComparisonReport({ ...report, rows }));
  return files;
}
