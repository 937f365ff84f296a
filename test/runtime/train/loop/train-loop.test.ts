import { describe, expect, it } from 'vitest';
import type { Executor, ExecutorLoop, Float32Tensor, LoopOptions } from '../../../../runtime/executors/executor.ts';
import { loopOverRun } from '../../../../runtime/executors/run-loop.ts';
import type { Node, Program } from '../../../../compiler/ir/node.ts';
import type { Shape } from '../../../../compiler/ir/shape.ts';
import type { TrainProgram } from '../../../../runtime/model/train-spec.ts';
import type { Checkpoint } from '../../../../runtime/train/checkpoints/checkpoint.ts';
import { NonFiniteError } from '../../../../runtime/train/loop/non-finite.ts';
import { stateNames, trainLoop, type BatchSource, type MetricsRecord } from '../../../../runtime/train/loop/train-loop.ts';

/**
 * A stand-in step program run by a JavaScript executor: one parameter w (4 values), the loss
 * sum((w - x)^2) over the batch mean x, Adam-like state updated with plain float32 arithmetic.
 * It checks the loop's bookkeeping (state, order, checkpoints, non-finite stops), not the maths.
 */
const fakeNode = (shape: Shape) => ({ id: 0, op: 'input', inputs: [], attrs: {}, shape }) as unknown as Node;
const SHAPES: Record<string, Shape> = { 'param:w': [4], 'adam.m:w': [4], 'adam.v:w': [4], 'data:t.x': [4], 'embed:Z_t': [4, 2] };
const PROGRAM: Program = {
  inputs: ['param:w', 'adam.m:w', 'adam.v:w', 'step', 'lr', 'data:t.x'].map((name) => ({ name, shape: SHAPES[name] ?? [] })),
  outputs: ['loss', 'term:0', 'term:1', 'embed:Z_t', 'grad_sq:w', 'param:w', 'adam.m:w', 'adam.v:w'].map((name) => ({ name, node: fakeNode(SHAPES[name] ?? []) })),
};
const TRAIN: TrainProgram = {
  program: PROGRAM,
  params: [{ name: 'w', shape: [4], init: 'zeros' }],
  slots: [0],
  sources: [{ slot: 0 }],
  terms: ['sum(Z)', '0.5*ortho(Z)'],
  bindings: [{ input: 'Z_t', stream: 'Z', slot: 0 }],
  labels: [],
};

/** Where the fake step goes wrong: a NaN term, a NaN gradient entry, or a NaN second moment (state only). */
interface Poison {
  readonly term?: number;
  readonly gradient?: number;
  readonly state?: number;
}

class FakeExecutor implements Executor {
  readonly backend = 'fake';
  readonly seen: number[] = [];
  /** The outputs each step read, and how many times the state was read back. */
  readonly reads: string[][] = [];
  stateReads = 0;
  constructor(private readonly poison: Poison = {}) {}
  async loop(program: Program, options: LoopOptions): Promise<ExecutorLoop> {
    const inner = await loopOverRun(this, program, options);
    return {
      step: (inputs, read) => {
        this.reads.push([...read]);
        return inner.step(inputs, read);
      },
      state: () => {
        this.stateReads++;
        return inner.state();
      },
      dispose: () => inner.dispose(),
    };
  }
  async run(program: Program, inputs: ReadonlyMap<string, Float32Tensor>): Promise<Map<string, Float32Tensor>> {
    for (const input of program.inputs) if (!inputs.has(input.name)) throw new Error(`missing ${input.name}`);
    const w = inputs.get('param:w')!.data;
    const x = inputs.get('data:t.x')!.data;
    const step = inputs.get('step')!.data[0];
    const lr = inputs.get('lr')!.data[0];
    this.seen.push(step);
    const next = new Float32Array(4);
    const m = new Float32Array(4);
    let loss = 0;
    let gradSq = 0;
    for (let i = 0; i < 4; i++) {
      const g = step === this.poison.gradient && i === 2 ? NaN : Math.fround(2 * (w[i] - x[i]));
      gradSq += g * g;
      m[i] = Math.fround(0.9 * inputs.get('adam.m:w')!.data[i] + 0.1 * g);
      next[i] = Math.fround(w[i] - lr * m[i]);
      loss += (w[i] - x[i]) ** 2;
    }
    const term1 = step === this.poison.term ? NaN : loss / 2;
    const scalar = (v: number): Float32Tensor => ({ shape: [], data: Float32Array.of(v) });
    return new Map([
      ['loss', scalar(loss + term1)],
      ['term:0', scalar(loss)],
      ['term:1', scalar(term1)],
      ['embed:Z_t', { shape: [4, 2], data: Float32Array.from([1, 0, 0, 1, -1, 0, 0, -1].map((v, i) => v * (1 + i + step))) }],
      ['grad_sq:w', scalar(gradSq)],
      ['param:w', { shape: [4], data: next }],
      ['adam.m:w', { shape: [4], data: m }],
      ['adam.v:w', { shape: [4], data: new Float32Array(4).fill(step === this.poison.state ? NaN : 0) }],
    ]);
  }
  dispose(): void {}
}

/** Batch b of epoch e: a vector that differs for every (e, b). */
const BATCHES: BatchSource = {
  stepsPerEpoch: 5,
  batch: (epoch, index) => new Map([['data:t.x', { shape: [4], data: Float32Array.from([epoch, index, epoch * index, 1]) }]]),
};

function start(): Checkpoint {
  const zeros = { shape: [4], data: new Float32Array(4) };
  return {
    state: { step: 0, epoch: 0, batchInEpoch: 0, seed: 0, configHash: 'h', backend: 'fake' },
    arrays: new Map(stateNames(TRAIN).map((name) => [name, zeros])),
  };
}

async function train(options: { from?: Checkpoint; epochs?: number; steps?: number; poison?: Poison; every?: number; checkpoints?: Checkpoint[]; metrics?: MetricsRecord[] }) {
  const checkpoints: Checkpoint[] = options.checkpoints ?? [];
  const metrics: MetricsRecord[] = options.metrics ?? [];
  const executor = new FakeExecutor(options.poison);
  const result = await trainLoop({
    executor,
    train: TRAIN,
    batches: BATCHES,
    totalSteps: options.steps ?? (options.epochs ?? 3) * BATCHES.stepsPerEpoch,
    lr: 0.1,
    start: options.from ?? start(),
    checkpointEvery: options.every ?? 4,
    rankEvery: 3,
    onCheckpoint: async (c) => void checkpoints.push(c),
    onMetrics: (m) => void metrics.push(m),
  });
  return { result, checkpoints, metrics, executor };
}

describe('trainLoop', () => {
  it('runs epochs x steps, numbering steps from 1, checkpointing every K and at the end', async () => {
    const { result, checkpoints, metrics, executor } = await train({});
    expect(executor.seen).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(result.state).toMatchObject({ step: 15, epoch: 3, batchInEpoch: 0 });
    expect(checkpoints.map((c) => c.state.step)).toEqual([4, 8, 12, 15]);
    expect(checkpoints[0].state).toMatchObject({ epoch: 0, batchInEpoch: 4 });
    expect(checkpoints[1].state).toMatchObject({ epoch: 1, batchInEpoch: 3 });
    expect(metrics.map((m) => m.epoch)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    expect(metrics.filter((m) => m.effective_rank !== undefined).map((m) => m.step)).toEqual([1, 3, 6, 9, 12, 15]);
    expect(metrics[2].terms).toHaveLength(2);
  });

  it('resumed from any checkpoint, ends bit-identical to an uninterrupted run', async () => {
    const whole = await train({});
    for (const checkpoint of whole.checkpoints.slice(0, 3)) {
      const resumed = await train({ from: checkpoint });
      expect(resumed.result.state).toEqual(whole.result.state);
      expect(resumed.result.arrays.get('param:w')!.data).toEqual(whole.result.arrays.get('param:w')!.data);
      expect(resumed.executor.seen[0]).toBe(checkpoint.state.step + 1);
      expect(resumed.metrics.map((m) => m.loss)).toEqual(whole.metrics.slice(checkpoint.state.step).map((m) => m.loss));
    }
  });

  it('continues a finished run for more epochs', async () => {
    const short = await train({ epochs: 2 });
    const more = await train({ from: short.checkpoints.at(-1)!, epochs: 3 });
    expect(more.result.arrays.get('param:w')!.data).toEqual((await train({})).result.arrays.get('param:w')!.data);
  });

  it('ends after a number of steps that need not fill an epoch, and continues from there like an uninterrupted run', async () => {
    const seven = await train({ steps: 7 });
    expect(seven.executor.seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seven.result.state).toMatchObject({ step: 7, epoch: 1, batchInEpoch: 2 });
    expect(seven.checkpoints.map((c) => c.state.step)).toEqual([4, 7]);
    const rest = await train({ from: seven.checkpoints.at(-1)! });
    expect(rest.executor.seen[0]).toBe(8);
    expect(rest.result.arrays.get('param:w')!.data).toEqual((await train({})).result.arrays.get('param:w')!.data);
  });

  it('with no steps to run, runs none and checkpoints the start state', async () => {
    const none = await train({ steps: 0 });
    expect(none.executor.seen).toEqual([]);
    expect(none.metrics).toEqual([]);
    expect(none.checkpoints.map((c) => c.state.step)).toEqual([0]);
    expect(none.result.arrays.get('param:w')!.data).toEqual(start().arrays.get('param:w')!.data);
  });

  it('stops at a non-finite term, naming the step and the term, without checkpointing that step', async () => {
    const checkpoints: Checkpoint[] = [];
    const error = await train({ poison: { term: 10 }, checkpoints }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteError);
    expect(checkpoints.map((c) => c.state.step)).toEqual([4, 8]);
    expect((error as NonFiniteError).step).toBe(10);
    expect((error as Error).message).toBe('step 10: the loss is NaN; term 2 (0.5*ortho(Z)) went non-finite first, it is NaN');
  });

  it('reads back per step only the loss, terms, squared gradient norms and (when measured) the embedding; the state only to checkpoint', async () => {
    const { executor, metrics, checkpoints } = await train({});
    const base = ['loss', 'term:0', 'term:1', 'grad_sq:w'];
    expect(executor.reads[0]).toEqual([...base, 'embed:Z_t']);
    expect(executor.reads[1]).toEqual(base);
    expect(executor.reads.filter((r) => r.includes('embed:Z_t'))).toHaveLength(6);
    expect(executor.stateReads).toBe(checkpoints.length);
    for (const m of metrics) expect(m.grad_norm).toBeGreaterThan(0);
    // Step 1 at w = 0 on batch (0, 0): x = [0, 0, 0, 1], g = 2 (w - x) = [0, 0, 0, -2].
    expect(metrics[0].grad_norm).toBe(2);
  });

  it('stops at a non-finite gradient under a finite loss, naming the parameter', async () => {
    const checkpoints: Checkpoint[] = [];
    const metrics: MetricsRecord[] = [];
    const error = await train({ poison: { gradient: 6 }, checkpoints, metrics }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteError);
    expect((error as NonFiniteError).step).toBe(6);
    expect((error as Error).message).toMatch(/^step 6: the loss is finite \(\S+\) but its gradient is not: the gradient of param:w has a NaN entry$/);
    expect(checkpoints.map((c) => c.state.step)).toEqual([4]);
    expect(metrics.at(-1)!.step).toBe(5);
  });

  it('refuses to checkpoint a non-finite state', async () => {
    const checkpoints: Checkpoint[] = [];
    const error = await train({ poison: { state: 8 }, checkpoints }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteError);
    expect((error as Error).message).toBe('step 8: the loss and its gradient are finite but the state to checkpoint is not: adam.v:w holds NaN');
    expect(checkpoints.map((c) => c.state.step)).toEqual([4]);
  });
});
