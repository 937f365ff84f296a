import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvalResult } from '../../runtime/eval/eval-result.ts';
import { REPO_ROOT } from '../helpers/run-cli.ts';

/**
 * `dflc eval` of a short multimodal run on a 1,000-patient synthetic cohort, where every part of
 * metrics.json has enough held-out subjects to be measured (the committed fixture has 8, too few
 * for probes). Slow: DFLC_SLOW=1.
 */
function dflc(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO_ROOT, 'bin', 'dflc.js'), ...args], { cwd: REPO_ROOT, timeout: 600_000 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
    );
  });
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dflc-eval-synth-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe.runIf(process.env.DFLC_SLOW)('dflc eval on a synthetic cohort', () => {
  it('measures every section: probes of all tasks, five perturbations, stability, alignment, latent R²', async () => {
    const data = join(tmp, 'cohort');
    const run = join(tmp, 'run');
    expect((await dflc(['synth', '--out', data, '--patients', '1000', '--seed', '3'])).code).toBe(0);
    const trained = await dflc(['run', 'examples/card.dfl', '--data', data, '--modality', 'multimodal', '--dim', '16', '--steps', '20', '--out', run]);
    expect(trained.code, trained.stderr).toBe(0);
    const evaluated = await dflc(['eval', run, '--resamples', '200']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const file = join(run, 'eval', 'metrics.json');
    const m = parseEvalResult(await readFile(file, 'utf8'), file);
    const truth = JSON.parse(await readFile(join(data, 'truth', 'truth.json'), 'utf8')) as { tasks: { name: string }[] };
    expect(m.probes.map((p) => p.task).sort()).toEqual(truth.tasks.map((t) => t.name).sort());
    expect(m.skipped).toEqual([]);
    expect(new Set(m.robustness.map((r) => r.perturbation)).size).toBe(5);
    for (const r of m.robustness) {
      const clean = m.probes.find((p) => p.task === r.task)!;
      expect(r.auroc_drop).toBeCloseTo(clean.auroc - r.auroc, 12);
    }
    expect(m.stability?.cka_consecutive.length).toBeGreaterThan(0);
    expect(m.alignment?.k).toBe(8);
    expect(m.latent_r2?.n_latents).toBe(16);
    expect(evaluated.stdout).toContain('latent R²');
  }, 900_000);
});
