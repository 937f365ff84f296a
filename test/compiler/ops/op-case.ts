import { expect } from 'vitest';
import { evaluate, inferSizes } from '../../../compiler/backends/reference/evaluate.ts';
import type { IrBuilder } from '../../../compiler/ir/builder.ts';
import type { Node, Program } from '../../../compiler/ir/node.ts';
import type { Shape } from '../../../compiler/ir/shape.ts';
import type { Tensor64 } from '../../../compiler/ir/tensor.ts';
import type { Executor, Float32Tensor } from '../../../runtime/executors/executor.ts';
import { programFromInputs } from '../../helpers/program-from-inputs.ts';
import { relativeError, toFloat32, TOLERANCE } from '../../runtime/executors/helpers.ts';

/** One op under test: named inputs with their declared shapes and values, and the graph over them. */
export interface Case {
  readonly inputs: Record<string, [Shape, Tensor64]>;
  readonly build: (b: IrBuilder, x: Record<string, Node>) => Node;
}

/** The case as a program with the single output `out`, and its input values. */
export function programOf(c: Case): { program: Program; values: Map<string, Tensor64> } {
  const shapes = Object.fromEntries(Object.entries(c.inputs).map(([name, [shape]]) => [name, shape]));
  return {
    program: programFromInputs(shapes, (b, x) => ({ out: c.build(b, x) })).program,
    values: new Map(Object.entries(c.inputs).map(([name, [, value]]) => [name, value])),
  };
}

/** The case's output on the float64 reference backend. */
export function run(c: Case): Tensor64 {
  const { program, values } = programOf(c);
  return evaluate(program, values, inferSizes(program, values)).get('out')!;
}

/** The case run on `executor` with float32 inputs, checked against the reference; both outputs, for stricter checks. */
export async function expectMatchesReference(executor: Executor, c: Case): Promise<{ got: Float32Tensor; want: Tensor64 }> {
  const { program, values } = programOf(c);
  const want = evaluate(program, values, inferSizes(program, values)).get('out')!;
  const got = (await executor.run(program, toFloat32(values))).get('out')!;
  expect(got.shape).toEqual(want.shape);
  expect(relativeError(got.data, want.data)).toBeLessThan(TOLERANCE);
  return { got, want };
}
