import type { Executor, Float32Tensor } from '../../../runtime/executors/executor.ts';
import { IrBuilder } from '../../../compiler/ir/builder.ts';
import type { Program } from '../../../compiler/ir/node.ts';

/**
 * A small training-like program for the loop tests: least squares with momentum,
 *   Z = X W,  loss = sum(Z²),  g = 2 Xᵀ Z,  M' = 0.9 M + g,  W' = W - lr M'
 * inputs W [3, 2] and M [3, 2] (the state), X [n, 3], lr; outputs loss, Z, W', M', and `W_in`, the
 * input W itself (an output that is an input).
 */
export function momentumProgram(): Program {
  const b = new IrBuilder();
  const scalar = (value: number) => b.make('const', [], { value, shape: [] });
  const w = b.make('input', [], { name: 'W', shape: [3, 2] });
  const m = b.make('input', [], { name: 'M', shape: [3, 2] });
  const x = b.make('input', [], { name: 'X', shape: ['n', 3] });
  const lr = b.make('input', [], { name: 'lr', shape: [] });
  const z = b.make('matmul', [x, w]);
  const g = b.make('mul', [scalar(2), b.make('matmul', [b.make('transpose', [x]), z])]);
  const mNext = b.make('add', [b.make('mul', [m, scalar(0.9)]), g]);
  const wNext = b.make('sub', [w, b.make('mul', [mNext, lr])]);
  return {
    inputs: [
      { name: 'W', shape: [3, 2] },
      { name: 'M', shape: [3, 2] },
      { name: 'X', shape: ['n', 3] },
      { name: 'lr', shape: [] },
    ],
    outputs: [
      { name: 'loss', node: b.make('sum', [b.make('square', [z])]) },
      { name: 'Z', node: z },
      { name: 'W_next', node: wNext },
      { name: 'M_next', node: mNext },
      { name: 'W_in', node: w },
    ],
  };
}

export const MOMENTUM_CARRY: ReadonlyMap<string, string> = new Map([
  ['W_next', 'W'],
  ['M_next', 'M'],
]);

export function momentumInitial(): Map<string, Float32Tensor> {
  return new Map([
    ['W', { shape: [3, 2], data: Float32Array.from([0.5, -0.25, 0.125, 1, -0.75, 0.3]) }],
    ['M', { shape: [3, 2], data: new Float32Array(6) }],
  ]);
}

/** The inputs of step k (1-based): X has k + 2 rows, so the symbolic n changes every step. */
export function momentumStep(k: number): Map<string, Float32Tensor> {
  const n = k + 2;
  return new Map([
    ['X', { shape: [n, 3], data: Float32Array.from({ length: n * 3 }, (_, i) => Math.sin(1 + i * 0.7 + k * 1.3)) }],
    ['lr', { shape: [], data: Float32Array.of(0.05) }],
  ]);
}

/** `steps` steps by repeated `run`, feeding W' and M' back: every step's outputs and the final state. */
export async function runRepeatedly(executor: Pick<Executor, 'run'>, steps: number) {
  const program = momentumProgram();
  let state = momentumInitial();
  const outputs: Map<string, Float32Tensor>[] = [];
  for (let k = 1; k <= steps; k++) {
    const out = await executor.run(program, new Map([...state, ...momentumStep(k)]));
    outputs.push(out);
    state = new Map([
      ['W', out.get('W_next')!],
      ['M', out.get('M_next')!],
    ]);
  }
  return { outputs, state };
}
