import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onnxLowerings, type OnnxLowering } from '../../../../compiler/backends/onnx/lowering.ts';
import { isGraphOp, runsOnHost, type OpName } from '../../../../compiler/ops/registry.ts';
import { hostKernels, type HostKernel } from '../../../../runtime/executors/host/host-kernels.ts';
import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { ALL_ROWS, OP_ROWS, rowErrors, worstUnder, type Row } from '../../../helpers/op-rows.ts';

let executor: OnnxExecutor;
beforeAll(async () => {
  executor = await OnnxExecutor.create({ threads: 1 });
});
afterAll(() => executor?.dispose());

const run = (row: Row) => rowErrors((program, inputs) => executor.run(program, inputs), row);

describe('ONNX lowering of each op matches the float64 kernel within float32 rounding', () => {
  it.each(ALL_ROWS)('%s', async (_name, row) => {
    for (const { output, op, error, tolerance } of await run(row)) expect(error, `${output} (${op})`).toBeLessThanOrEqual(tolerance);
  });
});

/** The lowering (or host kernel) of `op` with its output scaled by 1.001, for the mutation test. */
function offByAPermille(op: OpName): () => void {
  if (runsOnHost(op)) {
    const table = hostKernels as Record<OpName, HostKernel>;
    const kernel = table[op];
    table[op] = (inputs) => kernel(inputs).map(({ shape, data }) => ({ shape, data: data.map((x) => x * 1.001) }));
    return () => (table[op] = kernel);
  }
  const table = onnxLowerings as Record<OpName, OnnxLowering>;
  const lowering = table[op];
  table[op] = (e, inputs, node) => e.op('Mul', [lowering(e, inputs, node), e.scalar(1.001)]);
  return () => (table[op] = lowering);
}

/** Ops with their own ONNX lowering or host kernel (inputs are fed, selectors only pick a part). */
const LOWERED = (Object.keys(OP_ROWS) as OpName[]).filter((op) => isGraphOp(op) || runsOnHost(op));

describe('a lowering 0.1% off fails its row', () => {
  it.each(LOWERED)('%s', async (op) => {
    expect(await worstUnder(() => offByAPermille(op), () => run(OP_ROWS[op]))).toBeGreaterThan(1);
  });
});
