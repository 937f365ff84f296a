import { join, resolve } from 'node:path';
import { DataError } from '../../data/data-error.ts';
import { embedCohort } from '../../embed/embed-cohort.ts';
import { embedPoints } from '../../embed/embed-points.ts';
import { writeEmbedding } from '../../embed/embedding-files.ts';
import { openRun } from '../../embed/opened-run.ts';
import { EMBED_AT, type EmbedAt } from '../../eval/eval-result.ts';
import { BACKEND_CHOICES, createExecutor, type BackendChoice } from '../../executors/create-executor.ts';
import { BackendUnavailableError } from '../../executors/executor.ts';
import { RunError } from '../../train/run-error.ts';
import { UsageError, type Command, type CommandIo } from '../command.ts';

export const embedCommand: Command = {
  name: 'embed',
  summary: "embed a dataset with a trained run's encoder (at label prediction times by default)",
  help: `Usage: dflc embed RUN [--data DIR] [--at prediction-times|last|all-windows] [--out DIR] [--backend B]

Embeds a MEDS dataset with the encoder a \`dflc run\` trained (RUN/model/; nothing is retrained),
and writes the embeddings as .npy files that NumPy, PyTorch or scikit-learn read directly.

Which windows (--at):
  prediction-times  (default) one row per distinct (subject, prediction time) in DIR/labels/: the
                    window of the run's width ENDING at the prediction time, so the embedding sees
                    the data a prediction then may use (at or before it) and nothing after it
  last              each subject's last window with data (what \`dflc run\` writes to embeddings/,
                    which for labelled subjects usually lies after the prediction time)
  all-windows       every window with data of every subject, with its index t
"With data" follows the run's modality: events (ehr), notes (text), either (multimodal). The
subject's static facts (sex, birth) are context for every window, as in training.

Writes into --out (default RUN/embed/<at>/):
  embeddings.npy              float32 [rows, dim], Z (the run's embedding)
  embeddings_E.npy, _T.npy    multimodal runs: the EHR and text encoders' embeddings (before fusion)
  subject_ids.npy             int64 [rows], MEDS subject_id
  times.npy                   int64 [rows], the window's end (µs since 1970): the prediction time
  splits.npy                  int32 [rows], 0 train, 1 tuning, 2 held_out, -1 none
  window_index.npy            int32 [rows], all-windows only: t, counted from the subject's first window
  embed.json                  the run, the data, --at, rows, dim and the files

Options:
      --data DIR     MEDS dataset to embed (default: the dataset the run trained on)
      --at WHERE     prediction-times (default), last or all-windows
  -o, --out DIR      output folder (default RUN/embed/<at>)
      --backend B    ${BACKEND_CHOICES.join(', ')} (default auto)
  -h, --help         show this help

Examples:
  dflc embed runs/card
  dflc embed runs/card --data new-cohort --out new-embeddings
  python3 -c "import numpy as np; print(np.load('runs/card/embed/prediction-times/embeddings.npy').shape)"`,
  options: {
    data: { type: 'string' },
    at: { type: 'string' },
    out: { type: 'string', short: 'o' },
    backend: { type: 'string' },
  },
  run: async ({ values, positionals }, io) => {
    if (positionals.length !== 1) throw new UsageError('embed takes exactly one RUN (a run folder written by dflc run)');
    const at = parseAt(values.at);
    const backend = parseBackend(values.backend);
    const runDir = resolve(io.cwd, positionals[0]);
    try {
      const run = await openRun(runDir, { data: values.data === undefined ? undefined : resolve(io.cwd, String(values.data)), env: process.env, log: (line) => io.stderr(`${line}\n`) });
      if (at === 'prediction-times' && run.labels.length === 0) {
        return fail(io, `${join(run.dataPath, 'labels')}: no label tasks, so no prediction times; use --at last or --at all-windows`);
      }
      const points = embedPoints(run.cohort, run.grid, run.labels, at, run.hasData);
      if (points.missingSubjects > 0) io.stderr(`${points.missingSubjects} label row(s) name subjects not in the data: left out\n`);
      const { executor } = await createExecutor(backend);
      try {
        const embedding = await embedCohort(run.encoder, executor, run.cohort, points);
        const out = values.out === undefined ? join(runDir, 'embed', at) : resolve(io.cwd, String(values.out));
        const manifest = await writeEmbedding(out, embedding, run.cohort, { run: runDir, data: run.dataPath, at });
        io.stdout(`wrote ${out}: ${manifest.rows} rows x ${manifest.dim} (${Object.values(manifest.files).join(', ')})\n`);
      } finally {
        executor.dispose();
      }
      return 0;
    } catch (error) {
      if (error instanceof RunError || error instanceof DataError || error instanceof BackendUnavailableError) return fail(io, error.message);
      throw error;
    }
  },
};

export function parseAt(value: unknown): EmbedAt {
  if (value === undefined) return 'prediction-times';
  if (!(EMBED_AT as readonly unknown[]).includes(value)) throw new UsageError(`--at must be one of ${EMBED_AT.join(', ')}, got '${String(value)}'`);
  return value as EmbedAt;
}

export function parseBackend(value: unknown): BackendChoice {
  if (value === undefined) return 'auto';
  if (!(BACKEND_CHOICES as readonly unknown[]).includes(value)) throw new UsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, got '${String(value)}'`);
  return value as BackendChoice;
}

function fail(io: CommandIo, message: string): number {
  io.stderr(`dflc embed: ${message}\n`);
  return 1;
}
