import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
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
});
