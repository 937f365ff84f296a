import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLabels } from '../../runtime/data/labels-reader.ts';
import { auroc } from '../../runtime/eval/metrics/auroc.ts';
import { readModel } from '../../runtime/train/outputs/model-files.ts';
import { runCli } from '../helpers/run-cli.ts';
import { readNpy } from './run-helpers.ts';

/**
 * The supervised baseline learns its task: trained on the bundled cohort's mortality_1y labels
 * (5 epochs), its own head (the params w, b saved in model/) scores the held-out subjects'
 * prediction-time windows, embedded by `dflc embed` with the trained encoder, with an AUROC far
 * above chance. Slow (the bundled cohort is generated on first use): DFLC_SLOW=1.
 */

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dflc-supervised-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('examples/baselines/supervised.dfl', () => {
  it.runIf(process.env.DFLC_SLOW)('reaches a held-out AUROC of its head well above 0.5 on the bundled cohort', { timeout: 600_000 }, async () => {
    const run = join(tmp, 'supervised');
    const trained = await runCli(['run', 'examples/baselines/supervised.dfl', '--label', 'Y=mortality_1y', '--epochs', '5', '--backend', 'onnx', '--out', run]);
    expect(trained.code, trained.stderr).toBe(0);
    const embedded = await runCli(['embed', run, '--backend', 'onnx']);
    expect(embedded.code, embedded.stderr).toBe(0);

    const dir = join(run, 'embed', 'prediction-times');
    const z = await readNpy(join(dir, 'embeddings.npy'));
    const ids = (await readNpy(join(dir, 'subject_ids.npy'))).data as BigInt64Array;
    const times = (await readNpy(join(dir, 'times.npy'))).data as BigInt64Array;
    const splits = (await readNpy(join(dir, 'splits.npy'))).data as Int32Array;
    const { params } = await readModel(join(run, 'model'));
    const w = params.get('param:objective.w')!.data;
    const b = params.get('param:objective.b')!.data[0];
    const dataPath = JSON.parse(await readFile(join(run, 'run.json'), 'utf8')).dataPath as string;
    const [task] = (await readLabels(join(dataPath, 'labels'))).filter((t) => t.name === 'mortality_1y');
    const label = new Map<string, number>();
    for (let i = 0; i < task.count; i++) if (task.value[i] >= 0) label.set(`${task.subjectId[i]}:${task.predictionTime[i]}`, task.value[i]);

    const [rows, dim] = z.shape;
    const scores: number[] = [];
    const labels: number[] = [];
    for (let r = 0; r < rows; r++) {
      const y = label.get(`${ids[r]}:${times[r]}`);
      if (splits[r] !== 2 || y === undefined) continue;
      let s = b;
      for (let j = 0; j < dim; j++) s += (z.data as Float32Array)[r * dim + j] * w[j];
      scores.push(s);
      labels.push(y);
    }
    const heldOut = auroc(scores, labels)!;
    console.log(`supervised baseline, mortality_1y: held-out AUROC of its head ${heldOut.toFixed(3)} over ${labels.length} windows`);
    expect(labels.length).toBeGreaterThan(100);
    expect(heldOut).toBeGreaterThan(0.65);
  });
});
