import { bindDims } from '../../compiler/ir/bind-dims.ts';
import type { Program } from '../../compiler/ir/node.ts';
import { formatShape, sameShape } from '../../compiler/ir/shape.ts';
import type { Executor, ExecutorLoop, Float32Tensor, LoopOptions } from './executor.ts';

/** Loop options that do not fit the program, or a step asked for what the loop cannot give. */
export class LoopError extends Error {
  override name = 'LoopError';
}

/** What a loop needs to know about its options, once checked against the program. */
export interface LoopPlan {
  /** Output name -> the input it feeds, as given. */
  readonly carry: ReadonlyMap<string, string>;
  /** The carried inputs' names. */
  readonly carried: ReadonlySet<string>;
  /** Checks a step's arguments: no carried input among `inputs`, every `read` name an output. */
  checkStep(inputs: ReadonlyMap<string, Float32Tensor>, read: readonly string[]): void;
}

const quoted = (names: Iterable<string>): string => [...names].map((n) => `'${n}'`).join(', ') || 'none';
const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Checks loop options against `program`: every carried output and input exists, no input is fed
 * twice, a carried output has its input's declared shape, `initial` holds exactly the carried
 * inputs with arrays of their declared shapes (symbolic dimensions bound alike across them and
 * `sizes`). Throws LoopError naming what does not fit.
 */
export function checkLoop(program: Program, options: LoopOptions): LoopPlan {
  const inputs = new Map(program.inputs.map((input) => [input.name, input]));
  const outputs = new Map(program.outputs.map((output) => [output.name, output]));
  const fedBy = new Map<string, string>();
  for (const [outputName, inputName] of options.carry) {
    const output = outputs.get(outputName);
    if (output === undefined) throw new LoopError(`carry: '${outputName}' is not an output of the program; its outputs are ${quoted(outputs.keys())}`);
    const input = inputs.get(inputName);
    if (input === undefined) throw new LoopError(`carry: '${inputName}' (fed by '${outputName}') is not an input of the program; its inputs are ${quoted(inputs.keys())}`);
    const other = fedBy.get(inputName);
    if (other !== undefined) throw new LoopError(`carry: input '${inputName}' is fed by both '${other}' and '${outputName}'`);
    fedBy.set(inputName, outputName);
    if (!sameShape(output.node.shape, input.shape)) {
      throw new LoopError(
        `carry: output '${outputName}' is ${formatShape(output.node.shape)} but the input it feeds, '${inputName}', is ${formatShape(input.shape)}`,
      );
    }
  }

  for (const name of options.initial.keys()) {
    if (!fedBy.has(name)) throw new LoopError(`initial: '${name}' is not a carried input; the carried inputs are ${quoted(fedBy.keys())}`);
  }
  const sources = [...fedBy.keys()].map((name) => {
    const value = options.initial.get(name);
    if (value === undefined) throw new LoopError(`initial: no value for the carried input '${name}'`);
    if (value.data.length !== size(value.shape)) {
      throw new LoopError(`initial: '${name}' has ${value.data.length} values for shape [${value.shape.join(', ')}]`);
    }
    return { label: `initial '${name}'`, declared: inputs.get(name)!.shape, actual: value.shape };
  });
  bindDims(sources, (message) => new LoopError(message), options.sizes);

  const carried = new Set(fedBy.keys());
  return {
    carry: options.carry,
    carried,
    checkStep(stepInputs, read) {
      for (const name of stepInputs.keys()) {
        if (carried.has(name)) throw new LoopError(`step: input '${name}' is carried by the loop; give only the inputs that are not`);
      }
      for (const name of read) {
        if (!outputs.has(name)) throw new LoopError(`step: cannot read '${name}', which is not an output of the program; its outputs are ${quoted(outputs.keys())}`);
      }
    },
  };
}

const copy = (t: Float32Tensor): Float32Tensor => ({ shape: [...t.shape], data: t.data.slice() });

/**
 * A loop built only on `executor.run`, for executors without a native one: the state lives in
 * host arrays and travels to the executor and back every step, so it saves nothing, but it has
 * the loop's semantics (checked options, state kept on a failed step, caller-owned copies).
 */
export async function loopOverRun(executor: Pick<Executor, 'run'>, program: Program, options: LoopOptions): Promise<ExecutorLoop> {
  const plan = checkLoop(program, options);
  let state: Map<string, Float32Tensor> | undefined = new Map([...options.initial].map(([name, t]) => [name, copy(t)]));
  let busy = false;
  const live = (): Map<string, Float32Tensor> => {
    if (state === undefined) throw new LoopError('the loop is disposed');
    return state;
  };
  return {
    async step(inputs, read) {
      const current = live();
      plan.checkStep(inputs, read);
      if (busy) throw new LoopError('step: the previous step has not finished');
      busy = true;
      try {
        const outputs = await executor.run(program, new Map([...inputs, ...current]), options.sizes);
        if (state !== current) throw new LoopError('the loop was disposed during the step');
        const next = new Map([...plan.carry].map(([output, input]) => [input, outputs.get(output)!]));
        // The caller gets its own copy of what becomes the state (a carried output, or one an
        // executor handed back sharing a carried output's array).
        const held = new Set([...next.values()].map((t) => t.data.buffer));
        const result = new Map<string, Float32Tensor>();
        for (const name of read) {
          const t = outputs.get(name)!;
          result.set(name, held.has(t.data.buffer) ? copy(t) : t);
        }
        state = next;
        return result;
      } finally {
        busy = false;
      }
    },
    async state() {
      return new Map([...live()].map(([name, t]) => [name, copy(t)]));
    },
    dispose() {
      state = undefined;
    },
  };
}
