import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../runtime/data/helpers.ts';
import { runCli } from '../helpers/run-cli.ts';
import { checkRunFiles, readMetrics } from './run-helpers.ts';

/**
 * Every baseline of examples/baselines/ trains end to end on the committed fixture, on onnx and on
 * wasm, for a few steps: the run folder is complete, the losses finite, and the objective's params
 * saved in model/ with the encoder.
 */

const BASELINES = [
  { file: 'examples/baselines/supervised.dfl', extra: ['--label', 'Y=mortality_1y'], params: ['objective.w', 'objective.b'] },
  { file: 'examples/baselines/vicreg.dfl', extra: [], params: ['objective.W1', 'objective.b1', 'objective.W2', 'objective.b2'] },
  { file: 'examples/baselines/barlow.dfl', extra: [], params: ['objective.W1', 'objective.b1', 'objective.W2', 'objective.b2'] },
];

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dflc-baselines-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe.each(['onnx', 'wasm'])('the baselines on %s', (backend) => {
  it.each(BASELINES)('$file trains a few steps end to end', { timeout: 240_000 }, async ({ file, extra, params }) => {
    const run = join(tmp, `${backend}-${file.replace(/\W/g, '_')}`);
    const result = await runCli(['run', file, '--data', FIXTURE_DIR, '--dim', '8', '--batch', '16', '--steps', '4', '--backend', backend, ...extra, '--out', run], {
      timeoutMs: 200_000,
    });
    expect(result.code, result.stderr).toBe(0);
    await checkRunFiles(run);
    const metrics = await readMetrics(run);
    expect(metrics.map((m) => m.step)).toEqual([1, 2, 3, 4]);
    expect(metrics.every((m) => typeof m.loss === 'number' && Number.isFinite(m.loss))).toBe(true);
    const manifest = JSON.parse(await readFile(join(run, 'model', 'model.json'), 'utf8'));
    const names = (manifest.weightsManifest[0].weights as { name: string }[]).map((w) => w.name);
    expect(names.slice(-params.length)).toEqual(params);
  });

  it('the untrained encoder (--steps 0) writes the same run folder', { timeout: 240_000 }, async () => {
    const run = join(tmp, `${backend}-random`);
    const result = await runCli(['run', 'examples/card.dfl', '--data', FIXTURE_DIR, '--dim', '8', '--batch', '16', '--steps', '0', '--backend', backend, '--out', run], { timeoutMs: 200_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(await checkRunFiles(run)).toEqual(expect.arrayContaining(['embeddings/held_out.npy', 'model/weights.bin', 'checkpoints/latest']));
  });
});
