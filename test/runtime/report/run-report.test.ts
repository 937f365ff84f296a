import { describe, expect, it } from 'vitest';
import { renderComparisonReport } from '../../../runtime/report/comparison-report.ts';
import { renderRunReport } from '../../../runtime/report/run-report.ts';
import { fixtureRun } from './report-fixture.ts';
import { leafElements, pathPoints } from './svg-elements.ts';

/** Each chart's SVG by its data-chart name. */
function chartsOf(html: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of html.matchAll(/<svg [^>]*data-chart="([^"]+)"[\s\S]*?<\/svg>/g)) found.set(m[1], m[0]);
  return found;
}

/** Points drawn in a chart: vertices of series lines plus dots. */
function marks(svg: string): number {
  const lines = leafElements(svg, 'path').filter((p) => p.attrs['data-series'] !== undefined).reduce((n, p) => n + pathPoints(p.attrs.d).length, 0);
  return lines + leafElements(svg, 'circle').length;
}

/** What a page could fetch: any src, any href other than an in-page anchor or a data URL, CSS url(), @import. */
function fetchables(html: string): string[] {
  return [
    ...[...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('#') && !u.startsWith('data:')),
    ...[...html.matchAll(/url\(|@import/g)].map((m) => m[0]),
  ];
}

describe('renderRunReport', () => {
  const html = renderRunReport(fixtureRun());

  it('draws every figure, each with data in it', () => {
    const charts = chartsOf(html);
    expect([...charts.keys()]).toEqual(['spectrum', 'loss', 'training-rank', 'probes-auroc', 'probes-auprc', 'stability-cka', 'stability-angles', 'robustness', 'latent-r2']);
    expect(marks(charts.get('spectrum')!)).toBe(4);
    expect(marks(charts.get('loss')!)).toBe(18); // loss and two terms, six steps each
    expect(marks(charts.get('training-rank')!)).toBe(3);
    expect(marks(charts.get('stability-cka')!)).toBe(2);
    expect(marks(charts.get('robustness')!)).toBe(5);
    expect(marks(charts.get('latent-r2')!)).toBe(2);
  });

  it('puts the headline numbers first, each explained', () => {
    const headlines = html.slice(html.indexOf('class="headlines"'), html.indexOf('<section'));
    expect(headlines).toContain('3.7 of 4');
    expect(headlines).toContain('12.5');
    expect(headlines).toContain('0.805'); // mean CKA of 0.82 and 0.79
    expect(headlines).toContain('0.740');
    expect(headlines).toContain('0.048'); // mean drop of .01 .04 .03 .14 .02
    expect(headlines).toContain('0.410');
    expect(headlines.match(/class="explain"/g)!.length).toBe(headlines.match(/class="value"/g)!.length);
  });

  it('shows each probe with its intervals and the prevalence beside AUPRC, and what was skipped', () => {
    expect(html).toContain('<td>mortality</td><td>1400 / 300 / 300</td><td>0.740 [0.680, 0.800]</td><td>0.310 [0.220, 0.410]</td><td>0.120</td>');
    expect(html).toContain('probe readmission: held_out has no positive label');
  });

  it('fetches nothing and runs nothing', () => {
    expect(fetchables(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<iframe|<object|<embed|<img/i);
  });

  it('escapes names that come from the data', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const page = renderRunReport(fixtureRun('x', (r) => ({ ...r, run: { ...r.run, objective: evil }, probes: r.probes.map((p) => ({ ...p, task: evil })) })));
    expect(page).not.toContain(evil);
    expect(page).not.toMatch(/<img/i);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('a run without training steps or stability says so instead of drawing empty charts', () => {
    const run = fixtureRun('random', (r) => ({ ...r, stability: null, latent_r2: null }));
    const page = renderRunReport({ ...run, curves: { loss: [], terms: [], effectiveRank: [] } });
    expect([...chartsOf(page).keys()]).toEqual(['spectrum', 'probes-auroc', 'probes-auprc', 'robustness']);
    expect(page).toContain('took no training steps');
    expect(page).toContain('Not measured: fewer than two consecutive windows');
  });
});

describe('renderComparisonReport', () => {
  const runs = [fixtureRun('card'), fixtureRun('vicreg', (r) => ({ ...r, geometry: { ...r.geometry, effective_rank: 1.5 }, probes: r.probes.map((p) => ({ ...p, auroc: 0.6 })) }))];
  const html = renderComparisonReport({ title: 'Comparison', groups: [{ task: 'mortality', runs }] });

  it('overlays the runs in every figure, with a legend', () => {
    const charts = chartsOf(html);
    expect([...charts.keys()]).toEqual(['spectrum', 'loss', 'training-rank', 'probes-auroc', 'probes-auprc', 'stability-cka', 'stability-angles', 'robustness', 'latent-r2']);
    for (const [name, svg] of charts) {
      expect(leafElements(svg, 'text').filter((t) => t.attrs.class === 'legend').map((t) => t.text), name).toEqual(['card', 'vicreg']);
    }
  });

  it('puts the runs side by side in one table', () => {
    expect(html).toContain('<td>card</td><td>3.71</td><td>12.5</td><td>0.805</td><td>0.740 [0.680, 0.800]</td><td>–</td><td>0.048</td><td>0.410</td>');
    expect(html).toContain('<td>vicreg</td><td>1.50</td>');
    expect(fetchables(html)).toEqual([]);
  });

  it("puts each group (an experiment's modality) under its heading, with ids that stay unique", () => {
    const page = renderComparisonReport({ title: 'Experiment', groups: [{ heading: 'ehr', task: 'mortality', runs }, { heading: 'text', task: 'mortality', runs: runs.slice(0, 1) }] });
    expect(page.match(/<h2 class="group"[^>]*>[^<]*<\/h2>/g)).toEqual(['<h2 class="group" id="g0-">ehr</h2>', '<h2 class="group" id="g1-">text</h2>']);
    const ids = [...page.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('g1-probes');
  });
});
