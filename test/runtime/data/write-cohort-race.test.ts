import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCohort } from '../../../runtime/data/meds-reader.ts';
import { SynthTargetError, writeSyntheticCohort } from '../../../runtime/data/synth/write-cohort.ts';
import { withTempDir } from './helpers.ts';

/**
 * Writers racing to create one cohort folder (test/cli/run-bundled.test.ts races two real `dflc run`
 * processes, in the slow tier). Started in one tick, both find OUT absent before either renames.
 */
describe('writeSyntheticCohort, two writers at once', () => {
  it('the first rename wins; the other fails with SynthTargetError and deletes nothing', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'cache', 'cohort');
      const writers = [0, 1].map(() => writeSyntheticCohort({ out, patients: 30, seed: 5 }));
      const landed = await Promise.any(writers).then(() => stat(out));
      const results = await Promise.allSettled(writers);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const failure = results.find((r) => r.status === 'rejected')!.reason;
      expect(failure).toBeInstanceOf(SynthTargetError);
      expect((failure as Error).message).toBe(`${out} already holds a synthetic cohort; pass --force to replace it`);
      expect((await stat(out)).ino).toBe(landed.ino); // the winner's folder, not replaced
      expect(await readdir(join(dir, 'cache'))).toEqual(['cohort']); // no temporaries left
      expect((await readCohort(out)).subjects.count).toBe(30);
    });
  });
});
