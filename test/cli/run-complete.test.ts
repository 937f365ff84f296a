import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../runtime/data/helpers.ts';
import { runCli } from '../helpers/run-cli.ts';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dflc-run-complete-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('dflc run --resume of a run that finished', () => {
  it('says the run is complete, not "trained 0 steps (steps 4-3)"', async () => {
    const out = join(tmp, 'run');
    const args = ['run', 'examples/card.dfl', '--data', FIXTURE_DIR, '--dim', '8', '--batch', '16', '--backend', 'wasm', '--steps', '3', '--out', out];
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^trained 3 steps in .*, effective rank over all train subjects \S+ of 8$/m);
    const again = await runCli([...args, '--resume']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^the run is already complete: all 3 steps were trained before; nothing left to train; final loss /m);
    expect(again.stdout).not.toContain('trained 0 steps');
  }, 180_000);
});
