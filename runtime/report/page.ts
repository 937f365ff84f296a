import { escapeText } from './escape.ts';

/**
 * The HTML document around a report: one file with its styles inline and nothing fetched (no
 * fonts, scripts or images from anywhere; the icon is an empty data URL so the browser does not
 * ask for /favicon.ico), so it opens the same offline, attached to an e-mail or years later.
 */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeText(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** A section with a heading (h2, or h3 inside a group) and a one-line explanation of what it shows. */
export function section(id: string, heading: string, explain: string, content: string, level: 2 | 3 = 2): string {
  return `<section id="${escapeText(id)}"><h${level}>${escapeText(heading)}</h${level}><p class="explain">${escapeText(explain)}</p>${content}</section>\n`;
}

/** A headline number: big value, what it is, one line on how to read it. */
export interface Headline {
  readonly label: string;
  readonly value: string;
  readonly explain: string;
}

export function headlines(items: readonly Headline[]): string {
  const cards = items.map(
    (h) => `<div class="card"><div class="value">${escapeText(h.value)}</div><div class="label">${escapeText(h.label)}</div><div class="explain">${escapeText(h.explain)}</div></div>`,
  );
  return `<div class="headlines">${cards.join('')}</div>\n`;
}

/** A table from header cells and rows of cell text (all escaped); numeric columns align right. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], className = 'numbers'): string {
  const head = `<tr>${header.map((h) => `<th>${escapeText(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeText(c)}</td>`).join('')}</tr>`).join('');
  return `<table class="${escapeText(className)}"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

export function charts(...svgs: readonly string[]): string {
  return `<div class="charts">${svgs.map((s) => `<figure>${s}</figure>`).join('')}</div>`;
}

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1b1f24; background: #fff; margin: 0 auto; padding: 20px 28px 40px; max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2.group { font-size: 20px; margin-top: 36px; border-bottom: 2px solid #1b1f24; }
h3 { font-size: 15px; margin: 22px 0 2px; }
h2 { font-size: 17px; margin: 28px 0 2px; border-bottom: 1px solid #d8dee4; padding-bottom: 3px; }
p.meta, p.explain { color: #57606a; margin: 2px 0 10px; }
.headlines { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 10px; margin: 14px 0; }
.card { border: 1px solid #d8dee4; border-radius: 6px; padding: 10px 12px; }
.card .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .label { font-weight: 600; }
.card .explain { color: #57606a; font-size: 12.5px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px 20px; }
figure { margin: 0; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid #eaeef2; text-align: right; white-space: nowrap; }
th { border-bottom: 1px solid #8c959f; }
th:first-child, td:first-child { text-align: left; }
table.explained td:last-child, table.explained th:last-child { text-align: left; color: #57606a; }
ul.notes { color: #57606a; padding-left: 18px; }
svg.chart { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; overflow: visible; }
svg .chart-title { font-size: 13px; font-weight: 600; fill: #1b1f24; }
svg .tick, svg .legend, svg .row-label { fill: #424a53; }
svg .axis-label, svg .note { fill: #57606a; }
svg .grid { stroke: #eaeef2; fill: none; }
svg .axis { stroke: #8c959f; fill: none; }
svg .plot-frame { stroke: #8c959f; fill: none; }
svg .reference { stroke: #6e7781; stroke-width: 2; fill: none; }
`;
