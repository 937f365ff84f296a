import { spawn } from 'node:child_process';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../runtime/data/helpers.ts';
import { REPO_ROOT, runCli } from '../helpers/run-cli.ts';
import { checkRunFiles, listFiles, readMetrics } from './run-helpers.ts';

const args = (backend: string) => ['run', 'examples/card.dfl', '--data', FIXTURE_DIR, '--dim', '8', '--batch', '16', '--epochs', '2', '--checkpoint-every', '5', '--backend', backend];

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dflc-resume-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

// ONNX Runtime keeps the state in its own buffers between steps, tfjs-wasm in tensors: both must
// checkpoint what an uninterrupted run holds at that step.
describe.each(['onnx', 'wasm'])('dflc run on %s, killed with SIGKILL and resumed', (backend) => {
  it('leaves no corrupt file, continues from the last checkpoint, and ends with the embeddings of an uninterrupted run', async () => {
    const ARGS = args(backend);
    const whole = join(tmp, `whole-${backend}`);
    const killed = join(tmp, `killed-${backend}`);
    const uninterrupted = runCli([...ARGS, '--out', whole]);

    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'dflc.js'), ...ARGS, '--out', killed], { cwd: REPO_ROOT, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 60_000;
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
    expect(resumedFrom).toBeLessThan(68);

    const resumed = await runCli(['run', 'examples/card.dfl', '--out', killed, '--resume']);
    expect(resumed.stderr).not.toMatch(/internal error/);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`resuming from step ${resumedFrom}`);
    expect(resumed.stdout).toContain(`(steps ${resumedFrom + 1}-68, resumed)`);
    expect((await uninterrupted).code).toBe(0);

    // Bit-identical outputs, and a metrics log that reads like an uninterrupted one.
    for (const file of ['train', 'tuning', 'held_out'].flatMap((s) => [`embeddings/${s}.npy`, `embeddings/${s}_subject_ids.npy`]).concat('model/weights.bin')) {
      expect(Buffer.compare(await readFile(join(killed, file)), await readFile(join(whole, file))), file).toBe(0);
    }
    const steps = (await readMetrics(killed)).map((m) => m.step);
    expect(steps).toEqual(Array.from({ length: 68 }, (_, i) => i + 1));
    expect((await readMetrics(killed)).map((m) => m.loss)).toEqual((await readMetrics(whole)).map((m) => m.loss));
    await checkRunFiles(killed);
    expect((await listFiles(killed)).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
