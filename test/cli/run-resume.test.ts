import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../runtime/data/helpers.ts';
import { REPO_ROOT, runCli } from '../helpers/run-cli.ts';
import { checkRunFiles, listFiles, readMetrics } from './run-helpers.ts';
import { webgpuUnavailable } from '../runtime/executors/onnx-webgpu/open-webgpu.ts';
import { exists } from '../helpers/exists.ts';

/** The fixture cohort gives 34 steps an epoch at batch 16. */
const STEPS_PER_EPOCH = 34;
const CARD = 'examples/card.dfl';
const args = (objective: string, backend: string, steps: number) =>
  ['run', objective, '--data', FIXTURE_DIR, '--dim', '8', '--batch', '16', '--steps', String(steps), '--checkpoint-every', '5', '--backend', backend];

/**
 * What a killed and resumed run shares with an uninterrupted one: on the CPU backends every bit;
 * on onnx-webgpu the losses to float32 rounding, since ORT's WebGPU kernels are not bit-for-bit
 * reproducible from run to run (two uninterrupted runs on Mesa's lavapipe differ by about 4e-7 in
 * the loss, and the difference grows through training). One epoch there: a software GPU is slow.
 */
interface ResumeCase {
  readonly objective: string;
  readonly backend: string;
  readonly steps: number;
  readonly same: 'bits' | 'losses';
  /**
   * How long one run may take: generous, because CI machines may be loaded (a 2-epoch fixture run
   * takes about 10 s on an idle core and went past 30 s beside other test files), and the software
   * GPU starts slowly (shader compilation).
   */
  readonly runMs: number;
}
const webgpu = await webgpuUnavailable();
if (webgpu !== undefined) describe.skip(`dflc run on onnx-webgpu, killed and resumed: ${webgpu}`, () => it('needs a WebGPU adapter', () => {}));
const CASES: ResumeCase[] = [
  { objective: CARD, backend: 'onnx', steps: 2 * STEPS_PER_EPOCH, same: 'bits', runMs: 120_000 },
  { objective: CARD, backend: 'wasm', steps: 2 * STEPS_PER_EPOCH, same: 'bits', runMs: 120_000 },
  // Params (the expander) and augmented views (Z_a, Z_b), whose draws must replay exactly.
  { objective: 'examples/baselines/vicreg.dfl', backend: 'onnx', steps: 40, same: 'bits', runMs: 120_000 },
  ...(webgpu === undefined ? [{ objective: CARD, backend: 'onnx-webgpu', steps: STEPS_PER_EPOCH, same: 'losses', runMs: 120_000 } as const] : []),
];
/** Relative difference allowed between the losses of the two onnx-webgpu runs (measured: 4e-7). */
const LOSS_TOLERANCE = 1e-4;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dflc-resume-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

// ONNX Runtime keeps the state in its own buffers between steps (GPU buffers on onnx-webgpu),
// tfjs-wasm in tensors: each must checkpoint what an uninterrupted run holds at that step.
describe.each(CASES)('dflc run $objective on $backend, killed with SIGKILL and resumed', ({ objective, backend, steps, same, runMs }) => {
  it('leaves no corrupt file, continues from the last checkpoint, and ends as an uninterrupted run does', async () => {
    const ARGS = args(objective, backend, steps);
    const name = `${backend}-${objective.replace(/\W/g, '_')}`;
    const whole = join(tmp, `whole-${name}`);
    const killed = join(tmp, `killed-${name}`);
    const uninterrupted = runCli([...ARGS, '--out', whole], { timeoutMs: runMs });

    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'dflc.js'), ...ARGS, '--out', killed], { cwd: REPO_ROOT, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 2 * runMs;
    while (!(await exists(join(killed, 'checkpoints', 'latest')))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('the run made no checkpoint');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // Nothing half-written: every file of the run parses, and the run had not finished.
    await checkRunFiles(killed);
    expect(JSON.parse(await readFile(join(killed, 'run.json'), 'utf8')).status).toBe('running');
    expect(await exists(join(killed, 'embeddings', 'train.npy'))).toBe(false);
    const latest = (await readFile(join(killed, 'checkpoints', 'latest'), 'utf8')).trim();
    const resumedFrom = JSON.parse(await readFile(join(killed, 'checkpoints', latest, 'state.json'), 'utf8')).step;
    expect(resumedFrom).toBeLessThan(steps);

    const resumed = await runCli(['run', objective, '--out', killed, '--resume'], { timeoutMs: runMs });
    expect(resumed.stderr).not.toMatch(/internal error/);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`resuming from step ${resumedFrom}`);
    expect(resumed.stdout).toContain(`(steps ${resumedFrom + 1}-${steps}, resumed)`);
    expect((await uninterrupted).code).toBe(0);

    // A metrics log that reads like an uninterrupted one, and the same outputs.
    expect((await readMetrics(killed)).map((m) => m.step)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    const losses = (await readMetrics(killed)).map((m) => m.loss);
    const wholeLosses = (await readMetrics(whole)).map((m) => m.loss);
    if (same === 'bits') {
      for (const file of ['train', 'tuning', 'held_out'].flatMap((s) => [`embeddings/${s}.npy`, `embeddings/${s}_subject_ids.npy`]).concat('model/weights.bin')) {
        expect(Buffer.compare(await readFile(join(killed, file)), await readFile(join(whole, file))), file).toBe(0);
      }
      expect(losses).toEqual(wholeLosses);
    } else {
      losses.forEach((loss, i) => expect(Math.abs(Number(loss) - Number(wholeLosses[i])), `loss at step ${i + 1}`).toBeLessThan(LOSS_TOLERANCE * Math.abs(Number(wholeLosses[i]))));
      for (const file of ['train', 'tuning', 'held_out'].map((s) => `embeddings/${s}_subject_ids.npy`)) {
        expect(Buffer.compare(await readFile(join(killed, file)), await readFile(join(whole, file))), file).toBe(0);
      }
    }
    await checkRunFiles(killed);
    expect((await listFiles(killed)).filter((f) => f.includes('.tmp'))).toEqual([]);
  }, 4 * runMs);
});
