import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differentiate } from '../../../../compiler/autodiff.ts';
import { inferSizes } from '../../../../compiler/backends/reference/evaluate.ts';
import type { Node, Program } from '../../../../compiler/ir/node.ts';
import { tensor64, type Tensor64 } from '../../../../compiler/ir/tensor.ts';
import type { OpName } from '../../../../compiler/ops/registry.ts';
import type { TfjsExecutor } from '../../../../runtime/executors/tfjs/tfjs-executor.ts';
import { ALL_ROWS, buildCase, type Row } from '../../../helpers/op-rows.ts';
import { loadExecutors, reference, relativeError, seeded, TEST_BACKENDS, toFloat32, TOLERANCE } from '../helpers.ts';

/**
 * Every per-op program (OP_TESTS and EXTRA_ROWS in test/helpers/op-rows.ts), differentiated: the
 * value Σ sum(out ⊙ W_out), a random W_out for each output, and its gradient program run on each
 * tfjs backend against the float64 reference. A new op is covered by its test entry alone.
 */

/** Programs differentiate refuses (op-table.test.ts checks that it does). */
const NOT_DIFFERENTIABLE: Partial<Record<OpName, string>> = {
  eigh: 'its program reads eigvecs',
  eigvecs: 'eigenvectors are not differentiable',
};

function objective(row: Row, seed: number): { program: Program; inputs: Map<string, Tensor64> } {
  const { program, values, b } = buildCase(row, seed);
  const sizes = inferSizes(program, values);
  const random = seeded(seed + 1);
  const inputs = new Map(values);
  const declared = [...program.inputs];
  const terms: Node[] = program.outputs.map(({ name, node }) => {
    const weights = `W:${name}`;
    const shape = node.shape.map((dim) => (typeof dim === 'number' ? dim : sizes.get(dim)!));
    declared.push({ name: weights, shape: node.shape });
    inputs.set(weights, tensor64(shape, Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => 2 * random() - 1)));
    return b.make('sum', [b.make('mul', [node, b.make('input', [], { name: weights, shape: node.shape })])]);
  });
  const value = terms.reduce((sum, term) => b.make('add', [sum, term]));
  return { program: { inputs: declared, outputs: [{ name: 'value', node: value }] }, inputs };
}

const rows = ALL_ROWS.filter(([name]) => !(name in NOT_DIFFERENTIABLE));

let executors: Map<string, TfjsExecutor>;
beforeAll(async () => {
  executors = await loadExecutors();
});
afterAll(() => executors?.forEach((e) => e.dispose()));

describe.each(TEST_BACKENDS)('differentiate(program) on tfjs %s matches the float64 reference', (backend) => {
  it.each(rows)('%s', async (_name, row) => {
    const { program: forward, inputs } = objective(row, 11);
    const program = differentiate(forward);
    const want = reference(program, inputs);
    const got = await executors.get(backend)!.run(program, toFloat32(inputs));
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [name, w] of want) {
      expect(got.get(name)!.shape, name).toEqual(w.shape);
      expect(relativeError(got.get(name)!.data, w.data), name).toBeLessThan(TOLERANCE);
    }
  });
});
