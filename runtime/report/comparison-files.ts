import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite } from '../io/atomic-write.ts';
import { groupRows, renderComparisonReport, type ComparisonReport } from './comparison-report.ts';
import { COLUMNS, columnHeader } from './run-summary.ts';
import { markdownTable } from './summary-table.ts';

/**
 * The three files of a comparison, `NAME.md`, `NAME.json` and `NAME.html` in `out` (each written
 * atomically): `dflc compare` writes compare.*, `dflc experiment` experiment.*. The JSON holds each
 * group's table rows with the columns' meaning, the runs, and `extra` (what the experiment ran).
 */
export interface ComparisonFiles {
  readonly md: string;
  readonly json: string;
  readonly html: string;
}

export async function writeComparison(out: string, name: 'compare' | 'experiment', report: ComparisonReport, extra: Readonly<Record<string, unknown>> = {}): Promise<ComparisonFiles> {
  await mkdir(out, { recursive: true });
  const files = { md: join(out, `${name}.md`), json: join(out, `${name}.json`), html: join(out, `${name}.html`) };
  const md = [`# ${report.title}\n`, ...(report.note === undefined ? [] : [`${report.note}\n`])];
  report.groups.forEach((g, i) => {
    const last = i === report.groups.length - 1;
    md.push(...(g.heading === undefined ? [] : [`## ${g.heading}\n`]), markdownTable(groupRows(g), g.task, last));
  });
  await atomicWrite(files.md, md.join('\n'));
  const json = {
    format: `dflc-${name}`,
    version: 1,
    groups: report.groups.map((g) => ({
      ...(g.heading === undefined ? {} : { heading: g.heading }),
      task: g.task,
      columns: COLUMNS.map((c) => ({ key: c, ...columnHeader(c, g.task) })),
      rows: groupRows(g),
      runs: g.runs.map((r) => ({ label: r.label, dir: r.result.run.dir, objective: r.result.run.objective, modality: r.result.run.modality, steps: r.result.run.steps })),
    })),
    ...extra,
  };
  await atomicWrite(files.json, `${JSON.stringify(json, null, 2)}\n`);
  await atomicWrite(files.html, renderComparisonReport(report));
  return files;
}
