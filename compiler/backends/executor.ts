import type { Program } from '../ir/node.ts';

/**
 * What every executor implements (TensorFlow.js today, ONNX Runtime next): run one compiled
 * value-and-gradient program on float32 arrays. Executors only execute; differentiation and
 * optimisation happened in the IR.
 */

/** A dense float32 array in row-major (C) order; `shape` [] is a scalar. */
export interface Float32Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface Executor {
  /** The engine actually running the program, e.g. `wasm`, `cpu`, `tensorflow-gpu`. */
  readonly backend: string;
  /**
   * Every output of `program` (`value`, `grad:<input>`, ...) by name. `inputs` holds one array per
   * program input, by the input's name as written; symbolic dimensions are bound from their shapes.
   * `sizes` may give symbolic dimensions that no input's shape binds (it must agree with those that
   * do). The caller's arrays are never modified.
   */
  run(
    program: Program,
    inputs: ReadonlyMap<string, Float32Tensor>,
    sizes?: ReadonlyMap<string, number>,
  ): Promise<Map<string, Float32Tensor>>;
  /** Frees what the executor holds (cached constants, sessions). The executor is unusable after. */
  dispose(): void;
}

/**
 * The backend the user asked for cannot be loaded here (a package is missing, or a native library
 * fails to load). The message says how to install it and what to use instead.
 */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
  constructor(
    readonly backend: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
