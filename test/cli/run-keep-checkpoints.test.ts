import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../runtime/data/helpers.ts';
import { runCli } from '../helpers/run-cli.ts';
import { readMetrics } from './run-helpers.ts';

/**
 * Which checkpoints a run leaves (--keep-checkpoints), and that --resume continues from them. A
 * run killed mid-training keeping its last two is checked in run-lock.test.ts.
 */
const ARGS = ['run', 'examples/card.dfl', '--data', FIXTURE_DIR, '--dim', '8', '--batch', '16', '--checkpoint-every', '5', '--backend', 'onnx'];
const RUN_MS = 120_000;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dflc-keep-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const checkpointFolders = async (run: string): Promise<string[]> =>
  (await readdir(join(run, 'checkpoints')))
    .filter((f) => /^step-\d+$/.test(f))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));

async function expectRun(args: readonly string[], from: number): Promise<void> {
  const result = await runCli(args, { timeoutMs: RUN_MS });
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.code).toBe(0);
  if (from > 0) expect(result.stderr).toContain(`resuming from step ${from}`);
}

describe('dflc run --keep-checkpoints', () => {
  it('keeps only the final checkpoint of a complete run by default, and --resume continues from it', async () => {
    const run = join(tmp, 'default');
    await expectRun([...ARGS, '--steps', '12', '--out', run], 0);
    expect(await checkpointFolders(run)).toEqual(['step-12']);
    expect((await readFile(join(run, 'checkpoints', 'latest'), 'utf8')).trim()).toBe('step-12');

    await expectRun(['run', 'examples/card.dfl', '--out', run, '--resume', '--steps', '17'], 12);
    expect(await checkpointFolders(run)).toEqual(['step-17']);
    expect((await readMetrics(run)).map((m) => m.step)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
  }, 3 * RUN_MS);

  // That --resume takes the run's value unless told otherwise: settings/run-config.test.ts.
  it('keeps every checkpoint with all, and the last N with a number (which --resume may change)', async () => {
    const run = join(tmp, 'all');
    await expectRun([...ARGS, '--steps', '12', '--keep-checkpoints', 'all', '--out', run], 0);
    expect(await checkpointFolders(run)).toEqual(['step-5', 'step-10', 'step-12']);
    expect(JSON.parse(await readFile(join(run, 'run.json'), 'utf8')).config['keep-checkpoints']).toBe('all');

    await expectRun(['run', 'examples/card.dfl', '--out', run, '--resume', '--steps', '22', '--keep-checkpoints', '3'], 12);
    expect(await checkpointFolders(run)).toEqual(['step-15', 'step-20', 'step-22']);
  }, 3 * RUN_MS);

  it('refuses a value that is not final, all or a positive count, saying what it must be', async () => {
    const result = await runCli([...ARGS, '--keep-checkpoints', 'last', '--out', join(tmp, 'bad')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--keep-checkpoints must be final (the last two while training, only the last once the run is complete), all, or a positive integer N (the last N), got 'last'`);
  });
});
