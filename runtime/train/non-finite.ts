import type { Float32Tensor } from '../../compiler/backends/executor.ts';

/**
 * What went non-finite in a training step, as one sentence for the user: the step, the loss, and
 * the first term (in the objective's order) that is NaN or infinite; or, when the loss is finite
 * but the update is not, the first parameter the gradient poisoned.
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

/** Undefined when the step's loss, terms and updated state are all finite. */
export function checkFinite(
  step: number,
  outputs: ReadonlyMap<string, Float32Tensor>,
  terms: readonly string[],
  termOutput: (i: number) => string,
  stateNames: readonly string[],
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
  for (const name of stateNames) {
    const data = outputs.get(name)!.data;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        return new NonFiniteError(
          step,
          `step ${step}: the loss is finite (${loss}) but its gradient is not: the update made ${name} ${describe(data[i])}`,
        );
      }
    }
  }
  return undefined;
}
