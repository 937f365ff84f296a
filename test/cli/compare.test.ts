import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLabels } from '../../runtime/cli/commands/compare.ts';
import { formatNpy } from '../../runtime/io/npy.ts';
import { runCli } from '../helpers/run-cli.ts';
import { fixtureResult, FIXTURE_METRICS_JSONL } from '../runtime/report/report-fixture.ts';

/** `dflc compare` on run folders holding an eval (the eval fixture, one run changed to tell them apart). */
describe('dflc compare', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dflc-compare-'));
    for (const [name, rank] of [['card', 3.71], ['vicreg', 1.25]] as const) {
      const run = join(dir, name);
      await mkdir(join(run, 'eval'), { recursive: true });
      const result = fixtureResult();
      await writeFile(join(run, 'eval', 'metrics.json'), JSON.stringify({ ...result, run: { ...result.run, dir: run, objective: name }, geometry: { ...result.geometry, effective_rank: rank } }));
      await writeFile(join(run, 'eval', 'spectrum.npy'), formatNpy({ dtype: 'float64', shape: [4], data: new Float64Array([2, 1, 0.5, 0.01]) }));
      await writeFile(join(run, 'metrics.jsonl'), FIXTURE_METRICS_JSONL);
    }
    await mkdir(join(dir, 'untrained'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints one table and writes compare.md, compare.json and compare.html', async () => {
    const r = await runCli(['compare', 'card', 'vicreg', '--out', 'out'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^run +eff\. rank +cond\. +temporal CKA +AUROC mortality +transfer AUROC +AUROC drop +latent R²$/);
    expect(lines[2]).toMatch(/^card +3\.71 +12\.5 +0\.805 +0\.740 \[0\.680, 0\.800\] +– +0\.048 +0\.410$/);
    expect(lines[3]).toMatch(/^vicreg +1\.25 /);
    expect(r.stdout).toContain('wrote out/compare.md, out/compare.json, out/compare.html');

    const json = JSON.parse(await readFile(join(dir, 'out', 'compare.json'), 'utf8'));
    expect(json.format).toBe('dflc-compare');
    expect(json.groups).toHaveLength(1);
    const [group] = json.groups;
    expect(group.task).toBe('mortality');
    expect(group.rows.map((row: { label: string }) => row.label)).toEqual(['card', 'vicreg']);
    expect(group.rows[1].cells.effective_rank).toEqual({ value: 1.25 });
    expect(group.runs[0].dir).toBe(join(dir, 'card'));
    const md = await readFile(join(dir, 'out', 'compare.md'), 'utf8');
    expect(md).toContain('| vicreg | 1.25 |');
    const html = await readFile(join(dir, 'out', 'compare.html'), 'utf8');
    expect(html).toContain('class="legend">vicreg</text>');
  });

  it('says which folder is not a run, which metrics.json is wrong, and which task is unknown', async () => {
    const missing = await runCli(['compare', 'card', 'untrained'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^evaluating untrained \(it has no eval\/metrics.json; as dflc eval untrained would\)\ndflc compare: .*untrained.*\n$/);
    await mkdir(join(dir, 'broken', 'eval'), { recursive: true });
    await writeFile(join(dir, 'broken', 'eval', 'metrics.json'), '{"format": "dflc-eval"}');
    const broken = await runCli(['compare', 'card', 'broken'], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toBe(`dflc compare: ${join(dir, 'broken', 'eval', 'metrics.json')}: version: Invalid input: expected 1\n`);
    const task = await runCli(['compare', 'card', '--task', 'sepsis'], { cwd: dir });
    expect(task.code).toBe(2);
    expect(task.stderr).toContain('--task sepsis: no run probed it (tasks: mortality)');
  });
});

describe('runLabels', () => {
  it('names runs by folder, with the parent where two folders share a name', () => {
    expect(runLabels(['/r/card', '/r/vicreg'])).toEqual(['card', 'vicreg']);
    expect(runLabels(['/a/card', '/b/card', '/b/vicreg'])).toEqual(['a/card', 'b/card', 'vicreg']);
  });
});
