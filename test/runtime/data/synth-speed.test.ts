import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSyntheticCohort } from '../../../runtime/data/synth/write-cohort.ts';
import { withTempDir } from './helpers.ts';

// Slow: run with DFLC_SLOW=1 (npm run test:slow).
describe.runIf(process.env.DFLC_SLOW)('synth speed', () => {
  it('writes 10,000 patients in under 60 s', async () => {
    await withTempDir(async (dir) => {
      const started = performance.now();
      const summary = await writeSyntheticCohort({ out: join(dir, 'c'), patients: 10_000, seed: 1 });
      const seconds = (performance.now() - started) / 1000;
      expect(summary.patients).toBe(10_000);
      expect(seconds).toBeLessThan(60);
    });
  }, 120_000);
});
