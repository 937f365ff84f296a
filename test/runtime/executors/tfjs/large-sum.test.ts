import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TfjsExecutor } from '../../../../runtime/executors/tfjs/tfjs-executor.ts';
import { IrBuilder } from '../../../../compiler/ir/builder.ts';
import { seeded, TEST_BACKENDS } from '../helpers.ts';

/** A sum over 10⁵ float32 entries stays within float32's rounding of the exact sum, on every backend. */
describe.each(TEST_BACKENDS)('sum of 100,000 entries on %s', (backend) => {
  let executor: TfjsExecutor;
  beforeAll(async () => {
    executor = await TfjsExecutor.create(backend);
  });
  afterAll(() => executor.dispose());

  it('is accurate to 1e-6 relative (a one-by-one float32 sum is off by about 1e-4)', async () => {
    const b = new IrBuilder();
    const x = b.make('input', [], { name: 'X', shape: [400, 250] });
    const program = { inputs: [{ name: 'X', shape: [400, 250] }], outputs: [{ name: 'value', node: b.make('sum', [x]) }] };
    const random = seeded(11);
    const data = Float32Array.from({ length: 100_000 }, () => 1 + random());
    const exact = data.reduce((s, v) => s + v, 0);
    const out = await executor.run(program, new Map([['X', { shape: [400, 250], data }]]));
    expect(Math.abs(out.get('value')!.data[0] - exact) / exact).toBeLessThan(1e-6);
  });
});
