import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { CHROMIUM, visit } from '../helpers/chromium.ts';
import { REPO_ROOT, runCli } from '../helpers/run-cli.ts';

/**
 * `dflc experiment --quick` end to end on the EHR modality: a small synthetic cohort, real
 * training and evaluation of every objective whose file exists, the table, the three files, and
 * the report in Chromium (slow: DFLC_SLOW=1; about two minutes on two cores).
 */
describe.runIf(process.env.DFLC_SLOW)('dflc experiment --quick', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dflc-experiment-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains, evaluates and compares every objective it has, and names those it lacks', { timeout: 900_000 }, async () => {
    const r = await runCli(['experiment', '--quick', '--modalities', 'ehr', '--out', 'out'], { cwd: dir, timeoutMs: 880_000 });
    expect(r.code, r.stderr).toBe(0);
    const baselines = ['supervised', 'vicreg', 'barlow'];
    const present = ['card', ...baselines.filter((b) => existsSync(join(REPO_ROOT, 'examples', 'baselines', `${b}.dfl`))), 'random'];
    const absent = baselines.filter((b) => !present.includes(b));
    expect(r.stderr).toMatch(/\[1\/\d+\] card · ehr · seed 0: training · \d+ s elapsed, time left known after the first run/);
    expect(r.stderr).toMatch(/\[2\/\d+\] .* left/);

    const table = r.stdout.split('\n');
    const header = table.findIndex((l) => l.startsWith('run '));
    expect(table[header]).toMatch(/AUROC mortality_1y/);
    expect(table.slice(header + 2, header + 2 + present.length).map((l) => l.split(/\s+/)[0])).toEqual(present);
    for (const line of table.slice(header + 2, header + 2 + present.length)) expect(line).toMatch(/^\S+ +\d+\.\d\d +[\d.e]+ +0\.\d{3} +0\.\d{3} \[/);
    if (absent.length > 0) expect(r.stdout).toContain(`not run (objective file not in this dflc): ${absent.map((b) => `${b} (examples/baselines/${b}.dfl)`).join(', ')}`);

    const json = JSON.parse(await readFile(join(dir, 'out', 'experiment.json'), 'utf8'));
    expect(json.experiment.missing.map((m: { name: string }) => m.name)).toEqual(absent);
    expect(json.groups[0].rows.map((row: { label: string }) => row.label)).toEqual(present);
    for (const name of present) expect(existsSync(join(dir, 'out', 'runs', 'ehr', `${name}-seed0`, 'eval', 'report.html'))).toBe(true);

    if (CHROMIUM !== undefined) {
      const page = await visit(pathToFileURL(join(dir, 'out', 'experiment.html')).href);
      try {
        const charts = await page.evaluate<{ id: string; marks: number }[]>(
          `[...document.querySelectorAll('svg.chart')].map((s) => ({ id: s.dataset.chart, marks: s.querySelectorAll('circle').length + [...s.querySelectorAll('path[data-series]')].reduce((n, p) => n + p.getTotalLength(), 0) }))`,
        );
        expect(page.errors).toEqual([]);
        expect(page.requests).toEqual([]);
        expect(charts.length).toBeGreaterThanOrEqual(8);
        for (const c of charts) expect(c.marks, c.id).toBeGreaterThan(0);
      } finally {
        await page.close();
      }
    }
  });
});
