import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TfjsExecutor } from '../../runtime/executors/tfjs/tfjs-executor.ts';
import { readCohort } from '../../runtime/data/meds-reader.ts';
import { embedWindowHasData, lastWindowsWithData } from '../../runtime/train/outputs/embed-rows.ts';
import { embedWithEncoder, encoderWindows, loadTrainedEncoder } from '../../runtime/train/outputs/trained-encoder.ts';
import { FIXTURE_DIR } from '../runtime/data/helpers.ts';
import { smallCohort } from '../runtime/train/helpers.ts';
import { runCli } from '../helpers/run-cli.ts';
import { checkRunFiles, readMetrics, readNpy } from './run-helpers.ts';
import '@tensorflow/tfjs-backend-cpu';

/** The committed fixture: 120 patients, 98 train, 14 tuning, 8 held out. */
const SPLIT_SIZES = { train: 98, tuning: 14, held_out: 8 };
const TINY = ['--data', FIXTURE_DIR, '--dim', '8', '--batch', '16', '--backend', 'wasm'];

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dflc-run-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function expectCompleteRun(run: string, modality: string, dim: number): Promise<void> {
  const files = await checkRunFiles(run);
  expect(files).toEqual(
    expect.arrayContaining([
      'run.json',
      'objective.dfl',
      'metrics.jsonl',
      'checkpoints/latest',
      'model/model.json',
      'model/weights.bin',
      'model/featurizer.json',
      ...Object.keys(SPLIT_SIZES).flatMap((s) => [`embeddings/${s}.npy`, `embeddings/${s}_subject_ids.npy`]),
    ]),
  );
  const allIds = new Set<bigint>();
  for (const [split, rows] of Object.entries(SPLIT_SIZES)) {
    const z = await readNpy(join(run, 'embeddings', `${split}.npy`));
    const ids = await readNpy(join(run, 'embeddings', `${split}_subject_ids.npy`));
    expect(z).toMatchObject({ dtype: 'float32', shape: [rows, dim] });
    expect(ids).toMatchObject({ dtype: 'int64', shape: [rows] });
    expect(Array.from(z.data as Float32Array).every((v) => Number.isFinite(v))).toBe(true);
    for (const id of ids.data as BigInt64Array) allIds.add(id);
  }
  expect(allIds.size).toBe(120);
  const record = JSON.parse(await readFile(join(run, 'run.json'), 'utf8'));
  expect(record).toMatchObject({ format: 'dflc-run', status: 'done', model: { modality, dim } });
  const metrics = await readMetrics(run);
  expect(metrics.map((m) => m.step)).toEqual(Array.from({ length: record.steps }, (_, i) => i + 1));
  expect(metrics.every((m) => typeof m.loss === 'number' && Number.isFinite(m.loss))).toBe(true);
  expect(metrics.every((m) => typeof m.grad_norm === 'number' && m.grad_norm > 0 && Number.isFinite(m.grad_norm))).toBe(true);
  // The weights decode with TensorFlow.js.
  const manifest = JSON.parse(await readFile(join(run, 'model', 'model.json'), 'utf8'));
  const bytes = await readFile(join(run, 'model', 'weights.bin'));
  const tensors = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), manifest.weightsManifest[0].weights);
  expect(Object.keys(tensors).length).toBe(manifest.weightsManifest[0].weights.length);
  tf.dispose(Object.values(tensors));
}

describe('dflc run, end to end on the committed fixture', () => {
  it('trains the EHR encoder with the card objective: outputs of the right shapes, and the loss goes down', async () => {
    const run = join(tmp, 'ehr');
    const result = await runCli(['run', 'examples/card.dfl', ...TINY, '--epochs', '2', '--out', run, '--checkpoint-every', '20']);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`run folder: ${run}`);
    expect(result.stdout).toMatch(/trained 68 steps .* on wasm/);
    expect(result.stderr).toMatch(/training card \(ehr, dim 8, hidden 64\) on 98 subjects/);
    expect(result.stderr).toMatch(/epoch 2\/2 step 68\/68 loss \S+ \S+ steps\/s effrank\(batch\) \d/);
    await expectCompleteRun(run, 'ehr', 8);
    const losses = (await readMetrics(run)).map((m) => m.loss as number);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 5)));
    const ranks = (await readMetrics(run)).filter((m) => m.effective_rank !== undefined);
    expect(ranks.length).toBeGreaterThan(5);
    expect(ranks.every((m) => m.effective_rank! >= 1 && m.effective_rank! <= 8)).toBe(true);

    // The saved model and featurizer recompute the written embeddings exactly (same backend).
    const encoder = await loadTrainedEncoder(run);
    const cohort = await readCohort(FIXTURE_DIR);
    const windows = encoderWindows(encoder, cohort);
    const ids = (await readNpy(join(run, 'embeddings', 'tuning_subject_ids.npy'))).data as BigInt64Array;
    const subjects = Int32Array.from(ids, (id) => cohort.subjects.indexOf.get(Number(id))!);
    const executor = await TfjsExecutor.create('wasm');
    try {
      const again = await embedWithEncoder(encoder, executor, cohort, windows, lastWindowsWithData(windows, subjects, embedWindowHasData(windows, 'ehr')), subjects);
      expect(again.get('embed:Z')!.data).toEqual((await readNpy(join(run, 'embeddings', 'tuning.npy'))).data);
    } finally {
      executor.dispose();
    }
  });

  it('trains the text encoder on the notes', async () => {
    const run = join(tmp, 'text');
    const result = await runCli(['run', 'examples/card.dfl', ...TINY, '--modality', 'text', '--epochs', '1', '--out', run]);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    await expectCompleteRun(run, 'text', 8);
    expect(JSON.parse(await readFile(join(run, 'run.json'), 'utf8')).model.textRows).toBe(4096);
  });

  it('trains the multimodal encoder with the cross-modal objective (E, T bound to the two encoders)', async () => {
    const run = join(tmp, 'multimodal');
    const result = await runCli(['run', 'examples/cross-modal.dfl', ...TINY, '--modality', 'multimodal', '--epochs', '1', '--out', run]);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    await expectCompleteRun(run, 'multimodal', 8);
    const record = JSON.parse(await readFile(join(run, 'run.json'), 'utf8'));
    expect(record.objective.bindings).toEqual([
      { input: 'E', stream: 'E', slot: 0 },
      { input: 'T', stream: 'T', slot: 0 },
    ]);
    // E and T of each split, rows in F's subject order: F recomputed from them with the model's
    // fusion weights (F = relu(E w_ehr + T w_text + b1) w2 + b2) is the written F, row by row.
    const weights = await modelWeights(run);
    for (const [split, rows] of Object.entries(SPLIT_SIZES)) {
      expect(record.embeddings[split]).toMatchObject({ E: `embeddings/${split}_E.npy`, T: `embeddings/${split}_T.npy` });
      const [e, t, f] = await Promise.all(['_E', '_T', ''].map((suffix) => readNpy(join(run, 'embeddings', `${split}${suffix}.npy`))));
      for (const stream of [e, t]) expect(stream).toMatchObject({ dtype: 'float32', shape: [rows, 8] });
      const fused = fuse(weights, e.data as Float32Array, t.data as Float32Array, rows);
      const written = f.data as Float32Array;
      for (let i = 0; i < written.length; i++) expect(written[i]).toBeCloseTo(fused[i], 4);
    }
  });
});

/** The model's weights (model/weights.bin) by name. */
async function modelWeights(run: string): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
  const manifest = JSON.parse(await readFile(join(run, 'model', 'model.json'), 'utf8'));
  const bytes = await readFile(join(run, 'model', 'weights.bin'));
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  let offset = 0;
  for (const { name, shape } of manifest.weightsManifest[0].weights as { name: string; shape: number[] }[]) {
    const size = shape.reduce((a, b) => a * b, 1);
    out.set(name, { shape, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + 4 * size)) });
    offset += 4 * size;
  }
  return out;
}

/** relu(E w_ehr + T w_text + b1) w2 + b2 in float64, row-major [rows, dim]. */
function fuse(weights: Map<string, { shape: number[]; data: Float32Array }>, e: Float32Array, t: Float32Array, rows: number): Float64Array {
  const w = (name: string) => weights.get(`fusion.${name}`)!;
  const [dim, hidden] = w('w_ehr').shape;
  const out = new Float64Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const h = new Float64Array(hidden);
    for (let j = 0; j < hidden; j++) {
      let sum = w('b1').data[j];
      for (let k = 0; k < dim; k++) sum += e[r * dim + k] * w('w_ehr').data[k * hidden + j] + t[r * dim + k] * w('w_text').data[k * hidden + j];
      h[j] = Math.max(0, sum);
    }
    for (let j = 0; j < dim; j++) {
      let sum = w('b2').data[j];
      for (let k = 0; k < hidden; k++) sum += h[k] * w('w2').data[k * dim + j];
      out[r * dim + j] = sum;
    }
  }
  return out;
}

describe('dflc run with an objective that has params', () => {
  it('trains them with the encoder and saves them in the checkpoints and in model/', async () => {
    const file = join(tmp, 'projector.dfl');
    await writeFile(file, 'param W : [d, 4]\nparam b : [4]\nlet P = relu(Z @ W + b)\nvariance(P) + covariance(P)\n');
    const run = join(tmp, 'projector');
    const result = await runCli(['run', file, ...TINY, '--steps', '6', '--checkpoint-every', '3', '--keep-checkpoints', 'all', '--out', run]);
    expect(result.code, result.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(join(run, 'model', 'model.json'), 'utf8'));
    const weights = manifest.weightsManifest[0].weights as { name: string; shape: number[] }[];
    expect(weights.slice(-2)).toEqual([
      { name: 'objective.W', shape: [8, 4], dtype: 'float32' },
      { name: 'objective.b', shape: [4], dtype: 'float32' },
    ]);
    const state = (step: number) => readFile(join(run, 'checkpoints', `step-${step}`, 'state.json'), 'utf8').then((t) => JSON.parse(t));
    const arrays = async (step: number) => {
      const names = (await state(step)).arrays as Record<string, string>;
      expect(Object.keys(names)).toEqual(expect.arrayContaining(['param:objective.W', 'adam.m:objective.W', 'adam.v:objective.b']));
      return readNpy(join(run, 'checkpoints', `step-${step}`, names['param:objective.W']));
    };
    const [w3, w6] = [await arrays(3), await arrays(6)];
    expect(w3.shape).toEqual([8, 4]);
    expect(Array.from(w3.data as Float32Array)).not.toEqual(Array.from(w6.data as Float32Array));
  });
});

describe('dflc run --steps', () => {
  it('ends after N steps; --steps 0 writes the same run folder with the untrained, seeded encoder', async () => {
    const five = join(tmp, 'steps-5');
    const trained = await runCli(['run', 'examples/card.dfl', ...TINY, '--steps', '5', '--out', five]);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stdout).toMatch(/trained 5 steps /);
    expect(trained.stderr).toContain('5 steps (34 per epoch) of batch 16');
    expect((await readMetrics(five)).map((m) => m.step)).toEqual([1, 2, 3, 4, 5]);

    const random = (name: string, seed: string) => join(tmp, `${name}-${seed}`);
    for (const [name, seed] of [['random', '0'], ['random-again', '0'], ['random', '1']]) {
      const result = await runCli(['run', 'examples/card.dfl', ...TINY, '--steps', '0', '--seed', seed, '--out', random(name, seed)]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/trained 0 steps /);
    }
    await expectCompleteRun(random('random', '0'), 'ehr', 8);
    expect(JSON.parse(await readFile(join(random('random', '0'), 'checkpoints', 'step-0', 'state.json'), 'utf8')).step).toBe(0);
    const weights = (run: string) => readFile(join(run, 'model', 'weights.bin'));
    expect(Buffer.compare(await weights(random('random', '0')), await weights(random('random-again', '0')))).toBe(0);
    expect(Buffer.compare(await weights(random('random', '0')), await weights(random('random', '1')))).not.toBe(0);
    expect(Buffer.compare(await weights(random('random', '0')), await weights(five))).not.toBe(0);
  });
});

describe('dflc run stops on a non-finite loss', () => {
  it('names the step and the term, exits 1, and leaves the last good checkpoint intact', async () => {
    const file = join(tmp, 'blowup.dfl');
    // exp(0.05 * ||Z||²) overflows float32 within a few steps at this learning rate.
    await writeFile(file, 'ortho(Z) - exp(0.05*fro2(Z)) + balance(spectrum(Z))\n');
    const run = join(tmp, 'nan');
    const result = await runCli(['run', file, ...TINY, '--lr', '0.05', '--epochs', '2', '--checkpoint-every', '2', '--out', run]);
    expect(result.code).toBe(1);
    const match = /dflc run: step (\d+): the loss is -Infinity; term 2 \(-exp\(0\.05\*fro2\(Z\)\)\) went non-finite first/.exec(result.stderr);
    expect(match, result.stderr).not.toBeNull();
    const badStep = Number(match![1]);
    expect(result.stderr).toContain(`the last good checkpoint, ${join(run, 'checkpoints', `step-${badStep - (badStep % 2 === 0 ? 2 : 1)}`)}, is intact`);
    await checkRunFiles(run);
    const latest = (await readFile(join(run, 'checkpoints', 'latest'), 'utf8')).trim();
    const state = JSON.parse(await readFile(join(run, 'checkpoints', latest, 'state.json'), 'utf8'));
    expect(state.step).toBeLessThan(badStep);
    for (const name of Object.values(state.arrays) as string[]) {
      const array = await readNpy(join(run, 'checkpoints', latest, name));
      expect(Array.from(array.data as Float32Array).every((v) => Number.isFinite(v))).toBe(true);
    }
    expect(JSON.parse(await readFile(join(run, 'run.json'), 'utf8'))).toMatchObject({ status: 'failed', error: expect.stringContaining(`step ${badStep}`) });
    expect((await readMetrics(run)).at(-1)!.step).toBe(badStep - 1);
  });
});

describe('dflc run settings and mistakes', () => {
  it('reads dflc.json from the working folder; flags override it', async () => {
    const dir = join(tmp, 'cfg');
    await rm(dir, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
    await writeFile(join(dir, 'dflc.json'), JSON.stringify({ data: FIXTURE_DIR, dim: 4, batch: 16, epochs: 1, backend: 'wasm', out: 'runs/x', modality: 'text' }));
    const result = await runCli(['run', join(process.cwd(), 'examples/card.dfl'), '--dim', '6'], { cwd: dir });
    expect(result.code).toBe(0);
    const record = JSON.parse(await readFile(join(dir, 'runs/x/run.json'), 'utf8'));
    expect(record.model).toMatchObject({ dim: 6, batch: 16, modality: 'text' });
  });

  it('rejects an unknown dflc.json key naming the file and the key (exit 1), and a bad flag (exit 2)', async () => {
    const config = join(tmp, 'bad.json');
    await writeFile(config, '{"epoch": 3}');
    const bad = await runCli(['run', 'examples/card.dfl', '--config', config]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`dflc run: ${config}: unknown key 'epoch'; did you mean 'epochs'?`);
    const flag = await runCli(['run', 'examples/card.dfl', '--dim', 'wide']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain(`--dim must be a positive integer, got 'wide'`);
    const resume = await runCli(['run', 'examples/card.dfl', '--resume']);
    expect(resume.code).toBe(2);
    expect(resume.stderr).toContain('--resume needs --out RUN');
  });

  it('names a missing data folder, and refuses to overwrite a run', async () => {
    const missing = join(tmp, 'no-such-cohort');
    const result = await runCli(['run', 'examples/card.dfl', '--data', missing, '--out', join(tmp, 'never')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`dflc run: ${missing}: dataset folder not found`);
    const again = await runCli(['run', 'examples/card.dfl', ...TINY, '--out', join(tmp, 'ehr')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds a run; pass --resume to continue it');
  });

  it('shrinks the batch to a small dataset, and explains when there is nothing to train on', async () => {
    const rows = (subject: number) => [
      { subject, time: '2020-01-01', code: 'A' },
      { subject, time: '2020-02-01', code: 'B', value: subject },
      { subject, time: '2020-05-01', code: 'A' },
    ];
    const small = join(tmp, 'small');
    await smallCohort(small, { events: [...rows(1), ...rows(2)], splits: { 1: 'train', 2: 'train' } });
    const ok = await runCli(['run', 'examples/card.dfl', '--data', small, '--dim', '2', '--epochs', '1', '--backend', 'wasm', '--out', join(tmp, 'small-run')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('warning: only 2 training examples, fewer than --batch 64: using batch 2');
    const one = join(tmp, 'one');
    await smallCohort(one, { events: rows(1), splits: { 1: 'train' } });
    const none = await runCli(['run', 'examples/card.dfl', '--data', one, '--backend', 'wasm', '--out', join(tmp, 'one-run')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`dflc run: ${one}: only one training example: the objective reads windows t, t+1 of a subject`);
  });

  it('explains itself in --help', async () => {
    const result = await runCli(['run', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: dflc run FILE\.dfl/);
    expect(result.stdout).toContain('Z_t+k');
    expect(result.stdout).toContain('--resume');
  });
});
