import type { Float32Tensor } from '../../executors/executor.ts';
import { initParams } from '../../model/params.ts';
import type { TrainProgram } from '../../model/train-spec.ts';
import { readLatestCheckpoint, type Checkpoint, type TrainState } from './checkpoint.ts';
import { RunError } from '../run-error.ts';

/**
 * The state a session starts training from: when resuming, the run's latest checkpoint, which
 * must have been made with the same settings and data (its config hash); else step 0 with freshly
 * initialised parameters and zero Adam moments.
 */
export interface StartOptions {
  readonly out: string;
  /** True when resuming a run (one with a run.json). */
  readonly resuming: boolean;
  readonly configHash: string;
  /** The executor's backend. */
  readonly backend: string;
  readonly trainProgram: TrainProgram;
  readonly seed: number;
  readonly stepsPerEpoch: number;
  readonly log: (line: string) => void;
}

export async function startCheckpoint(options: StartOptions): Promise<Checkpoint> {
  const { out, log } = options;
  if (options.resuming) {
    const start = await readLatestCheckpoint(out);
    if (start === undefined) log(`${out} has no checkpoint yet: starting from step 0`);
    else {
      if (start.state.configHash !== options.configHash) {
        throw new RunError(
          `--resume: the checkpoint ${start.state.step} of ${out} was made with different settings or data (its config hash differs); start a new run with another --out`,
        );
      }
      if (start.state.backend !== options.backend) {
        log(`note: the checkpoint was made on ${start.state.backend}, this run uses ${options.backend}: the result will not be bit-identical to an uninterrupted run`);
      }
      log(`resuming from step ${start.state.step} (epoch ${start.state.epoch + 1}, ${start.state.batchInEpoch} of ${options.stepsPerEpoch} batches done)`);
      return start;
    }
  }
  return freshStart(options.trainProgram, options.seed, options.configHash, options.backend);
}

function freshStart(train: TrainProgram, seed: number, configHash: string, backend: string): Checkpoint {
  const init = initParams(train.params, seed);
  const arrays = new Map<string, Float32Tensor>();
  for (const spec of train.params) {
    const data = init.get(spec.name)!;
    arrays.set(`param:${spec.name}`, { shape: spec.shape, data });
    arrays.set(`adam.m:${spec.name}`, { shape: spec.shape, data: new Float32Array(data.length) });
    arrays.set(`adam.v:${spec.name}`, { shape: spec.shape, data: new Float32Array(data.length) });
  }
  const state: TrainState = { step: 0, epoch: 0, batchInEpoch: 0, seed, configHash, backend };
  return { state, arrays };
}
