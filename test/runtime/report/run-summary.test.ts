import { describe, expect, it } from 'vitest';
import { aggregateRows, defaultTask, summarizeRun } from '../../../runtime/report/run-summary.ts';
import { markdownTable, textTable } from '../../../runtime/report/summary-table.ts';
import { fixtureResult } from './report-fixture.ts';

const withProbes = () => {
  const r = fixtureResult();
  const probe = r.probes[0];
  return {
    ...r,
    probes: [
      probe,
      { ...probe, task: 'readmission', auroc: 0.6, auroc_ci: [0.5, 0.7] as [number, number] },
      { ...probe, task: 'sepsis', auroc: 0.8, auroc_ci: [0.7, 0.9] as [number, number] },
    ],
  };
};

describe('summarizeRun', () => {
  it('takes the named task alone and averages the others as transfer', () => {
    const row = summarizeRun('card', withProbes(), 'mortality');
    expect(row.cells.task_auroc).toEqual({ value: 0.74, interval: [0.68, 0.8] });
    expect(row.cells.transfer_auroc!.value).toBeCloseTo(0.7, 12);
    expect(row.cells.transfer_auroc!.interval![0]).toBeCloseTo(0.6, 12);
    expect(row.cells.transfer_auroc!.interval![1]).toBeCloseTo(0.8, 12);
    expect(row.cells.temporal_cka!.value).toBeCloseTo(0.805, 12);
    expect(row.cells.robustness_drop!.value).toBeCloseTo(0.048, 12);
    expect(row.cells.latent_r2).toEqual({ value: 0.41 });
  });

  it('leaves cells empty for what the run lacks', () => {
    const row = summarizeRun('x', { ...fixtureResult(), stability: null, latent_r2: null, robustness: [] }, 'sepsis');
    expect(row.cells.temporal_cka).toBeNull();
    expect(row.cells.latent_r2).toBeNull();
    expect(row.cells.robustness_drop).toBeNull();
    expect(row.cells.task_auroc).toBeNull();
    expect(row.cells.transfer_auroc!.value).toBe(0.74);
  });

  it('the default task is the first every run probed', () => {
    expect(defaultTask([withProbes(), fixtureResult()])).toBe('mortality');
    expect(defaultTask([withProbes()])).toBe('mortality');
    expect(defaultTask([{ ...fixtureResult(), probes: [] }])).toBeUndefined();
  });
});

describe('aggregateRows', () => {
  it('averages seeds with their sample standard deviation', () => {
    const rows = [0.6, 0.7, 0.8].map((auroc, i) => summarizeRun(`s${i}`, { ...fixtureResult(), probes: fixtureResult().probes.map((p) => ({ ...p, auroc })) }, 'mortality'));
    const agg = aggregateRows('card', rows);
    expect(agg.cells.task_auroc!.value).toBeCloseTo(0.7, 12);
    expect(agg.cells.task_auroc!.spread!.sd).toBeCloseTo(0.1, 12);
    expect(agg.cells.task_auroc!.spread!.n).toBe(3);
    expect(agg.cells.transfer_auroc).toBeNull();
  });
});

describe('summary tables', () => {
  const rows = [summarizeRun('card', withProbes(), 'mortality'), aggregateRows('vicreg', [summarizeRun('a', fixtureResult(), 'mortality'), summarizeRun('b', { ...fixtureResult(), latent_r2: null }, 'mortality')])];

  it('aligns a plain-text table', () => {
    const lines = textTable(rows, 'mortality').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^run +eff\. rank +cond\. +temporal CKA +AUROC mortality +transfer AUROC +AUROC drop +latent R²$/);
    expect(lines[2]).toContain('0.740 [0.680, 0.800]');
    expect(lines[2]).toContain('0.700 [0.600, 0.800]');
    expect(lines[3]).toContain('0.740 ± 0.000');
    expect(lines[3]).toMatch(/0\.410$/); // one run had latents: a mean of one, shown without a spread
    expect(new Set(lines.map((l) => l.length)).size).toBeLessThanOrEqual(2);
  });

  it('writes Markdown with each column explained', () => {
    const md = markdownTable(rows, 'mortality');
    expect(md.split('\n')[0]).toBe('| run | eff. rank | cond. | temporal CKA | AUROC mortality | transfer AUROC | AUROC drop | latent R² |');
    expect(md).toContain('| vicreg | 3.71 ± 0.00 | 12.5 ± 0.0 |');
    expect(md).toContain('- **temporal CKA**: linear CKA');
  });
});
