import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IrBuilder } from '../../../../compiler/ir/builder.ts';
import { OnnxExecutor } from '../../../../runtime/executors/onnx/onnx-executor.ts';
import { seeded } from '../helpers.ts';

let executor: OnnxExecutor;
beforeAll(async () => {
  executor = await OnnxExecutor.create({ threads: 1 });
});
afterAll(() => executor?.dispose());

/** The float32 sum of `data` as ONNX Runtime computes `sum` over an [n, d] matrix, against the exact sum. */
async function relativeError(n: number, d: number, data: Float32Array): Promise<number> {
  const b = new IrBuilder();
  const x = b.make('input', [], { name: 'X', shape: [n, d] });
  const program = { inputs: [{ name: 'X', shape: [n, d] }], outputs: [{ name: 'value', node: b.make('sum', [x]) }] };
  const exact = data.reduce((s, v) => s + v, 0);
  const out = await executor.run(program, new Map([['X', { shape: [n, d], data }]]));
  return Math.abs(out.get('value')!.data[0] - exact) / exact;
}

/** Squares of standard normals (Box-Muller), as a covariance's trace sums them: many terms far below the running total. */
function chiSquares(length: number, random: () => number): Float32Array {
  return Float32Array.from({ length }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return z * z;
  });
}

describe('sum over a large matrix on ONNX Runtime', () => {
  // A one-by-one float32 sum of 2²⁴ such terms is off by about 1e-3 (its running total's ulp
  // reaches 0.5, and most terms are below 1), which made the card objective's balance term at
  // n = 65536, d = 256 negative. Summing columns first keeps every running total below n.
  it('of 65536 x 256 squared normals is accurate to 1e-5 relative', async () => {
    expect(await relativeError(65536, 256, chiSquares(65536 * 256, seeded(3)))).toBeLessThan(1e-5);
  });

  it('of 400 x 250 entries in [1, 2) is accurate to 1e-6 relative', async () => {
    const random = seeded(11);
    expect(await relativeError(400, 250, Float32Array.from({ length: 100_000 }, () => 1 + random()))).toBeLessThan(1e-6);
  });
});
