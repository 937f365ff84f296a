import { legend } from './legend.ts';
import { colourFor } from './palette.ts';
import { element, frame, px, text } from './svg.ts';
import { formatTick, makeScale } from './ticks.ts';

/**
 * Estimates with intervals, one row per item (a task, a corruption) and one mark per series in
 * each row (a run, when runs are compared): a dot at the estimate, a whisker over the interval, and
 * optionally a bar from a baseline (0 for a drop). A row may carry a reference value drawn as a
 * grey tick (the prevalence beside an AUPRC: what a random ranking scores).
 */
export interface Interval {
  readonly estimate: number;
  readonly low?: number;
  readonly high?: number;
}

export interface IntervalRow {
  readonly label: string;
  readonly reference?: number;
}

export interface IntervalSeries {
  readonly name: string;
  /** One entry per row; undefined where the series has no value for that row. */
  readonly values: readonly (Interval | undefined)[];
}

export interface IntervalChartSpec {
  readonly id: string;
  readonly title: string;
  readonly xLabel: string;
  readonly rows: readonly IntervalRow[];
  readonly series: readonly IntervalSeries[];
  /** Draw a bar from this value to each estimate. */
  readonly baseline?: number;
  /** Values the axis must include (e.g. 0.5 and 1 for AUROC). */
  readonly include?: readonly number[];
  /** Text of the reference ticks for the note under the chart. */
  readonly referenceLabel?: string;
  readonly width?: number;
}

const LABEL_W = 150;
const RIGHT = 16;
const TOP = 30;
const MARK_H = 12;

export function intervalChart(spec: IntervalChartSpec): string {
  const width = spec.width ?? 560;
  const plotW = width - LABEL_W - RIGHT;
  const marks = spec.series.flatMap((s) => s.values.filter((v): v is Interval => v !== undefined && Number.isFinite(v.estimate)));
  if (spec.rows.length === 0 || marks.length === 0) {
    return frame(spec.id, spec.title, width, 64, text({ x: 8, y: 44, class: 'note' }, 'no data to plot'));
  }
  const extent = [...marks.flatMap((v) => [v.estimate, v.low, v.high]), ...spec.rows.map((r) => r.reference), ...(spec.include ?? []), spec.baseline].filter(
    (v): v is number => v !== undefined && Number.isFinite(v),
  );
  const xs = makeScale(Math.min(...extent), Math.max(...extent), false);
  const X = (v: number): number => LABEL_W + xs.unit(v) * plotW;
  const rowH = Math.max(22, spec.series.length * MARK_H + 10);
  const plotH = spec.rows.length * rowH;
  const bottom = TOP + plotH;
  const markY = (row: number, s: number): number => TOP + row * rowH + (rowH - spec.series.length * MARK_H) / 2 + (s + 0.5) * MARK_H;

  const parts: string[] = [];
  for (const t of xs.ticks) {
    parts.push(element('path', { d: `M${px(X(t))} ${TOP}v${plotH}`, class: 'grid' }));
    parts.push(text({ x: X(t), y: bottom + 16, class: 'tick', 'text-anchor': 'middle', 'data-axis': 'x' }, formatTick(t)));
  }
  spec.rows.forEach((row, r) => {
    const mid = TOP + (r + 0.5) * rowH;
    parts.push(text({ x: LABEL_W - 8, y: mid + 4, class: 'row-label', 'text-anchor': 'end' }, row.label));
    if (row.reference !== undefined && Number.isFinite(row.reference)) {
      parts.push(element('path', { d: `M${px(X(row.reference))} ${px(mid - rowH / 2 + 3)}V${px(mid + rowH / 2 - 3)}`, class: 'reference' }));
    }
  });
  if (spec.baseline !== undefined) parts.push(element('path', { d: `M${px(X(spec.baseline))} ${TOP}v${plotH}`, class: 'axis' }));
  spec.series.forEach((s, i) => {
    const colour = colourFor(i);
    s.values.forEach((v, r) => {
      if (v === undefined || !Number.isFinite(v.estimate)) return;
      const y = markY(r, i);
      if (spec.baseline !== undefined) {
        const [a, b] = [X(spec.baseline), X(v.estimate)].sort((p, q) => p - q);
        parts.push(element('rect', { x: a, y: y - MARK_H * 0.35, width: Math.max(b - a, 0.5), height: MARK_H * 0.7, fill: colour, 'fill-opacity': 0.35 }));
      }
      if (v.low !== undefined && v.high !== undefined && Number.isFinite(v.low) && Number.isFinite(v.high)) {
        const [lo, hi] = [X(v.low), X(v.high)];
        parts.push(element('path', { d: `M${px(lo)} ${px(y)}H${px(hi)}M${px(lo)} ${px(y - 3)}v6M${px(hi)} ${px(y - 3)}v6`, stroke: colour, 'stroke-width': 1.5, fill: 'none', class: 'whisker' }));
      }
      parts.push(element('circle', { cx: X(v.estimate), cy: y, r: 3.5, fill: colour, 'data-series': s.name }));
    });
  });
  parts.push(element('rect', { x: LABEL_W, y: TOP, width: plotW, height: plotH, class: 'plot-frame' }));
  parts.push(text({ x: LABEL_W + plotW / 2, y: bottom + 32, class: 'axis-label', 'text-anchor': 'middle' }, spec.xLabel));
  const key = legend(spec.series.map((s) => s.name), LABEL_W, bottom + 40, plotW);
  const hasReference = spec.rows.some((r) => r.reference !== undefined);
  const noteY = bottom + 40 + key.height + 12;
  const note = hasReference && spec.referenceLabel !== undefined ? text({ x: LABEL_W, y: noteY, class: 'note' }, `grey tick: ${spec.referenceLabel}`) : '';
  return frame(spec.id, spec.title, width, noteY + (note === '' ? -6 : 6), parts.join('') + key.svg + note);
}
