import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intervalChart } from '../../../runtime/report/chart/interval-chart.ts';
import { lineChart, type LineSeries } from '../../../runtime/report/chart/line-chart.ts';
import { formatTick, makeScale } from '../../../runtime/report/chart/ticks.ts';
import { escapeText } from '../../../runtime/report/escape.ts';
import { leafElements, pathPoints } from './svg-elements.ts';

const ticksOf = (svg: string, axis: 'x' | 'y'): { value: string; at: number }[] =>
  leafElements(svg, 'text')
    .filter((t) => t.attrs['data-axis'] === axis)
    .map((t) => ({ value: t.text, at: Number(axis === 'x' ? t.attrs.x : t.attrs.y) }));

const seriesPaths = (svg: string): { name: string; points: [number, number][] }[] =>
  leafElements(svg, 'path')
    .filter((p) => p.attrs['data-series'] !== undefined)
    .map((p) => ({ name: p.attrs['data-series'], points: pathPoints(p.attrs.d) }));

describe('axis scales', () => {
  it('linear ticks are 1, 2 or 5 times a power of ten and cover the data', () => {
    expect(makeScale(0, 1, false).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(makeScale(3, 97, false).ticks).toEqual([0, 20, 40, 60, 80, 100]);
    expect(makeScale(0.61, 0.74, false).ticks).toEqual([0.6, 0.65, 0.7, 0.75]);
    expect(makeScale(-0.03, 0.12, false).ticks).toEqual([-0.05, 0, 0.05, 0.1, 0.15]);
  });

  it('an axis of counts has no ticks between whole numbers', () => {
    expect(makeScale(0, 1, false, 1).ticks).toEqual([0, 1]);
    expect(makeScale(1, 4, false, 1).ticks).toEqual([1, 2, 3, 4]);
    expect(makeScale(0, 400, false, 1).ticks).toEqual([0, 100, 200, 300, 400]);
  });

  it('a constant series gets an axis with length around its value', () => {
    const s = makeScale(5, 5, false);
    expect(s.min).toBeLessThan(5);
    expect(s.max).toBeGreaterThan(5);
  });

  it('log ticks are the powers of ten, with 2 and 5 between when the range is short', () => {
    expect(makeScale(0.013, 420, true).ticks).toEqual([0.01, 0.1, 1, 10, 100, 1000]);
    expect(makeScale(2, 40, true).ticks).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(() => makeScale(0, 1, true)).toThrow(/positive/);
  });

  it('every value in range maps into [0, 1], in order', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.boolean(), (lo, span, log) => {
        const [a, b] = log ? [Math.abs(lo) + 1e-3, Math.abs(lo) + 1e-3 + span] : [lo, lo + span];
        const s = makeScale(a, b, log);
        // Ends are rounded outward to the ticks, up to the scale's own tolerance of 1e-9 (in decades on a log axis).
        expect(s.ticks[0]).toBeLessThanOrEqual(a + 1e-8 * Math.max(1, Math.abs(a)));
        expect(s.ticks[s.ticks.length - 1]).toBeGreaterThanOrEqual(b - 1e-8 * Math.max(1, Math.abs(b)));
        for (const v of [a, b]) {
          expect(s.unit(v)).toBeGreaterThanOrEqual(-1e-8);
          expect(s.unit(v)).toBeLessThanOrEqual(1 + 1e-8);
        }
        if (b - a > 1e-9 * Math.max(1, Math.abs(b))) expect(s.unit(b)).toBeGreaterThan(s.unit(a));
      }),
    );
  });

  it('tick labels carry no float noise', () => {
    expect(formatTick(0.1 + 0.2)).toBe('0.3');
    expect(formatTick(1e-6)).toBe('1e-6');
    expect(formatTick(2e6)).toBe('2e6');
    expect(formatTick(250)).toBe('250');
    expect(formatTick(0)).toBe('0');
  });
});

describe('lineChart', () => {
  const spectrum: LineSeries = { name: 'eigenvalues', points: [1, 2, 3, 4].map((i) => [i, 10 ** -i] as [number, number]) };

  it('draws each series as a path through every point, inside the plot', () => {
    const svg = lineChart({ id: 't', title: 'T', xLabel: 'x', yLabel: 'y', series: [spectrum, { name: 'b', points: [[1, 0.5], [4, 0.2]] }], yLog: true });
    const paths = seriesPaths(svg);
    expect(paths.map((p) => p.name)).toEqual(['eigenvalues', 'b']);
    expect(paths.map((p) => p.points.length)).toEqual([4, 2]);
    const frame = leafElements(svg, 'rect').find((r) => r.attrs.class === 'plot-frame')!.attrs;
    for (const [x, y] of paths.flatMap((p) => p.points)) {
      expect(x).toBeGreaterThanOrEqual(Number(frame.x));
      expect(x).toBeLessThanOrEqual(Number(frame.x) + Number(frame.width));
      expect(y).toBeGreaterThanOrEqual(Number(frame.y));
      expect(y).toBeLessThanOrEqual(Number(frame.y) + Number(frame.height));
    }
  });

  it('on a log axis, each decade takes the same height and the ticks are the decades', () => {
    const svg = lineChart({ id: 't', title: 'T', xLabel: 'x', yLabel: 'y', series: [spectrum], yLog: true });
    const ticks = ticksOf(svg, 'y');
    expect(ticks.map((t) => t.value)).toEqual(['1e-4', '0.001', '0.01', '0.1']);
    const [points] = seriesPaths(svg).map((p) => p.points);
    const gaps = points.slice(1).map((p, i) => p[1] - points[i][1]);
    for (const g of gaps) expect(g).toBeCloseTo(gaps[0], 1);
    // The point at 1e-2 sits on the 0.01 tick's line (tick labels are drawn 4px below their line).
    expect(points[1][1]).toBeCloseTo(ticks[2].at - 4, 1);
  });

  it('x ticks sit where their values map', () => {
    const svg = lineChart({ id: 't', title: 'T', xLabel: 'step', yLabel: 'loss', series: [{ name: 'loss', points: [[0, 3], [50, 2], [100, 1]] }] });
    const ticks = ticksOf(svg, 'x');
    expect(ticks.map((t) => t.value)).toEqual(['0', '20', '40', '60', '80', '100']);
    const [points] = seriesPaths(svg).map((p) => p.points);
    expect(points[0][0]).toBeCloseTo(ticks[0].at, 1);
    expect(points[1][0]).toBeCloseTo((ticks[2].at + ticks[3].at) / 2, 1);
    expect(points[2][0]).toBeCloseTo(ticks[5].at, 1);
  });

  it('breaks the line at points it cannot draw, and says how many', () => {
    const svg = lineChart({ id: 't', title: 'T', xLabel: 'x', yLabel: 'y', yLog: true, series: [{ name: 's', points: [[1, 1], [2, 2], [3, 0], [4, Number.NaN], [5, 3], [6, 4]] }] });
    const d = leafElements(svg, 'path').find((p) => p.attrs['data-series'] === 's')!.attrs.d;
    expect(d.match(/M/g)).toHaveLength(2);
    expect(pathPoints(d)).toHaveLength(4);
    expect(leafElements(svg, 'text').some((t) => t.text === '2 points not shown (not positive or not finite)')).toBe(true);
  });

  it('a chart with nothing to draw says so', () => {
    const svg = lineChart({ id: 't', title: 'T', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [] }] });
    expect(leafElements(svg, 'text').map((t) => t.text)).toContain('no data to plot');
  });

  it('escapes every text that comes from the data', () => {
    const evil = `<script>alert("x")</script> & 'q'`;
    const svg = lineChart({ id: evil, title: evil, xLabel: evil, yLabel: evil, series: [{ name: evil, points: [[0, 1]] }, { name: 'b', points: [[1, 2]] }] });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain(`alert("x")`);
    expect(leafElements(svg, 'text').filter((t) => t.text === evil).length).toBeGreaterThanOrEqual(4);
  });
});

describe('intervalChart', () => {
  const spec = {
    id: 'probes',
    title: 'AUROC',
    xLabel: 'AUROC',
    rows: [{ label: 'mortality', reference: 0.1 }, { label: 'readmission' }],
    series: [{ name: 'card', values: [{ estimate: 0.7, low: 0.6, high: 0.8 }, { estimate: 0.65 }] }],
    include: [0.5, 1],
    referenceLabel: 'prevalence',
  };

  it('puts a dot at each estimate and a whisker over each interval, at the axis positions', () => {
    const svg = intervalChart(spec);
    const dots = leafElements(svg, 'circle');
    expect(dots).toHaveLength(2);
    const whiskers = leafElements(svg, 'path').filter((p) => p.attrs.class === 'whisker');
    expect(whiskers).toHaveLength(1);
    const ticks = ticksOf(svg, 'x');
    expect(ticks.map((t) => t.value)).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    const at = (v: number): number => ticks[0].at + (v / 1) * (ticks[5].at - ticks[0].at);
    expect(Number(dots[0].attrs.cx)).toBeCloseTo(at(0.7), 1);
    const [lo, hi] = pathPoints(whiskers[0].attrs.d);
    expect(lo[0]).toBeCloseTo(at(0.6), 1);
    expect(hi[0]).toBeCloseTo(at(0.8), 1);
    expect(leafElements(svg, 'path').filter((p) => p.attrs.class === 'reference')).toHaveLength(1);
    expect(leafElements(svg, 'text').map((t) => t.text)).toContain('grey tick: prevalence');
  });

  it('draws bars from the baseline, and one mark per series in each row with a legend', () => {
    const svg = intervalChart({ ...spec, baseline: 0, series: [...spec.series, { name: 'vicreg', values: [{ estimate: -0.1 }, undefined] }] });
    expect(leafElements(svg, 'circle')).toHaveLength(3);
    expect(leafElements(svg, 'rect').filter((r) => r.attrs['fill-opacity'] !== undefined)).toHaveLength(3);
    expect(leafElements(svg, 'text').filter((t) => t.attrs.class === 'legend').map((t) => t.text)).toEqual(['card', 'vicreg']);
  });

  it('escapes row labels', () => {
    const svg = intervalChart({ ...spec, rows: [{ label: '<b>&</b>' }, { label: 'x' }] });
    expect(svg).toContain('&lt;b&gt;&amp;&lt;/b&gt;');
    expect(escapeText(`<a href="x">'</a> &`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&lt;/a&gt; &amp;');
  });
});
