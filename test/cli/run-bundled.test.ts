import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/run-cli.ts';
import { readNpy } from './run-helpers.ts';

/** `dflc run` with no --data: generates the 2,000-patient synthetic cohort once (slow: DFLC_SLOW=1). */
function dflc(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO_ROOT, 'bin', 'dflc.js'), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 300_000 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
    );
  });
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dflc-bundled-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe.runIf(process.env.DFLC_SLOW)('dflc run on the bundled synthetic cohort', () => {
  it('generates it into $DFLC_CACHE on first use and reuses it after', async () => {
    const env = { DFLC_CACHE: join(tmp, 'cache') };
    const args = ['run', 'examples/card.dfl', '--epochs', '1', '--dim', '8', '--backend', 'wasm'];
    const first = await dflc([...args, '--out', join(tmp, 'a')], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('wrote the bundled synthetic cohort to');
    expect(await readdir(join(tmp, 'cache'))).toEqual(['synthetic-v1-2000-seed-20261125']);
    let rows = 0;
    for (const split of ['train', 'tuning', 'held_out']) rows += (await readNpy(join(tmp, 'a', 'embeddings', `${split}.npy`))).shape[0];
    expect(rows).toBe(2000);
    const second = await dflc([...args, '--out', join(tmp, 'b')], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('data: the bundled synthetic cohort');
    expect(second.stderr).not.toContain('generating');
  }, 600_000);

  it('two runs started at once against an empty cache both train on one cohort that is never replaced', async () => {
    const cache = join(tmp, 'racing-cache');
    const cohort = join(cache, 'synthetic-v1-2000-seed-20261125');
    const args = ['run', 'examples/card.dfl', '--steps', '2', '--dim', '4', '--backend', 'wasm'];
    // Both generate at once (each takes seconds), so both pass the "absent" check before either
    // renames; the folder the first rename lands must be the one still there at the end, since
    // the first run may already be reading it.
    const inodes = new Set<number>();
    let racing = true;
    const watch = (async () => {
      while (racing) {
        const ino = await stat(cohort).then((s) => s.ino, () => undefined);
        if (ino !== undefined) inodes.add(ino);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const runs = await Promise.all(['x', 'y'].map((name) => dflc([...args, '--out', join(tmp, name)], { DFLC_CACHE: cache })));
    racing = false;
    await watch;
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    expect(runs.filter((run) => run.stderr.includes('wrote the bundled synthetic cohort to'))).toHaveLength(1);
    expect(inodes.size).toBe(1);
    expect(await readdir(cache)).toEqual(['synthetic-v1-2000-seed-20261125']); // no temporaries left
    expect(JSON.parse(await readFile(join(cohort, 'metadata', 'dataset.json'), 'utf8')).etl_name).toBe('dflc synth');
    for (const name of ['x', 'y']) {
      let rows = 0;
      for (const split of ['train', 'tuning', 'held_out']) rows += (await readNpy(join(tmp, name, 'embeddings', `${split}.npy`))).shape[0];
      expect(rows).toBe(2000);
    }
  }, 600_000);
});
