import type { Float32Tensor } from '../../executors/executor.ts';

/**
 * What went non-finite in a training step, as one sentence for the user: the step, the loss, and
 * the first term (in the objective's order) that is NaN or infinite; or, when the loss is finite
 * but its gradient is not, the first parameter (in the model's order) whose gradient is.
 */
export class NonFiniteError extends Error {
  override name = 'NonFiniteError';
  constructor(
    readonly step: number,
    message: string,
  ) {
    super(message);
  }
}

function describe(x: number): string {
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

/**
 * Undefined when the step's loss, terms and gradients are all finite. The gradients are judged by
 * the step program's `grad_sq:<p>` outputs, sum(square(gradient of p)): NaN when an entry is NaN,
 * Infinity when one is infinite (or the sum overflows float32, which poisons Adam's second moment
 * as surely).
 */
export function checkFinite(
  step: number,
  outputs: ReadonlyMap<string, Float32Tensor>,
  terms: readonly string[],
  termOutput: (i: number) => string,
  params: readonly string[],
  gradSqOutput: (param: string) => string,
): NonFiniteError | undefined {
  const loss = outputs.get('loss')!.data[0];
  const bad: number[] = [];
  terms.forEach((_, i) => {
    const value = outputs.get(termOutput(i))?.data[0];
    if (value !== undefined && !Number.isFinite(value)) bad.push(i);
  });
  if (!Number.isFinite(loss) || bad.length > 0) {
    if (bad.length === 0) {
      return new NonFiniteError(step, `step ${step}: the loss is ${describe(loss)} although every term is finite (their weighted sum overflowed float32)`);
    }
    const first = bad[0];
    const value = outputs.get(termOutput(first))!.data[0];
    const others = bad.length > 1 ? ` (also non-finite: ${bad.slice(1).map((i) => `term ${i + 1}`).join(', ')})` : '';
    return new NonFiniteError(
      step,
      `step ${step}: the loss is ${describe(loss)}; term ${first + 1} (${terms[first]}) went non-finite first, it is ${describe(value)}${others}`,
    );
  }
  for (const param of params) {
    const value = outputs.get(gradSqOutput(param))!.data[0];
    if (!Number.isFinite(value)) {
      const what = Number.isNaN(value) ? 'has a NaN entry' : 'has an infinite entry, or its sum of squares overflows float32';
      return new NonFiniteError(step, `step ${step}: the loss is finite (${loss}) but its gradient is not: the gradient of param:${param} ${what}`);
    }
  }
  return undefined;
}

/**
 * Undefined when every array of the state after `step` is finite; else names the first that is not.
 * Checked before a checkpoint is written (the per-step check reads only the gradients' sums).
 */
export function checkFiniteState(step: number, arrays: ReadonlyMap<string, Float32Tensor>, names: readonly string[]): NonFiniteError | undefined {
  for (const name of names) {
    const data = arrays.get(name)!.data;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        return new NonFiniteError(step, `step ${step}: the loss and its gradient are finite but the state to checkpoint is not: ${name} holds ${describe(data[i])}`);
      }
    }
  }
  return undefined;
}
