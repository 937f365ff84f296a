import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../runtime/data/helpers.ts';
import { runCli } from '../helpers/run-cli.ts';
import { readMetrics } from './run-helpers.ts';

/** Label streams through `dflc run`: --label and dflc.json "labels", and the mistakes a user can make. */

const TINY = ['--data', FIXTURE_DIR, '--dim', '8', '--batch', '16', '--backend', 'wasm'];
const SUPERVISED = 'examples/baselines/supervised.dfl';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dflc-labels-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('dflc run with a label stream', () => {
  it('trains on the labelled prediction windows (--label), and records the binding in run.json', async () => {
    const run = join(tmp, 'supervised');
    const result = await runCli(['run', SUPERVISED, ...TINY, '--label', 'Y=mortality_1y', '--epochs', '2', '--out', run]);
    expect(result.code, result.stderr).toBe(0);
    const record = JSON.parse(await readFile(join(run, 'run.json'), 'utf8'));
    expect(record.objective.labels).toEqual([{ input: 'Y', task: 'mortality_1y' }]);
    expect(record.objective.bindings).toEqual([{ input: 'Z', stream: 'Z', slot: 0 }]);
    expect(record.config.labels).toEqual({ Y: 'mortality_1y' });
    const losses = (await readMetrics(run)).map((m) => m.loss as number);
    // The logistic loss starts at log 2 (w = 0, b = 0) and goes down.
    expect(losses[0]).toBeCloseTo(Math.log(2), 5);
    expect(losses.at(-1)!).toBeLessThan(losses[0]);
  });

  it('reads "labels" from dflc.json', async () => {
    const dir = join(tmp, 'cfg');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'dflc.json'), JSON.stringify({ data: FIXTURE_DIR, dim: 4, batch: 16, steps: 2, backend: 'wasm', labels: { Y: 'long_stay_1y' } }));
    const result = await runCli(['run', join(process.cwd(), SUPERVISED), '--out', 'run'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'run', 'run.json'), 'utf8')).objective.labels).toEqual([{ input: 'Y', task: 'long_stay_1y' }]);
  });

  it('names the tasks of the dataset for an unknown task, asks for --label for an unbound vector input, and refuses later windows', async () => {
    const unknown = await runCli(['run', SUPERVISED, ...TINY, '--label', 'Y=mortality', '--out', join(tmp, 'x1')]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      `dflc run: --label Y=mortality: no task 'mortality'; the tasks of ${FIXTURE_DIR} are abnormal_hba1c_1y, ckd_onset_1y, copd_exacerbation_1y, long_stay_1y, mortality_1y, readmission_30d`,
    );
    const unbound = await runCli(['run', SUPERVISED, ...TINY, '--out', join(tmp, 'x2')]);
    expect(unbound.code).toBe(1);
    expect(unbound.stderr).toContain("dflc run: objective input 'Y' is a vector[n]: bind it to a task's labels, e.g. --label Y=mortality_1y");
    const file = join(tmp, 'later.dfl');
    await writeFile(file, 'input Y : [n]\nparam w : [d]\nmean(softplus(-(2*Y - 1) * (Z_t+1 @ w)))\n');
    const later = await runCli(['run', file, ...TINY, '--label', 'Y=mortality_1y', '--out', join(tmp, 'x3')]);
    expect(later.code).toBe(1);
    expect(later.stderr).toContain('a run with label streams trains on the window ending at each prediction time, so the objective cannot read Z_t+1');
    const flag = await runCli(['run', SUPERVISED, '--label', 'Y']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("--label takes NAME=TASK, e.g. --label Y=mortality_1y; got 'Y'");
  });
});
