import { COLUMNS, columnHeader, type Cell, type Column, type SummaryRow } from './run-summary.ts';

/**
 * The summary rows written out: as an aligned plain-text table for the terminal, and as Markdown
 * with the columns explained under it. Both show the same cell text (formatCell).
 */
export function formatCell(column: Column, cell: Cell | null): string {
  if (cell === null) return '–';
  const f = (v: number): string => formatValue(column, v);
  let text = f(cell.value);
  if (cell.interval !== undefined) text += ` [${f(cell.interval[0])}, ${f(cell.interval[1])}]`;
  if (cell.spread !== undefined && cell.spread.n > 1) text += ` ± ${f(cell.spread.sd)}`;
  return text;
}

function formatValue(column: Column, v: number): string {
  if (column === 'condition_number') return Math.abs(v) >= 1e4 ? v.toExponential(1).replace('e+', 'e') : v.toFixed(1);
  if (column === 'effective_rank') return v.toFixed(2);
  return v.toFixed(3);
}

export function textTable(rows: readonly SummaryRow[], task: string): string {
  const header = ['run', ...COLUMNS.map((c) => columnHeader(c, task).header)];
  const body = rows.map((r) => [r.label, ...COLUMNS.map((c) => formatCell(c, r.cells[c]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n') + '\n';
}

/** The table in Markdown; `explain` adds the columns' meanings under it (once per file is enough). */
export function markdownTable(rows: readonly SummaryRow[], task: string, explain = true): string {
  const header = ['run', ...COLUMNS.map((c) => columnHeader(c, task).header)];
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const lines = [
    `| ${header.map(esc).join(' | ')} |`,
    `| --- | ${COLUMNS.map(() => '---:').join(' | ')} |`,
    ...rows.map((r) => `| ${[r.label, ...COLUMNS.map((c) => formatCell(c, r.cells[c]))].map(esc).join(' | ')} |`),
  ];
  const notes = COLUMNS.map((c) => {
    const { header: h, explain } = columnHeader(c, task);
    return `- **${esc(h)}**: ${explain}`;
  });
  return explain ? `${lines.join('\n')}\n\n${notes.join('\n')}\n` : `${lines.join('\n')}\n`;
}
