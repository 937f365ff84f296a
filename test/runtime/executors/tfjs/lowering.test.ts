import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OP_NAMES, type OpName } from '../../../../compiler/ops/registry.ts';
import { EXECUTOR_KERNELS } from '../../../../runtime/executors/tfjs/kernel-check.ts';
import { tfjsLowerings, type TfjsLowering } from '../../../../runtime/executors/tfjs/lowering.ts';
import { runProgramTf } from '../../../../runtime/executors/tfjs/run-program.ts';
import type { TfjsExecutor } from '../../../../runtime/executors/tfjs/tfjs-executor.ts';
import { ensureActive } from '../../../../runtime/executors/tfjs/load-backend.ts';
import { ALL_ROWS, buildCase, OP_ROWS, rowErrors, worstUnder, type Row } from '../../../helpers/op-rows.ts';
import { loadExecutors, TEST_BACKENDS, toFloat32 } from '../helpers.ts';

let executors: Map<string, TfjsExecutor>;
beforeAll(async () => {
  executors = await loadExecutors();
});
afterAll(() => executors?.forEach((e) => e.dispose()));

/** The lowering of `op` with its output (each part of a tuple) scaled by 1.001. */
function offByAPermille(op: OpName): () => void {
  const table = tfjsLowerings as Record<OpName, TfjsLowering>;
  const lowering = table[op];
  const scale = (t: tf.Tensor) => tf.mul(t, tf.scalar(1.001));
  table[op] = {
    kernels: [...lowering.kernels, tf.Multiply],
    lower: (...args) => {
      const value = lowering.lower(...args);
      return Array.isArray(value) ? value.map(scale) : scale(value as tf.Tensor);
    },
  };
  return () => (table[op] = lowering);
}

describe.each(TEST_BACKENDS)('tfjs lowering on %s', (backend) => {
  const run = (row: Row) => rowErrors((program, inputs) => executors.get(backend)!.run(program, inputs), row);

  it('covers every IR op', () => {
    expect(Object.keys(OP_ROWS).sort()).toEqual([...OP_NAMES].sort());
  });

  it.each(ALL_ROWS)('%s matches the float64 kernel within float32 rounding', async (_name, row) => {
    for (const { output, op, error, tolerance } of await run(row)) expect(error, `${output} (${op})`).toBeLessThanOrEqual(tolerance);
  });

  it.each(OP_NAMES)('%s: a lowering 0.1%% off fails its row', async (op) => {
    expect(await worstUnder(() => offByAPermille(op), () => run(OP_ROWS[op]))).toBeGreaterThan(1);
  });

  it.each(ALL_ROWS)('%s runs only the kernels its lowering declares', async (_name, row) => {
    const { program, values } = buildCase(row, 7);
    await ensureActive(backend);
    const declared = new Set<string>(EXECUTOR_KERNELS);
    const ops = new Set<OpName>();
    for (const { node } of program.outputs) {
      const stack = [node];
      while (stack.length > 0) {
        const n = stack.pop()!;
        ops.add(n.op);
        stack.push(...n.inputs);
      }
    }
    for (const op of ops) for (const k of tfjsLowerings[op].kernels) declared.add(k);
    const inputs = new Map([...toFloat32(values)].map(([name, t]) => [name, tf.tensor(t.data, [...t.shape], 'float32')]));
    const info = await tf.profile(() => {
      const out = runProgramTf(program, inputs);
      tf.dispose([...out.values()]);
    });
    tf.dispose([...inputs.values()]);
    const undeclared = info.kernelNames.filter((k) => !declared.has(k));
    expect(undeclared, `ops ${[...ops].join(', ')}`).toEqual([]);
  });
});
