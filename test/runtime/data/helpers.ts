import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The committed fixture cohort: test/fixtures/cohort, written by
 *   dflc synth --out test/fixtures/cohort --patients 120 --seed 20261125
 * (fixture.test.ts fails if regenerating it gives different bytes).
 */
export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/cohort', import.meta.url));
export const FIXTURE_SEED = 20261125;
export const FIXTURE_PATIENTS = 120;

/** A fresh temporary folder, removed after `body` (also when it throws). */
export async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'dflc-data-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
