import * as tf from '@tensorflow/tfjs-core';
import type { Program } from '../../../compiler/ir/node.ts';
import type { Executor, ExecutorLoop, Float32Tensor, LoopOptions, RunOptions } from '../executor.ts';
import { checkOutputArrays } from '../output-arrays.ts';
import { checkLoop, LoopError, type LoopPlan } from '../run-loop.ts';
import { bindSizes, InputShapeError } from '../bind-sizes.ts';
import { ensureActive, loadTfjsBackend, type LoadedBackend, type ModuleImporter, type TfjsBackend } from './load-backend.ts';
import { runProgramTf } from './run-program.ts';

/**
 * The TensorFlow.js executor: uploads the inputs, runs the program with `runProgramTf`, reads every
 * output back and frees every tensor it made. Create it with `TfjsExecutor.create(backend)`.
 * Its `loop` keeps the carried state as tensors between steps (TfjsLoop).
 */
export class TfjsExecutor implements Executor {
  private disposed = false;
  private readonly loops = new Set<TfjsLoop>();

  private constructor(readonly loaded: LoadedBackend) {}

  /** Loads the backend (see loadTfjsBackend) and returns an executor bound to it. */
  static async create(backend: TfjsBackend, importer?: ModuleImporter): Promise<TfjsExecutor> {
    return new TfjsExecutor(await loadTfjsBackend(backend, importer));
  }

  get backend(): string {
    return this.loaded.backend;
  }

  async run(
    program: Program,
    inputs: ReadonlyMap<string, Float32Tensor>,
    sizes?: ReadonlyMap<string, number>,
    options: RunOptions = {},
  ): Promise<Map<string, Float32Tensor>> {
    if (this.disposed) throw new Error('TfjsExecutor: run after dispose');
    await ensureActive(this.loaded.tfName);
    checkLengths(inputs);
    const into = options.into ?? new Map<string, Float32Array>();
    if (into.size > 0) checkOutputArrays(program, into, bindSizes(program, new Map([...inputs].map(([name, t]) => [name, t.shape])), sizes), inputs);
    const uploaded = new Map<string, tf.Tensor>();
    let outputs = new Map<string, tf.Tensor>();
    try {
      for (const [name, input] of inputs) uploaded.set(name, tf.tensor(input.data, [...input.shape], 'float32'));
      outputs = runProgramTf(program, uploaded, { sizes });
      const buffers = new Set<ArrayBufferLike>([...inputs.values()].map((input) => input.data.buffer));
      const result = new Map<string, Float32Tensor>();
      for (const [name, t] of outputs) {
        // dataSync: after ensureActive nothing awaits, so another executor cannot switch the
        // backend half-way through (wasm, cpu and tensorflow read back synchronously anyway).
        let data = t.dataSync() as Float32Array;
        const target = into.get(name);
        if (target !== undefined) {
          // tfjs reads back into an array of its own; the caller's gets a copy of it.
          target.set(data);
          data = target;
        } else if (buffers.has(data.buffer)) {
          // The cpu backend can hand back an input's own array (an output equal to an input).
          data = data.slice();
        }
        result.set(name, { shape: t.shape, data });
      }
      return result;
    } finally {
      tf.dispose([...uploaded.values(), ...outputs.values()]);
    }
  }

  async loop(program: Program, options: LoopOptions): Promise<ExecutorLoop> {
    if (this.disposed) throw new Error('TfjsExecutor: loop after dispose');
    const plan = checkLoop(program, options);
    await ensureActive(this.loaded.tfName);
    // Copies: the cpu backend would otherwise keep the caller's arrays as the state's storage.
    const state = new Map([...options.initial].map(([name, t]) => [name, tf.tensor(t.data.slice(), [...t.shape], 'float32')]));
    const loop = new TfjsLoop(this.loaded.tfName, program, plan, options.sizes, state, () => this.loops.delete(loop));
    this.loops.add(loop);
    return loop;
  }

  /** Also disposes the loops still open. */
  dispose(): void {
    this.disposed = true;
    for (const loop of [...this.loops]) loop.dispose();
  }
}

function checkLengths(inputs: ReadonlyMap<string, Float32Tensor>): void {
  for (const [name, input] of inputs) {
    const size = input.shape.reduce((a, b) => a * b, 1);
    if (input.data.length !== size) {
      throw new InputShapeError(`input '${name}' has ${input.data.length} values for shape [${input.shape.join(', ')}]`);
    }
  }
}

/** A read-back the caller owns: never the storage of a tensor (the cpu backend hands that out). */
const readBack = (t: tf.Tensor): Float32Tensor => ({ shape: t.shape, data: (t.dataSync() as Float32Array).slice() });

/**
 * The state lives in tensors, uploaded once. A step uploads the other inputs, runs the program on
 * state and inputs, reads back only what it is asked for, then adopts the carried outputs as the
 * new state, disposing the old state and every other tensor the step made. An exception before
 * the adoption leaves the state as it was.
 */
class TfjsLoop implements ExecutorLoop {
  private current: Map<string, tf.Tensor> | undefined;

  constructor(
    private readonly tfName: string,
    private readonly program: Program,
    private readonly plan: LoopPlan,
    private readonly sizes: ReadonlyMap<string, number> | undefined,
    state: Map<string, tf.Tensor>,
    private readonly onDispose: () => void,
  ) {
    this.current = state;
  }

  private live(): Map<string, tf.Tensor> {
    if (this.current === undefined) throw new LoopError('the loop is disposed');
    return this.current;
  }

  async step(inputs: ReadonlyMap<string, Float32Tensor>, read: readonly string[]): Promise<Map<string, Float32Tensor>> {
    this.live();
    this.plan.checkStep(inputs, read);
    checkLengths(inputs);
    await ensureActive(this.tfName);
    // From here on nothing awaits, so no other step or executor interleaves.
    const state = this.live();
    const uploaded = new Map<string, tf.Tensor>();
    let outputs = new Map<string, tf.Tensor>();
    const adopted = new Set<tf.Tensor>();
    try {
      for (const [name, input] of inputs) uploaded.set(name, tf.tensor(input.data, [...input.shape], 'float32'));
      outputs = runProgramTf(this.program, new Map([...uploaded, ...state]), { sizes: this.sizes });
      const result = new Map<string, Float32Tensor>();
      for (const name of read) result.set(name, readBack(outputs.get(name)!));
      const next = new Map<string, tf.Tensor>();
      for (const [output, input] of this.plan.carry) {
        const t = outputs.get(output)!;
        next.set(input, t);
        adopted.add(t);
      }
      this.current = next;
      tf.dispose([...state.values()]);
      return result;
    } finally {
      tf.dispose([...uploaded.values(), ...[...outputs.values()].filter((t) => !adopted.has(t))]);
    }
  }

  async state(): Promise<Map<string, Float32Tensor>> {
    this.live();
    await ensureActive(this.tfName);
    return new Map([...this.live()].map(([name, t]) => [name, readBack(t)]));
  }

  dispose(): void {
    if (this.current === undefined) return;
    tf.dispose([...this.current.values()]);
    this.current = undefined;
    this.onDispose();
  }
}
