/**
 * A small log-log line chart as standalone SVG: one panel per x variable, one line per series,
 * so that a reader sees how each cost grows (a slope of 1 is linear, of 3 cubic). No dependencies.
 */
export interface Series {
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
  readonly points: readonly (readonly [number, number])[];
}

export interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
}

const WIDTH = 460;
const HEIGHT = 340;
const MARGIN = { left: 64, right: 16, top: 34, bottom: 48 };

/** Powers of ten (and their 2x, 5x) within [lo, hi], for tick marks. */
function ticks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
  }
  return out;
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function panelSvg(panel: Panel, offsetX: number): string {
  const all = panel.series.flatMap((s) => s.points).filter(([x, y]) => x > 0 && y > 0);
  const [xs, ys] = [all.map(([x]) => x), all.map(([, y]) => y)];
  const [xlo, xhi] = [Math.min(...xs), Math.max(...xs)];
  const [ylo, yhi] = [Math.min(...ys) / 1.3, Math.max(...ys) * 1.3];
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => offsetX + MARGIN.left + ((Math.log(x) - Math.log(xlo)) / (Math.log(xhi) - Math.log(xlo) || 1)) * plotW;
  const py = (y: number) => MARGIN.top + plotH - ((Math.log(y) - Math.log(ylo)) / (Math.log(yhi) - Math.log(ylo) || 1)) * plotH;
  const parts: string[] = [];
  parts.push(`<text x="${offsetX + WIDTH / 2}" y="20" text-anchor="middle" font-weight="bold">${escape(panel.title)}</text>`);
  parts.push(`<rect x="${offsetX + MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  for (const x of [...new Set([...xs])]) {
    parts.push(`<line x1="${px(x)}" x2="${px(x)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`);
    parts.push(`<text x="${px(x)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle" font-size="11">${x >= 1024 ? `${x / 1024}k` : x}</text>`);
  }
  for (const y of ticks(ylo, yhi)) {
    parts.push(`<line x1="${offsetX + MARGIN.left}" x2="${offsetX + MARGIN.left + plotW}" y1="${py(y)}" y2="${py(y)}" stroke="#eee"/>`);
    parts.push(`<text x="${offsetX + MARGIN.left - 6}" y="${py(y) + 4}" text-anchor="end" font-size="11">${y}</text>`);
  }
  parts.push(`<text x="${offsetX + MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle" font-size="12">${escape(panel.xLabel)}</text>`);
  parts.push(
    `<text transform="translate(${offsetX + 16} ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escape(panel.yLabel)}</text>`,
  );
  panel.series.forEach((s, i) => {
    const points = s.points.filter(([x, y]) => x > 0 && y > 0);
    if (points.length === 0) return;
    const path = points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    const dash = s.dashed ? ' stroke-dasharray="5,4"' : '';
    parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="1.8"${dash}/>`);
    for (const [x, y] of points) parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="2.5" fill="${s.color}"/>`);
    const ly = MARGIN.top + 12 + i * 14;
    const lx = offsetX + MARGIN.left + 8;
    parts.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="1.8"${dash}/>`);
    parts.push(`<text x="${lx + 28}" y="${ly}" font-size="11">${escape(s.label)}</text>`);
  });
  return parts.join('\n');
}

/** The panels side by side, with a caption line under them. */
export function logLogSvg(panels: readonly Panel[], caption: string): string {
  const width = WIDTH * panels.length;
  const height = HEIGHT + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...panels.map((p, i) => panelSvg(p, i * WIDTH)),
    `<text x="8" y="${height - 6}" font-size="11" fill="#555">${escape(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
