import type { Executor, ExecutorLoop, Float32Tensor } from '../../executors/executor.ts';
import { gradSqName } from '../../model/params.ts';
import { roundDecimals } from '../round-decimals.ts';
import type { TrainProgram } from '../../model/train-spec.ts';
import type { Checkpoint, TrainState } from '../checkpoints/checkpoint.ts';
import { effectiveRank } from './effective-rank.ts';
import { checkFinite, checkFiniteState } from './non-finite.ts';
import type { TrainProgress } from './train-progress.ts';

/**
 * The training loop. It opens one executor loop over the compiled step program (runtime/model/train-spec.ts)
 * that carries the parameters and Adam moments from step to step, so the state stays with the
 * executor; each step gives it the step number, the learning rate and one batch, and reads back
 * only the loss, its terms, the squared gradient norms (`grad_sq:<p>`) and, on the steps that
 * measure it, the embedding for the effective rank. The state is read back only to checkpoint it
 * and at the end. Files and terminals are the caller's: checkpoints and metrics go out through
 * callbacks, so the loop itself is deterministic given its inputs (same start state, same batches,
 * same executor: bit-identical results).
 *
 * A non-finite loss, term or gradient stops the loop with a NonFiniteError before anything of that
 * step is reported to `onMetrics` or `onCheckpoint`; so does a non-finite state about to be
 * checkpointed.
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
  /** The loss gradient's norm over all parameters (before Adam's update). */
  readonly grad_norm: number;
  readonly steps_per_s: number;
  /** Every `rankEvery` steps and at the last step: the effective rank of the batch embedding. */
  readonly effective_rank?: number;
  /** Seconds since this process started training. */
  readonly seconds: number;
}

export interface TrainLoopOptions {
  readonly executor: Executor;
  readonly train: TrainProgram;
  readonly batches: BatchSource;
  /** The step the run ends at (epochs x steps per epoch, or `--steps`); a start state at or past it runs nothing. */
  readonly totalSteps: number;
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

export async function trainLoop(options: TrainLoopOptions): Promise<TrainResult> {
  const { executor, train, batches, totalSteps, lr } = options;
  const now = options.now ?? (() => performance.now());
  const rankEvery = options.rankEvery ?? 10;
  const names = stateNames(train);
  const termName = termOutputName(train);
  const rankName = rankOutput(train);
  const outputNames = new Set(train.program.outputs.map((o) => o.name));
  const termReads = train.terms.map((_, i) => termName(i)).filter((name) => outputNames.has(name));
  const gradSqNames = train.params.map((p) => gradSqName(p.name));
  for (const name of gradSqNames) if (!outputNames.has(name)) throw new Error(`the step program has no output '${name}'`);
  const carried = new Set(names);
  const stepInputNames = train.program.inputs.map((i) => i.name).filter((name) => !carried.has(name));
  const spe = batches.stepsPerEpoch;
  if (spe < 1) throw new RangeError('no full batch per epoch: nothing to train on');

  let state: TrainState = options.start.state;
  for (const name of names) if (!options.start.arrays.has(name)) throw new Error(`the start state has no '${name}'`);

  const started = now();
  const stamps: number[] = [];
  let stepsRun = 0;
  let firstLoss: number | undefined;
  let lastLoss: number | undefined;
  let lastCheckpointStep = state.step;
  let shownRank: number | undefined;
  const normalise = (s: TrainState): TrainState => (s.batchInEpoch >= spe ? { ...s, epoch: s.epoch + 1, batchInEpoch: 0 } : s);
  state = normalise(state);

  const loop: ExecutorLoop = await executor.loop(train.program, {
    carry: new Map(names.map((name) => [name, name])),
    initial: new Map(names.map((name) => [name, options.start.arrays.get(name)!])),
  });
  try {
    /** The state after the last step, read back from the executor; checked before it is kept. */
    const readState = async (step: number): Promise<Map<string, Float32Tensor>> => {
      const arrays = await loop.state();
      const problem = checkFiniteState(step, arrays, names);
      if (problem !== undefined) throw problem;
      return arrays;
    };
    let arrays: ReadonlyMap<string, Float32Tensor> = options.start.arrays;
    while (state.step < totalSteps) {
      const step = state.step + 1;
      const stepEpoch = state.epoch;
      const next = normalise({ ...state, step, batchInEpoch: state.batchInEpoch + 1 });
      const done = next.step >= totalSteps;
      const measureRank = rankName !== undefined && (step % rankEvery === 0 || done || stepsRun === 0);

      const given = new Map<string, Float32Tensor>(batches.batch(state.epoch, state.batchInEpoch));
      given.set('step', { shape: [], data: Float32Array.of(step) });
      given.set('lr', { shape: [], data: Float32Array.of(lr) });
      const inputs = new Map<string, Float32Tensor>();
      for (const name of stepInputNames) {
        const t = given.get(name);
        if (t === undefined) throw new Error(`the step program needs input '${name}', which the training loop does not provide`);
        inputs.set(name, t);
      }
      const read = ['loss', ...termReads, ...gradSqNames, ...(measureRank ? [rankName!] : [])];
      const outputs = await loop.step(inputs, read);
      const problem = checkFinite(step, outputs, train.terms, termName, train.params.map((p) => p.name), gradSqName);
      if (problem !== undefined) throw problem;
      state = next;
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
      let rank: number | undefined;
      if (measureRank) {
        const z = outputs.get(rankName!)!;
        rank = effectiveRank(z.data, z.shape[0], z.shape[1] ?? 1);
      }
      let gradSq = 0;
      for (const name of gradSqNames) gradSq += outputs.get(name)!.data[0];
      const record: MetricsRecord = {
        step,
        epoch: stepEpoch,
        loss,
        terms: train.terms.map((_, i) => outputs.get(termName(i))?.data[0] ?? NaN),
        // 7 significant digits, about float32's: norms span many orders of magnitude.
        grad_norm: Number(Math.sqrt(gradSq).toPrecision(7)),
        steps_per_s: roundDecimals(stepsPerSecond, 4),
        ...(rank === undefined ? {} : { effective_rank: roundDecimals(rank, 6) }),
        seconds: roundDecimals((t - started) / 1000, 3),
      };
      await options.onMetrics?.(record);
      if (rank !== undefined) shownRank = rank;
      options.progress?.update({ step, epoch: stepEpoch, loss, stepsPerSecond, effectiveRank: shownRank });
      if (step % options.checkpointEvery === 0 || done) {
        arrays = await readState(step);
        await options.onCheckpoint({ state, arrays });
        lastCheckpointStep = step;
      }
    }
    // A run of no steps (`--steps 0`) still leaves a checkpoint: its initial state.
    if (lastCheckpointStep !== state.step || state.step === 0) {
      arrays = await readState(state.step);
      await options.onCheckpoint({ state, arrays });
    }
    return { state, arrays, stepsRun, seconds: (now() - started) / 1000, firstLoss, lastLoss };
  } finally {
    loop.dispose();
    options.progress?.finish();
  }
}
