import type { Program } from '../../compiler/ir/node.ts';

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
   * do). The caller's input arrays are never modified. `options.into` may give arrays the caller
   * keeps for some outputs, which are written instead of fresh ones (RunOptions).
   */
  run(
    program: Program,
    inputs: ReadonlyMap<string, Float32Tensor>,
    sizes?: ReadonlyMap<string, number>,
    options?: RunOptions,
  ): Promise<Map<string, Float32Tensor>>;
  /**
   * Opens a loop over `program`: some of its outputs feed the next step's inputs (the training
   * state), which stays with the executor between steps instead of travelling to the caller and
   * back. Executors without a native loop delegate to `loopOverRun` (run-loop.ts). Throws
   * LoopOptionsError when the options do not fit the program.
   */
  loop(program: Program, options: LoopOptions): Promise<ExecutorLoop>;
  /** Frees what the executor holds (cached constants, sessions). The executor is unusable after. */
  dispose(): void;
}

export interface RunOptions {
  /**
   * Output name -> an array the caller keeps, with exactly the output's number of values: the
   * run writes that output into it, and the result holds this very array (outputs not named get
   * fresh arrays). A caller evaluating a program again and again so pays no allocation: the first
   * write to a fresh n×d array faults in every page, which on a busy VM cost more than computing
   * it (bench/README.md, issue 13). The arrays must not share memory with an input or each other;
   * checked before running (OutputArrayError, output-arrays.ts). Their contents are unspecified
   * while the run is in flight and after it fails.
   */
  readonly into?: ReadonlyMap<string, Float32Array>;
}

/** A program run step after step, some outputs feeding the next step's inputs (training state), which stays with the executor. */
export interface ExecutorLoop {
  /**
   * One step. `inputs`: every program input that is not carried. Returns (caller-owned copies of)
   * the outputs named in `read`, carried or not. If the step throws, the state stays that of the
   * last completed step.
   */
  step(inputs: ReadonlyMap<string, Float32Tensor>, read: readonly string[]): Promise<Map<string, Float32Tensor>>;
  /** The carried inputs' current values, by input name: copies the caller owns. */
  state(): Promise<Map<string, Float32Tensor>>;
  /** Frees the state; the loop is unusable after. */
  dispose(): void;
}

export interface LoopOptions {
  /** Output name -> the input name it feeds at the next step. */
  readonly carry: ReadonlyMap<string, string>;
  /** The first value of every carried input, by input name. */
  readonly initial: ReadonlyMap<string, Float32Tensor>;
  /** Symbolic dimensions no input binds, as in `Executor.run`. */
  readonly sizes?: ReadonlyMap<string, number>;
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
