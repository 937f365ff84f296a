import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSyntheticCohort } from '../../../runtime/data/synth/write-cohort.ts';
import { FIXTURE_DIR, FIXTURE_PATIENTS, FIXTURE_SEED, withTempDir } from './helpers.ts';

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join((e as unknown as { parentPath: string }).parentPath ?? (e as unknown as { path: string }).path, e.name)))
    .sort();
}

describe('the committed fixture cohort', () => {
  it('is what `dflc synth --patients 120 --seed 20261125` writes today, byte for byte', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'cohort');
      await writeSyntheticCohort({ out, patients: FIXTURE_PATIENTS, seed: FIXTURE_SEED });
      const files = await listFiles(out);
      // If this fails after an intended change to the generator, regenerate the fixture with
      //   node bin/dflc.js synth --out test/fixtures/cohort --patients 120 --seed 20261125 --force
      expect(await listFiles(FIXTURE_DIR)).toEqual(files);
      for (const file of files) {
        const [now, committed] = await Promise.all([readFile(join(out, file)), readFile(join(FIXTURE_DIR, file))]);
        expect(Buffer.compare(now, committed), file).toBe(0);
      }
    });
  });

  it('stays small enough to commit (under 1 MiB) with at most 200 patients', async () => {
    let bytes = 0;
    for (const file of await listFiles(FIXTURE_DIR)) bytes += (await stat(join(FIXTURE_DIR, file))).size;
    expect(bytes).toBeLessThan(1024 * 1024);
    expect(FIXTURE_PATIENTS).toBeLessThanOrEqual(200);
  });
});
