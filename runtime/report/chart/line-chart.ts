import { legend } from './legend.ts';
import { colourFor, dashFor } from './palette.ts';
import { element, frame, px, text } from './svg.ts';
import { formatTick, makeScale, type Scale } from './ticks.ts';

/**
 * A line chart of one or more series as inline SVG. Points that cannot be drawn (not finite, or
 * not positive on a log axis) break the line and are counted in a note under the chart, so a
 * chart never silently drops data. A series of one point shows as a dot.
 */
export interface LineSeries {
  readonly name: string;
  readonly points: readonly (readonly [x: number, y: number])[];
}

export interface LineChartSpec {
  /** Names the chart in the page (`data-chart`). */
  readonly id: string;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly LineSeries[];
  readonly xLog?: boolean;
  readonly yLog?: boolean;
  /** The x values are counts (steps, windows, indices): no ticks between whole numbers. */
  readonly xCounts?: boolean;
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { left: 58, right: 14, top: 28, bottom: 40 };

export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 560;
  const plotH = (spec.height ?? 260) - MARGIN.top - MARGIN.bottom;
  const plotW = width - MARGIN.left - MARGIN.right;
  const drawable = (p: readonly [number, number]): boolean =>
    Number.isFinite(p[0]) && Number.isFinite(p[1]) && (!spec.xLog || p[0] > 0) && (!spec.yLog || p[1] > 0);
  const shown = spec.series.flatMap((s) => s.points.filter(drawable));
  const hidden = spec.series.reduce((n, s) => n + s.points.length, 0) - shown.length;
  if (shown.length === 0) return frame(spec.id, spec.title, width, 64, text({ x: 8, y: 44, class: 'note' }, 'no data to plot'));

  const xs = makeScale(Math.min(...shown.map((p) => p[0])), Math.max(...shown.map((p) => p[0])), spec.xLog ?? false, spec.xCounts ? 1 : 0);
  const ys = makeScale(Math.min(...shown.map((p) => p[1])), Math.max(...shown.map((p) => p[1])), spec.yLog ?? false);
  const X = (v: number): number => MARGIN.left + xs.unit(v) * plotW;
  const Y = (v: number): number => MARGIN.top + (1 - ys.unit(v)) * plotH;

  const lines = spec.series.map((s, i) => {
    let d = '';
    let pen = false;
    const dots: string[] = [];
    s.points.forEach((p, k) => {
      if (!drawable(p)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${px(X(p[0]))} ${px(Y(p[1]))}`;
      const next = s.points[k + 1];
      if (!pen && (next === undefined || !drawable(next))) dots.push(element('circle', { cx: X(p[0]), cy: Y(p[1]), r: 2.5, fill: colourFor(i) }));
      pen = true;
    });
    const path = d === '' ? '' : element('path', { d, fill: 'none', stroke: colourFor(i), 'stroke-width': 1.8, 'stroke-dasharray': dashFor(i), 'data-series': s.name });
    return path + dots.join('');
  });

  const bottom = MARGIN.top + plotH;
  const key = legend(spec.series.map((s) => s.name), MARGIN.left, bottom + 34, plotW);
  const note = hidden > 0 ? text({ x: MARGIN.left, y: bottom + 34 + key.height + 12, class: 'note' }, `${hidden} point${hidden === 1 ? '' : 's'} not shown (${spec.yLog || spec.xLog ? 'not positive or ' : ''}not finite)`) : '';
  const height = bottom + 34 + key.height + (hidden > 0 ? 18 : 0);
  return frame(
    spec.id,
    spec.title,
    width,
    height,
    axes(xs, ys, X, Y, MARGIN.left, bottom, plotW, plotH) +
      text({ x: MARGIN.left + plotW / 2, y: bottom + 32, class: 'axis-label', 'text-anchor': 'middle' }, spec.xLabel) +
      text({ x: 14, y: MARGIN.top + plotH / 2, class: 'axis-label', 'text-anchor': 'middle', transform: `rotate(-90 14 ${px(MARGIN.top + plotH / 2)})` }, spec.yLabel) +
      element('g', { class: 'series' }, lines.join('')) +
      key.svg +
      note,
  );
}

/** Grid lines and tick labels of both axes, and the plot's frame. */
function axes(xs: Scale, ys: Scale, X: (v: number) => number, Y: (v: number) => number, left: number, bottom: number, w: number, h: number): string {
  const parts: string[] = [];
  for (const t of ys.ticks) {
    parts.push(element('path', { d: `M${left} ${px(Y(t))}h${w}`, class: 'grid' }));
    parts.push(text({ x: left - 6, y: Y(t) + 4, class: 'tick', 'text-anchor': 'end', 'data-axis': 'y' }, formatTick(t)));
  }
  for (const t of xs.ticks) {
    parts.push(element('path', { d: `M${px(X(t))} ${bottom}v5`, class: 'axis' }));
    parts.push(text({ x: X(t), y: bottom + 17, class: 'tick', 'text-anchor': 'middle', 'data-axis': 'x' }, formatTick(t)));
  }
  parts.push(element('rect', { x: left, y: bottom - h, width: w, height: h, class: 'plot-frame' }));
  return element('g', { class: 'axes' }, parts.join(''));
}
