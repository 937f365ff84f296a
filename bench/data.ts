/**
 * `npm run bench:data [-- --patients N] [-- --dir DIR]`: reads a synthetic cohort (default 50,000
 * patients) into memory and cuts it into 90-day windows anchored at the label times, the way a
 * training run starts, and prints the wall time and the peak resident memory of that step.
 *
 * The cohort is generated first if DIR does not already hold it (that time is printed but not part
 * of the measurement). The read runs in a fresh child process so that its peak RSS is its own.
 */
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readDatasetJson } from '../runtime/data/dataset-json.ts';
import { readLabels } from '../runtime/data/labels-reader.ts';
import { readCohort } from '../runtime/data/meds-reader.ts';
import { createProgress } from '../runtime/data/progress.ts';
import { writeSyntheticCohort } from '../runtime/data/synth/write-cohort.ts';
import { buildWindows, windowPairs } from '../runtime/data/windows.ts';

const SEED = 1;
const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '50000' },
    dir: { type: 'string' },
    measure: { type: 'string' },
  },
});

interface Measurement {
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly heapMb: number;
  readonly subjects: number;
  readonly events: number;
  readonly notes: number;
  readonly codes: number;
  readonly windows: number;
  readonly pairs: number;
  readonly tasks: number;
}

async function measure(dir: string): Promise<Measurement> {
  const started = performance.now();
  const cohort = await readCohort(dir);
  const labels = await readLabels(join(dir, 'labels'));
  const windows = buildWindows(cohort, { labels });
  const pairs = windowPairs(windows);
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapMb: process.memoryUsage().heapUsed / 2 ** 20,
    subjects: cohort.subjects.count,
    events: cohort.events.count,
    notes: cohort.notes.count,
    codes: cohort.vocabulary.codes.length,
    windows: windows.count,
    pairs: pairs.first.length,
    tasks: labels.length,
  };
}

async function main(): Promise<void> {
  if (values.measure !== undefined) {
    process.stdout.write(JSON.stringify(await measure(values.measure)));
    return;
  }
  const patients = Number(values.patients);
  const dir = values.dir ?? join(tmpdir(), `dflc-bench-cohort-${patients}-seed${SEED}`);
  const version = `seed-${SEED}-patients-${patients}`;
  const existing = await readDatasetJson(join(dir, 'metadata', 'dataset.json')).catch(() => ({}) as Record<string, unknown>);
  if (existing.dataset_version !== version) {
    const bar = createProgress({ label: 'synth', total: patients, write: (t) => process.stderr.write(t), isTty: process.stderr.isTTY === true, unit: 'patients' });
    const started = performance.now();
    await writeSyntheticCohort({ out: dir, patients, seed: SEED, replace: true, onProgress: (done) => bar.update(done) });
    bar.finish();
    console.log(`generated ${dir} in ${((performance.now() - started) / 1000).toFixed(1)} s (not part of the measurement)`);
  } else {
    console.log(`using ${dir}`);
  }
  const script = fileURLToPath(import.meta.url);
  const output = execFileSync(process.execPath, [...process.execArgv, script, '--measure', dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const m = JSON.parse(output) as Measurement;
  const n = (x: number): string => x.toLocaleString('en-US');
  console.log(
    `read ${n(m.subjects)} subjects, ${n(m.events)} events, ${n(m.notes)} notes, ${n(m.codes)} codes, ${m.tasks} label tasks; ` +
      `${n(m.windows)} windows of 90 days, ${n(m.pairs)} (t, t+1) pairs`,
  );
  console.log(`wall time ${m.seconds.toFixed(1)} s, peak RSS ${m.peakRssMb.toFixed(0)} MB (target < 1536 MB), heap after ${m.heapMb.toFixed(0)} MB`);
  if (m.peakRssMb > 1536) process.exitCode = 1;
}

await main();
