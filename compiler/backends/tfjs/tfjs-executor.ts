import * as tf from '@tensorflow/tfjs-core';
import type { Program } from '../../ir/node.ts';
import type { Executor, Float32Tensor } from '../executor.ts';
import { InputShapeError } from './bind-sizes.ts';
import { ensureActive, loadTfjsBackend, type BackendChoice, type LoadedBackend, type ModuleImporter } from './load-backend.ts';
import { runProgramTf } from './run-program.ts';

/**
 * The TensorFlow.js executor: uploads the inputs, runs the program with `runProgramTf`, reads every
 * output back and frees every tensor it made. Create it with `TfjsExecutor.create(choice)`.
 */
export class TfjsExecutor implements Executor {
  private disposed = false;

  private constructor(readonly loaded: LoadedBackend) {}

  /** Loads the backend (see loadTfjsBackend) and returns an executor bound to it. */
  static async create(choice: BackendChoice = 'auto', importer?: ModuleImporter): Promise<TfjsExecutor> {
    return new TfjsExecutor(await loadTfjsBackend(choice, importer));
  }

  get backend(): string {
    return this.loaded.backend;
  }

  async run(
    program: Program,
    inputs: ReadonlyMap<string, Float32Tensor>,
    sizes?: ReadonlyMap<string, number>,
  ): Promise<Map<string, Float32Tensor>> {
    if (this.disposed) throw new Error('TfjsExecutor: run after dispose');
    await ensureActive(this.loaded.tfName);
    for (const [name, input] of inputs) {
      const size = input.shape.reduce((a, b) => a * b, 1);
      if (input.data.length !== size) {
        throw new InputShapeError(`input '${name}' has ${input.data.length} values for shape [${input.shape.join(', ')}]`);
      }
    }
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
        // The cpu backend can hand back an input's own array (an output equal to an input).
        if (buffers.has(data.buffer)) data = data.slice();
        result.set(name, { shape: t.shape, data });
      }
      return result;
    } finally {
      tf.dispose([...uploaded.values(), ...outputs.values()]);
    }
  }

  dispose(): void {
    this.disposed = true;
  }
}
