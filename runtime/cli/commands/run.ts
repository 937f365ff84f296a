import { existsSync } from 'node:fs';
import { FLOAT32_EPSILON } from '../../../compiler/surface/guards.ts';
import { relative, resolve } from 'node:path';
import { BackendUnavailableError } from '../../executors/executor.ts';
import { BACKEND_CHOICES } from '../../executors/create-executor.ts';
import { DataError } from '../../data/data-error.ts';
import { StreamBindingError } from '../../model/bind-streams.ts';
import { ModelConfigError } from '../../model/params.ts';
import { checkObjective } from '../../objective.ts';
import { BUNDLED_PATIENTS } from '../../train/data/bundled-cohort.ts';
import { ConfigError, RUN_DEFAULTS, resolveRunConfig, SETTING_NAMES, type SettingName } from '../../train/settings/run-config.ts';
import { CheckpointError } from '../../train/checkpoints/checkpoint.ts';
import { NonFiniteError } from '../../train/loop/non-finite.ts';
import { objectiveName } from '../../objective-name.ts';
import { RunError, runTraining } from '../../train/run-training.ts';
import { UsageError, type Command, type CommandIo } from '../command.ts';
import { version } from '../general-help.ts';
import { readSource } from '../read-source.ts';
import { hasErrors, reportDiagnostics } from '../report-diagnostics.ts';


export const runCommand: Command = {
  name: 'run',
  summary: 'train an encoder with an objective (EHR, text or multimodal); writes embeddings and the model',
  help: `Usage: dflc run FILE.dfl [--data DIR] [--modality ehr|text|multimodal] [--dim D] [--epochs N]
                [--steps N] [--batch B] [--lr X] [--seed S] [--backend B] [--out RUN] [--resume] [--config FILE]

Trains an encoder so that its embeddings minimise the objective in FILE.dfl. The objective's
inputs are bound to the encoder's embeddings of time windows (${RUN_DEFAULTS['window-days']} days by default):
  Z, Z_t     the embedding of a patient's window t
  Z_t+k      the same patients' window t + k (batches hold patients that have both)
  E, T, F    in multimodal runs: the EHR, clinical-text and fused embeddings (Z is F)
  Z_a, Z_b   two stochastic views of the same windows (also Z_a_t+1, E_a, ...): each code event and
             note token dropped, each lab value masked, with probability --view-drop; a pure
             function of the seed, epoch and batch, so --resume replays them exactly
  Y          a vector input (\`input Y : [n]\`) bound with --label Y=TASK: the 0/1 labels of a task,
             the batch then being that task's labelled prediction windows
A \`param\` of the objective (a head, a projector) is trained with the encoder and saved with it.
A window takes part when it has events (ehr), notes (text) or both (multimodal). The EHR encoder
pools code embeddings with time-decay weights and adds normalised lab values; the text encoder
pools hashed word, bigram and character-trigram embeddings of the window's notes.
Each step embeds one batch of windows, evaluates the objective and its gradient as ONE compiled
program, and updates the weights with Adam.

With no --data it trains on a bundled synthetic cohort (${BUNDLED_PATIENTS.toLocaleString('en-US')} patients, generated on
first use into \${DFLC_CACHE:-\${XDG_CACHE_HOME:-~/.cache}/dflc}, reused after).

The run folder (RUN) receives:
  run.json, objective.dfl      settings, sizes, backend, timings; the objective's source
  metrics.jsonl                one line per step: loss, each term, gradient norm, steps/s, effective rank
  checkpoints/                 the last two checkpoints while training, only the last once the
                               run is complete (see --keep-checkpoints); written atomically
  embeddings/{train,tuning,held_out}.npy   float32 [subjects, dim], each subject's last window
  embeddings/{split}_subject_ids.npy       int64 subject ids, in the same order
  embeddings/{split}_E.npy, _T.npy         multimodal runs: the EHR and text embeddings before fusion, same rows
  model/                       model.json + weights.bin (TensorFlow.js weights format), featurizer.json
  run.lock                     while a dflc process uses the folder: its pid, host and command.
                               Another \`dflc run\` on the folder, --resume or not, is refused
                               (exit 1) and touches nothing; a lock whose process is gone (killed
                               with SIGKILL, crashed) is taken over
A run killed at any point continues with --resume from its last checkpoint, and with the same
seed and backend ends with exactly the embeddings of an uninterrupted run. A NaN or infinite loss
stops the run (exit 1), naming the step and the term, and leaves the last checkpoint intact.

Settings come from the defaults, then dflc.json (in this folder, or --config FILE), then flags.
dflc.json keys are the flag names without the leading dashes, e.g. {"dim": 64, "epochs": 10, "lr": 0.0005}.

Options:
      --data DIR           MEDS dataset folder (default: the bundled synthetic cohort)
      --nan-as-missing     read a NaN numeric_value (as pandas writes a missing float) as missing
                           instead of failing on it; the count is printed and kept in run.json
      --modality M         ehr (codes, labs), text (notes) or multimodal (default ${RUN_DEFAULTS.modality})
      --dim D              embedding width (default ${RUN_DEFAULTS.dim})
      --hidden H           code/token embedding and hidden width (default ${RUN_DEFAULTS.hidden})
      --epochs N           passes over the training examples (default ${RUN_DEFAULTS.epochs})
      --steps N            end after N optimiser steps in all, in place of --epochs (as many
                           reshuffled epochs as that takes); --steps 0 trains nothing and writes
                           the same run folder with the untrained encoder (the "random" baseline)
      --batch B            windows per step (default ${RUN_DEFAULTS.batch}); the objective's n
      --lr X               Adam learning rate (default ${RUN_DEFAULTS.lr})
      --seed S             seed for initialisation and batch order (default ${RUN_DEFAULTS.seed})
      --backend B          ${BACKEND_CHOICES.join(', ')} (default auto: the first that loads,
                           in this order; onnx-webgpu only on a hardware GPU adapter)
      --threads N          CPU threads inside each op on the onnx backend (default 0: one per
                           core); results agree to float32 rounding across thread counts, and are
                           bit-identical only for the same count
  -o, --out RUN            run folder (default runs/<objective>-<date>-<time>)
      --resume             continue the run in --out from its last checkpoint
      --config FILE        read settings from FILE instead of ./dflc.json
      --checkpoint-every K steps between checkpoints (default ${RUN_DEFAULTS['checkpoint-every']}; one is always written at the end)
      --keep-checkpoints K which checkpoints stay in RUN/checkpoints/: final (default: the last
                           two while training, only the last once the run is complete), all, or
                           a number N (the last N throughout); each is a full copy of the weights
                           and Adam's moments
      --window-days W      window width in days (default ${RUN_DEFAULTS['window-days']})
      --tau-days T         time decay of events within a window (default ${RUN_DEFAULTS['tau-days']})
      --max-codes N        codes with their own embedding row (default ${RUN_DEFAULTS['max-codes']}); the rest hash
      --code-buckets N     hash rows for the other codes (default ${RUN_DEFAULTS['code-buckets']})
      --max-labs N         lab codes used as numeric features (default ${RUN_DEFAULTS['max-labs']})
      --text-rows N        hash rows for note tokens (default ${RUN_DEFAULTS['text-rows']})
      --rename NAME=STREAM bind an objective input to a stream, e.g. --rename H=Z (repeatable)
      --view-drop P        in the views Z_a, Z_b: the probability of dropping each code event and note
                           token and of masking each lab value (default ${RUN_DEFAULTS['view-drop']})
      --label NAME=TASK    bind a vector input (\`input Y : [n]\`) to the labels of a task in the
                           dataset's labels/, e.g. --label Y=mortality_1y (repeatable; dflc.json:
                           "labels": {"Y": "mortality_1y"}): batches are then drawn from the
                           task's labelled prediction windows of train subjects (the window ending
                           at the prediction time, no event after it), Y holding their 0/1 labels
  -h, --help               show this help

Examples:
  dflc run examples/card.dfl
  dflc run examples/cross-modal.dfl --modality multimodal --data cohort --epochs 10 --out runs/xm
  dflc run examples/card.dfl --steps 50 --out runs/quick
  dflc run examples/card.dfl --steps 0 --out runs/random
  dflc run examples/card.dfl --out runs/xm --resume`,
  options: {
    data: { type: 'string' },
    'nan-as-missing': { type: 'boolean' },
    modality: { type: 'string' },
    dim: { type: 'string' },
    hidden: { type: 'string' },
    epochs: { type: 'string' },
    steps: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    seed: { type: 'string' },
    backend: { type: 'string' },
    threads: { type: 'string' },
    out: { type: 'string', short: 'o' },
    resume: { type: 'boolean' },
    config: { type: 'string' },
    'checkpoint-every': { type: 'string' },
    'keep-checkpoints': { type: 'string' },
    'window-days': { type: 'string' },
    'tau-days': { type: 'string' },
    'max-codes': { type: 'string' },
    'code-buckets': { type: 'string' },
    'max-labs': { type: 'string' },
    'text-rows': { type: 'string' },
    rename: { type: 'string', multiple: true },
    label: { type: 'string', multiple: true },
    'view-drop': { type: 'string' },
  },
  run: async ({ values, positionals }, io) => {
    if (positionals.length !== 1) throw new UsageError('run takes exactly one FILE.dfl (the objective to train with)');
    const [file] = positionals;
    const flags: Partial<Record<SettingName, string | boolean | (string | boolean)[]>> = {};
    for (const name of SETTING_NAMES) if (values[name] !== undefined) flags[name] = values[name];
    // One --label per input; dflc.json holds them together as "labels".
    if (values.label !== undefined) flags.labels = values.label;

    let resolved;
    try {
      resolved = await resolveRunConfig({ cwd: io.cwd, flags, configPath: values.config as string | undefined });
    } catch (error) {
      if (error instanceof ConfigError) {
        if (error.fromFlag) throw new UsageError(error.message);
        return fail(io, error.message);
      }
      throw error;
    }
    const { config } = resolved;
    if (config.resume && config.out === undefined) throw new UsageError('--resume needs --out RUN, the run folder to continue');

    const source = await readSource(file, io.cwd);
    const objective = checkObjective(file, source, FLOAT32_EPSILON);
    reportDiagnostics(io, file, source, objective.diagnostics);
    if (objective.program === undefined || hasErrors(objective.diagnostics)) return 1;

    const out = config.out ?? defaultRunFolder(io.cwd, objectiveName(file), new Date());
    io.stdout(`run folder: ${display(io, out)}\n`);
    try {
      const summary = await runTraining({
        objectiveFile: file,
        objective,
        config,
        sources: resolved.sources,
        out,
        env: process.env,
        version: version(),
        log: (line) => io.stderr(`${line}\n`),
        progressWrite: io.stderr,
        isTty: io.isTty,
      });
      const { record, fromStep, stepsRun } = summary;
      const t = record.timings ?? {};
      const splits = Object.entries(record.embeddings ?? {})
        .map(([split, e]) => `${split} ${e.rows}`)
        .join(', ');
      const rank = record.final?.effectiveRank.train;
      const finalLine = `final loss ${record.final?.loss ?? 'n/a'}${rank === undefined ? '' : `, effective rank over all train subjects ${rank} of ${record.model.dim}`}`;
      if (stepsRun === 0 && fromStep > 0) {
        // --resume of a run that had finished: there was nothing left to train.
        io.stdout(`the run is already complete: all ${record.steps} steps were trained before; nothing left to train; ${finalLine}\n`);
      } else {
        io.stdout(
          `trained ${stepsRun} steps${fromStep > 0 ? ` (steps ${fromStep + 1}-${record.steps}, resumed)` : ''} in ${t.train_s} s ` +
            `(${t.steps_per_s} steps/s on ${record.backend.used}); ${finalLine}\n`,
        );
      }
      io.stdout(`wrote ${display(io, out)}: embeddings (${splits} subjects x ${record.model.dim}), model/, metrics.jsonl, run.json\n`);
      return 0;
    } catch (error) {
      if (
        error instanceof NonFiniteError ||
        error instanceof RunError ||
        error instanceof DataError ||
        error instanceof BackendUnavailableError ||
        error instanceof StreamBindingError ||
        error instanceof ModelConfigError ||
        error instanceof CheckpointError
      ) {
        return fail(io, error.message);
      }
      throw error;
    }
  },
};

function fail(io: CommandIo, message: string): number {
  io.stderr(`dflc run: ${message}\n`);
  return 1;
}

/** `runs/<name>-<YYYYMMDD-HHMMSS>` (UTC) under the working folder, with a suffix if taken. */
function defaultRunFolder(cwd: string, name: string, date: Date): string {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const base = resolve(cwd, 'runs', `${name}-${stamp}`);
  let candidate = base;
  for (let k = 2; existsSync(candidate); k++) candidate = `${base}-${k}`;
  return candidate;
}

function display(io: CommandIo, path: string): string {
  const rel = relative(io.cwd, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith('/') ? rel : path;
}
