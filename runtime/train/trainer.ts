import type { Executor, Float32Tensor } from '../../compiler/backends/executor.ts';
import { round } from './round.ts';
import type { TrainProgram } from '../model/train-spec.ts';
import type { Checkpoint, TrainState } from './checkpoint.ts';
import { effectiveRank } from './effective-rank.ts';
import { checkFinite } from './non-finite.ts';
import type { TrainProgress } from './train-progress.ts';

/**
 * The training loop. Each step feeds the compiled step program (train-spec.ts) the current
 * parameters and Adam moments, the step number, the learning rate and one batch, and takes back
 * the updated state, the loss and its terms. Files and terminals are the caller's: checkpoints and
 * metrics go out through callbacks, so the loop itself is deterministic given its inputs (same
 * start state, same batches, same executor: bit-identical results).
 *
 * A non-finite loss, term or update stops the loop with a NonFiniteError before anything of that
 * step is kept or reported to `onCheckpoint`.
 */
export interface BatchSource {
  readonly stepsPerEpoch: number;
  /** The `data:*` inputs of batch `index` of `epoch`. */
  batch(epoch: number, index: number): Map<string, Float32Tensor>;
}

export interface MetricsRecord {
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  readonly terms: readonly number[];
  readonly steps_per_s: number;
  /** Every `rankEvery` steps and at the last step: the effective rank of the batch embedding. */
  readonly effective_rank?: number;
  /** Seconds since this process started training. */
  readonly seconds: number;
}

export interface TrainerOptions {
  readonly executor: Executor;
  readonly train: TrainProgram;
  readonly batches: BatchSource;
  readonly epochs: number;
  readonly lr: number;
  /** Where to start: step 0 with freshly initialised parameters and zero moments, or a checkpoint. */
  readonly start: Checkpoint;
  readonly checkpointEvery: number;
  readonly rankEvery?: number;
  readonly onCheckpoint: (checkpoint: Checkpoint) => Promise<void>;
  readonly onMetrics?: (record: MetricsRecord) => Promise<void> | void;
  readonly progress?: TrainProgress;
  readonly now?: () => number;
}

export interface TrainResult {
  readonly state: TrainState;
  readonly arrays: ReadonlyMap<string, Float32Tensor>;
  /** Steps run by this call (0 when the start state had already finished). */
  readonly stepsRun: number;
  readonly seconds: number;
  readonly lastLoss: number | undefined;
  readonly firstLoss: number | undefined;
}

/** The names of the state a step program carries from step to step. */
export function stateNames(train: TrainProgram): string[] {
  return train.params.flatMap((p) => [`param:${p.name}`, `adam.m:${p.name}`, `adam.v:${p.name}`]);
}

/** `term:<i>` output naming: 0-based or 1-based, whichever the program uses. */
function termOutputName(train: TrainProgram): (i: number) => string {
  const names = new Set(train.program.outputs.map((o) => o.name));
  const base = names.has('term:0') || train.terms.length === 0 ? 0 : 1;
  return (i) => `term:${i + base}`;
}

/** The embedding output the live effective rank is taken of: `embed:Z_t`, else `embed:Z`, else the first. */
function rankOutput(train: TrainProgram): string | undefined {
  const embeds = train.program.outputs.map((o) => o.name).filter((n) => n.startsWith('embed:'));
  return embeds.find((n) => n === 'embed:Z_t') ?? embeds.find((n) => n === 'embed:Z') ?? embeds.find((n) => n.startsWith('embed:Z')) ?? embeds[0];
}

export async function trainLoop(options: TrainerOptions): Promise<TrainResult> {
  const { executor, train, batches, epochs, lr } = options;
  const now = options.now ?? (() => performance.now());
  const rankEvery = options.rankEvery ?? 10;
  const names = stateNames(train);
  const termName = termOutputName(train);
  const rankName = rankOutput(train);
  const declared = new Set(train.program.inputs.map((i) => i.name));
  const spe = batches.stepsPerEpoch;
  if (spe < 1) throw new RangeError('no full batch per epoch: nothing to train on');

  let state: TrainState = options.start.state;
  let arrays = new Map(options.start.arrays);
  for (const name of names) if (!arrays.has(name)) throw new Error(`the start state has no '${name}'`);

  const started = now();
  const stamps: number[] = [];
  let stepsRun = 0;
  let firstLoss: number | undefined;
  let lastLoss: number | undefined;
  let lastCheckpointStep = state.step;
  let shownRank: number | undefined;
  const normalise = (s: TrainState): TrainState => (s.batchInEpoch >= spe ? { ...s, epoch: s.epoch + 1, batchInEpoch: 0 } : s);
  state = normalise(state);

  while (state.epoch < epochs) {
    const step = state.step + 1;
    const inputs = new Map<string, Float32Tensor>(arrays);
    inputs.set('step', { shape: [], data: Float32Array.of(step) });
    inputs.set('lr', { shape: [], data: Float32Array.of(lr) });
    for (const [name, tensor] of batches.batch(state.epoch, state.batchInEpoch)) inputs.set(name, tensor);
    for (const name of declared) if (!inputs.has(name)) throw new Error(`the step program needs input '${name}', which the trainer does not provide`);
    for (const name of [...inputs.keys()]) if (!declared.has(name)) inputs.delete(name);

    const outputs = await executor.run(train.program, inputs);
    const problem = checkFinite(step, outputs, train.terms, termName, names);
    if (problem !== undefined) {
      options.progress?.finish();
      throw problem;
    }
    arrays = new Map(names.map((name) => [name, outputs.get(name)!]));
    const stepEpoch = state.epoch;
    state = normalise({ ...state, step, batchInEpoch: state.batchInEpoch + 1 });
    stepsRun++;

    const t = now();
    stamps.push(t);
    if (stamps.length > 21) stamps.shift();
    // Over the last 20 steps (the first step also pays for kernel compilation).
    const stepsPerSecond =
      stamps.length >= 2 ? ((stamps.length - 1) * 1000) / (stamps[stamps.length - 1] - stamps[0]) : (stepsRun * 1000) / Math.max(1e-9, t - started);
    const loss = outputs.get('loss')!.data[0];
    firstLoss ??= loss;
    lastLoss = loss;
    const done = state.epoch >= epochs;
    let rank: number | undefined;
    if (rankName !== undefined && (step % rankEvery === 0 || done || stepsRun === 1)) {
      const z = outputs.get(rankName)!;
      rank = effectiveRank(z.data, z.shape[0], z.shape[1] ?? 1);
    }
    const record: MetricsRecord = {
      step,
      epoch: stepEpoch,
      loss,
      terms: train.terms.map((_, i) => outputs.get(termName(i))?.data[0] ?? NaN),
      steps_per_s: round(stepsPerSecond, 4),
      ...(rank === undefined ? {} : { effective_rank: round(rank, 6) }),
      seconds: round((t - started) / 1000, 3),
    };
    await options.onMetrics?.(record);
    if (rank !== undefined) shownRank = rank;
    options.progress?.update({ step, epoch: stepEpoch, loss, stepsPerSecond, effectiveRank: shownRank });
    if (step % options.checkpointEvery === 0 || done) {
      await options.onCheckpoint({ state, arrays });
      lastCheckpointStep = step;
    }
  }
  if (lastCheckpointStep !== state.step) await options.onCheckpoint({ state, arrays });
  options.progress?.finish();
  return { state, arrays, stepsRun, seconds: (now() - started) / 1000, firstLoss, lastLoss };
}
