import { resolve } from 'node:path';
import { createProgress } from '../../data/progress.ts';
import { OUTCOME_TASKS } from '../../data/synth/outcomes.ts';
import { SynthTargetError, writeSyntheticCohort } from '../../data/synth/write-cohort.ts';
import { UsageError, type Command } from '../command.ts';

const DEFAULT_PATIENTS = 1000;
const MAX_PATIENTS = 10_000_000;

export const synthCommand: Command = {
  name: 'synth',
  summary: 'write a synthetic EHR cohort (MEDS layout, notes, labels) with a known latent ground truth',
  help: `Usage: dflc synth --out DIR [--patients N] [--seed S] [--format parquet|csv] [--force]

Writes a synthetic cohort of N patients as a MEDS dataset folder, the layout dflc reads real data
in (MIMIC-IV and EHRSHOT are distributed or converted this way), so everything runs without
credentials:

  DIR/data/{train,tuning,held_out}/*.parquet  events: ICD-10-CM diagnoses, LOINC labs with values,
                                              ATC medications, visits (subject_id, time, code,
                                              numeric_value)
  DIR/metadata/   codes (with descriptions and parents), subject_splits, dataset.json
  DIR/notes/      clinical notes (JSONL: subject_id, time, text)
  DIR/labels/     ${OUTCOME_TASKS.length} binary tasks in the MEDS label schema:
                  ${OUTCOME_TASKS.map((t) => t.name).join(', ')}
  DIR/truth/      the ground truth as .npy: each patient's 16-dimensional latent state (chronic
                  diseases, acute episodes, demographics) at every visit and at the prediction
                  time, and the latent direction behind each task (see DIR/truth/README.md)

The latent state evolves by a stable linear dynamic with noise; codes, values, visit times and
note phrases are emitted from it, and each task is driven by a different latent direction, so a
representation that collapses onto one task transfers measurably worse to the others.
The same N and seed give byte-identical files; patient i is the same in any cohort of the seed.

Options:
  -o, --out DIR        folder to create (must not exist, or be empty)
  -n, --patients N     number of patients (default ${DEFAULT_PATIENTS}; 10,000 take well under a minute)
  -s, --seed S         integer seed (default 0)
      --format F       parquet (default) or csv for data, metadata and labels; notes are JSONL
      --force          replace DIR if it holds a cohort written by dflc synth
  -h, --help           show this help

Example:
  dflc synth --out cohort --patients 10000 --seed 1`,
  options: {
    out: { type: 'string', short: 'o' },
    patients: { type: 'string', short: 'n' },
    seed: { type: 'string', short: 's' },
    format: { type: 'string' },
    force: { type: 'boolean' },
  },
  run: async ({ values, positionals }, io) => {
    if (positionals.length > 0) throw new UsageError(`synth takes no positional arguments (got '${positionals[0]}'); use --out DIR`);
    const out = values.out;
    if (typeof out !== 'string' || out === '') throw new UsageError('synth needs --out DIR, the folder to write the cohort to');
    const patients = parseInteger('--patients', values.patients, DEFAULT_PATIENTS);
    if (patients < 1 || patients > MAX_PATIENTS) throw new UsageError(`--patients must be between 1 and ${MAX_PATIENTS.toLocaleString('en-US')}, got ${patients}`);
    const seed = parseInteger('--seed', values.seed, 0);
    const format = values.format ?? 'parquet';
    if (format !== 'parquet' && format !== 'csv') throw new UsageError(`--format must be parquet or csv, got '${String(format)}'`);

    const bar = createProgress({ label: 'synth', total: patients, write: io.stderr, isTty: io.isTty, minTotal: 2000, unit: 'patients' });
    const started = performance.now();
    let summary;
    try {
      summary = await writeSyntheticCohort({
        out: resolve(io.cwd, out),
        patients,
        seed,
        format,
        replace: values.force === true,
        onProgress: (done) => bar.update(done),
      });
    } catch (error) {
      if (error instanceof SynthTargetError) throw new UsageError(error.message.replace(resolve(io.cwd, out), out));
      throw error;
    } finally {
      bar.finish();
    }
    const seconds = (performance.now() - started) / 1000;
    const n = (x: number): string => x.toLocaleString('en-US');
    io.stdout(
      `wrote ${out} in ${seconds.toFixed(1)} s: ${n(summary.patients)} patients, ${n(summary.events)} events, ` +
        `${n(summary.notes)} notes, ${n(summary.codesUsed)} of ${n(summary.vocabularySize)} codes used (seed ${seed}, ${format})\n`,
    );
    io.stdout('tasks (labels/):\n');
    const width = Math.max(...summary.tasks.map((t) => t.name.length));
    for (const task of summary.tasks) {
      const share = task.labelled > 0 ? ((100 * task.positives) / task.labelled).toFixed(1) : '0.0';
      io.stdout(`  ${task.name.padEnd(width)}  ${n(task.labelled).padStart(9)} labelled  ${share.padStart(5)}% positive\n`);
    }
    io.stdout(`ground truth: ${out}/truth/ (see README.md there)\n`);
    return 0;
  },
};

function parseInteger(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const text = String(value).replace(/_/g, '');
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UsageError(`${option} must be an integer, got '${String(value)}'`);
  return Number(text);
}
