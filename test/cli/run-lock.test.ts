import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../runtime/data/helpers.ts';
import { REPO_ROOT, runCli } from '../helpers/run-cli.ts';
import { checkRunFiles, listFiles, readMetrics } from './run-helpers.ts';
import { exists } from '../helpers/exists.ts';

/**
 * Two processes on one run folder, with the real binary: the second is refused while the first
 * lives, and takes the folder over once it is dead. The first is stopped (SIGSTOP) or killed at
 * a moment the test chooses, so nothing depends on how fast either runs.
 */
const STEPS = 40;
const ARGS = ['run', 'examples/card.dfl', '--data', FIXTURE_DIR, '--dim', '8', '--batch', '16', '--steps', String(STEPS), '--checkpoint-every', '5', '--backend', 'onnx'];
const RUN_MS = 120_000;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dflc-lock-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const checkpointFolders = async (run: string): Promise<string[]> =>
  (await readdir(join(run, 'checkpoints')).catch(() => [] as string[])).filter((f) => /^step-\d+$/.test(f)).sort();

/** `dflc run ARGS` in the background, with its exit (code or signal) and its streams. */
function start(args: readonly string[]): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'dflc.js'), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exited };
}

async function waitUntil(what: string, child: ChildProcess, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + RUN_MS;
  while (!(await ready())) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the run ended or timed out before ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Every file of the folder with its bytes. */
async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const file of await listFiles(dir)) files.set(file, await readFile(join(dir, file)));
  return files;
}

describe('dflc run: one process at a time in a run folder', () => {
  it('refuses a resume and a new run in a folder another run is using, naming it and the pid, and touches nothing', async () => {
    const run = join(tmp, 'busy');
    const first = start([...ARGS, '--out', run]);
    await waitUntil('its first checkpoint', first.child, () => exists(join(run, 'checkpoints', 'latest')));
    first.child.kill('SIGSTOP');
    try {
      const before = await snapshot(run);
      const [resume, fresh] = await Promise.all([
        runCli(['run', 'examples/card.dfl', '--out', run, '--resume'], { timeoutMs: RUN_MS }),
        runCli([...ARGS, '--out', run], { timeoutMs: RUN_MS }),
      ]);
      for (const second of [resume, fresh]) {
        expect(second.stderr).toContain(`dflc run: ${run} is in use by process ${first.child.pid} (dflc ${ARGS.join(' ')} --out ${run}, since `);
        expect(second.code).toBe(1);
      }
      expect(await snapshot(run)).toEqual(before);
    } finally {
      first.child.kill('SIGCONT');
    }
    // The first run ends as if it had been alone: every step logged once, every file whole, no lock left.
    const { code, stderr } = await first.exited;
    expect(stderr).not.toMatch(/internal error/);
    expect(code).toBe(0);
    expect((await readMetrics(run)).map((m) => m.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    await checkRunFiles(run);
    expect(await exists(join(run, 'run.lock'))).toBe(false);
  }, 4 * RUN_MS);

  it('takes over the lock of a run killed with SIGKILL, and continues it', async () => {
    const run = join(tmp, 'killed');
    const first = start([...ARGS, '--out', run]);
    await waitUntil('its second checkpoint', first.child, async () => (await checkpointFolders(run)).length >= 2);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(JSON.parse(await readFile(join(run, 'run.lock'), 'utf8')).pid).toBe(first.child.pid);
    // A run killed mid-training keeps its last two checkpoints (--keep-checkpoints final).
    const kept = await checkpointFolders(run);
    expect(kept).toHaveLength(2);
    expect(kept).toContain((await readFile(join(run, 'checkpoints', 'latest'), 'utf8')).trim());

    const resumed = await runCli(['run', 'examples/card.dfl', '--out', run, '--resume'], { timeoutMs: RUN_MS });
    expect(resumed.stderr).not.toMatch(/internal error|in use/);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/resuming from step \d+/);
    expect(await checkpointFolders(run)).toEqual([`step-${STEPS}`]);
    expect((await readMetrics(run)).map((m) => m.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    expect((await readdir(run)).filter((f) => f.includes('lock'))).toEqual([]);
  }, 3 * RUN_MS);

  it.each(['SIGINT', 'SIGTERM'] as const)('releases the lock when stopped with %s', async (signal) => {
    const run = join(tmp, signal);
    const first = start([...ARGS, '--out', run]);
    await waitUntil('taking the lock', first.child, () => exists(join(run, 'run.lock')));
    first.child.kill(signal);
    expect((await first.exited).signal).toBe(signal);
    expect(await exists(join(run, 'run.lock'))).toBe(false);
  }, 2 * RUN_MS);
});
