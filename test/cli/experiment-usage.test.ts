import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

/** `dflc experiment` refuses bad flags and unusable data before training anything. */
describe('dflc experiment, wrong input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dflc-experiment-usage-'));
    await mkdir(join(dir, 'nolabels', 'data'), { recursive: true });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the bad flag (exit 2)', async () => {
    for (const [args, message] of [
      [['--modalities', 'ehr,image'], "--modalities: 'image' is not one of ehr, text, multimodal"],
      [['--seeds', '0'], "--seeds must be a positive integer, got '0'"],
      [['--backend', 'gpu'], '--backend must be one of'],
    ] as const) {
      const r = await runCli(['experiment', ...args, '--out', join(dir, 'x')]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });

  it('says when the data has no tasks to probe (exit 1), and trains nothing', async () => {
    const r = await runCli(['experiment', '--data', join(dir, 'nolabels'), '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`dflc experiment: ${join(dir, 'nolabels', 'labels')}: no label tasks, so nothing to probe or supervise\n`);
  });
});
