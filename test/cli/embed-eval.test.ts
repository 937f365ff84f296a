import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLabels } from '../../runtime/data/labels-reader.ts';
import { parseEvalResult } from '../../runtime/eval/eval-result.ts';
import { FIXTURE_DIR } from '../runtime/data/helpers.ts';
import { runCli } from '../helpers/run-cli.ts';
import { readNpy } from './run-helpers.ts';

/** One short multimodal run on the committed fixture (120 patients), embedded in each way and evaluated. */
let tmp: string;
let run: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dflc-embed-'));
  run = join(tmp, 'run');
  const trained = await runCli(['run', 'examples/card.dfl', '--data', FIXTURE_DIR, '--modality', 'multimodal', '--dim', '8', '--batch', '16', '--steps', '2', '--backend', 'wasm', '--out', run]);
  if (trained.code !== 0) throw new Error(`dflc run failed: ${trained.stderr}`);
}, 120_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('dflc embed', () => {
  it('embeds at every distinct prediction time of labels/, with subject ids, times and splits', async () => {
    const result = await runCli(['embed', run, '--backend', 'wasm']);
    expect(result.code).toBe(0);
    const out = join(run, 'embed', 'prediction-times');
    expect(result.stdout).toContain(`wrote ${out}`);
    const labels = await readLabels(join(FIXTURE_DIR, 'labels'));
    const distinct = new Set(labels.flatMap((t) => Array.from(t.subjectId, (id, i) => `${id}@${t.predictionTime[i]}`)));
    const z = await readNpy(join(out, 'embeddings.npy'));
    expect(z).toMatchObject({ dtype: 'float32', shape: [distinct.size, 8] });
    for (const stream of ['E', 'T']) expect((await readNpy(join(out, `embeddings_${stream}.npy`))).shape[0]).toBe(distinct.size);
    const ids = (await readNpy(join(out, 'subject_ids.npy'))).data as BigInt64Array;
    const times = (await readNpy(join(out, 'times.npy'))).data as BigInt64Array;
    const rows = new Set(Array.from(ids, (id, i) => `${Number(id)}@${Number(times[i])}`));
    expect(rows).toEqual(distinct);
    const splits = (await readNpy(join(out, 'splits.npy'))).data as Int32Array;
    expect(new Set(splits)).toEqual(new Set([0, 1, 2]));
    const manifest = JSON.parse(await readFile(join(out, 'embed.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'dflc-embed', at: 'prediction-times', rows: distinct.size, dim: 8, data: FIXTURE_DIR });
  });

  it('--at all-windows writes window indices, --at last one row per subject with data', async () => {
    const all = join(tmp, 'all');
    expect((await runCli(['embed', run, '--at', 'all-windows', '--out', all, '--backend', 'wasm'])).code).toBe(0);
    const index = (await readNpy(join(all, 'window_index.npy'))).data as Int32Array;
    const ids = (await readNpy(join(all, 'subject_ids.npy'))).data as BigInt64Array;
    expect(index.length).toBe(ids.length);
    expect(index.length).toBeGreaterThan(120);
    const last = join(tmp, 'last');
    expect((await runCli(['embed', run, '--at', 'last', '--out', last, '--backend', 'wasm'])).code).toBe(0);
    const lastIds = (await readNpy(join(last, 'subject_ids.npy'))).data as BigInt64Array;
    expect(new Set(lastIds).size).toBe(lastIds.length);
    expect(new Set(lastIds)).toEqual(new Set(ids));
  });

  it('says what is wrong with the run folder or the flags', async () => {
    const missing = await runCli(['embed', join(tmp, 'nope')]);
    expect(missing).toMatchObject({ code: 1, stderr: `dflc embed: ${join(tmp, 'nope')}: no such run folder\n` });
    const notRun = await runCli(['embed', tmp]);
    expect(notRun).toMatchObject({ code: 1, stderr: `dflc embed: ${tmp}: not a dflc run folder (no run.json)\n` });
    const badAt = await runCli(['embed', run, '--at', 'first']);
    expect(badAt.code).toBe(2);
    expect(badAt.stderr).toContain('--at must be one of prediction-times, last, all-windows');
  });
});

describe('dflc eval', () => {
  it('writes metrics.json that the schema accepts, the spectrum and the report', async () => {
    const result = await runCli(['eval', run, '--backend', 'wasm', '--resamples', '200', '--json']);
    if (result.code !== 0) throw new Error(result.stderr);
    const file = join(run, 'eval', 'metrics.json');
    const metrics = parseEvalResult(await readFile(file, 'utf8'), file);
    expect(JSON.parse(result.stdout)).toEqual(metrics);
    expect(metrics.run).toMatchObject({ modality: 'multimodal', data: FIXTURE_DIR, steps: 2, bootstrap: { resamples: 200, level: 0.95 } });
    expect(metrics.geometry).toMatchObject({ split: 'held_out', n: 8, d: 8, spectrum_file: 'spectrum.npy' });
    const spectrum = await readNpy(join(run, 'eval', 'spectrum.npy'));
    expect(spectrum).toMatchObject({ dtype: 'float64', shape: [8] });
    // Every task is either probed or named under skipped, with its reason.
    const tasks = (await readLabels(join(FIXTURE_DIR, 'labels'))).map((t) => t.name);
    const seen = [...metrics.probes.map((p) => p.task), ...metrics.skipped.filter((s) => s.what.startsWith('probe ')).map((s) => s.what.slice(6))];
    expect(seen.sort()).toEqual([...tasks].sort());
    expect(metrics.alignment).not.toBeNull();
    expect(metrics.latent_r2 ?? metrics.skipped.find((s) => s.what === 'latent_r2')).toBeDefined();
    const html = await readFile(join(run, 'eval', 'report.html'), 'utf8');
    expect(html).toContain('<svg');
  });

  it('without labels measures the geometry of last windows and says what it skipped', async () => {
    const data = join(tmp, 'no-labels');
    await cp(FIXTURE_DIR, data, { recursive: true, filter: (path) => !path.includes('/labels') });
    const result = await runCli(['eval', run, '--data', data, '--backend', 'wasm']);
    if (result.code !== 0) throw new Error(result.stderr);
    expect(result.stdout).toContain('geometry (held_out, n 8, d 8)');
    expect(result.stdout).toContain(`skipped probes: ${join(data, 'labels')} holds no label tasks`);
    const metrics = parseEvalResult(await readFile(join(run, 'eval', 'metrics.json'), 'utf8'), 'metrics.json');
    expect(metrics.probes).toEqual([]);
    expect(metrics.robustness).toEqual([]);
  });

  it('refuses a bad seed as a usage error', async () => {
    const bad = await runCli(['eval', run, '--seed', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--seed must be an integer of at least 0, got 'x'");
  });
});
