import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differentiate } from '../../../compiler/autodiff.ts';
import type { Program } from '../../../compiler/ir/node.ts';
import type { Tensor64 } from '../../../compiler/ir/tensor.ts';
import type { Executor } from '../../../runtime/executors/executor.ts';
import { formatProgram, randomProgram } from '../../helpers/random-ir.ts';
import { float32Error, referenceWithScale, roundToFloat32, toFloat32, TOLERANCE } from './helpers.ts';

/**
 * Random IR programs on one executor (tfjs/random-programs.test.ts, onnx/random-programs.test.ts):
 * value and every gradient against the float64 reference, norm-wise within 2e-3.
 */
export function randomProgramsSuite(backend: string, open: () => Promise<Executor>): void {
  describe(`random programs on ${backend} match the float64 reference (value and every gradient)`, () => {
    let executor: Executor;
    beforeAll(async () => {
      executor = await open();
    });
    afterAll(() => executor?.dispose());

    /** The worst output's relative error against the reference, with a report for failures. */
    async function compare(program: Program, inputs: Map<string, Tensor64>, sizes: Map<string, number>) {
      const { outputs: want, scale } = referenceWithScale(program, inputs, sizes);
      const got = await executor.run(program, toFloat32(inputs), sizes);
      const errors = [...want].map(([name, w]) => {
        const g = got.get(name);
        const shapeOk = g !== undefined && g.shape.length === w.shape.length && g.shape.every((s, i) => s === w.shape[i]);
        const error = shapeOk ? float32Error(g.data, w.data, scale) : Infinity;
        return { name, error, got: g?.data, want: w.data };
      });
      const worst = errors.reduce((a, b) => (b.error > a.error ? b : a));
      return { ok: worst.error < TOLERANCE && got.size === want.size, worst };
    }

    it('with a fixed seed', async () => {
      await fc.assert(
        fc.asyncProperty(randomProgram(), async (sample) => {
          // Round the inputs to float32 first, so that both sides compute from the same numbers.
          const inputs = roundToFloat32(sample.inputs);
          for (const program of [sample.program, differentiate(sample.program)]) {
            const { ok, worst } = await compare(program, inputs, sample.sizes);
            if (!ok) {
              throw new Error(
                `${worst.name}: relative error ${worst.error} on ${backend}\n` +
                  `got ${Array.from(worst.got ?? []).join(', ')}\nwant ${Array.from(worst.want).join(', ')}\n${formatProgram(program)}`,
              );
            }
          }
        }),
        { numRuns: 150, seed: 20261125 },
      );
    });

    it('with a fresh seed each run', async () => {
      await fc.assert(
        fc.asyncProperty(randomProgram(), async (sample) => {
          const inputs = roundToFloat32(sample.inputs);
          const program = differentiate(sample.program);
          const { ok, worst } = await compare(program, inputs, sample.sizes);
          expect(ok, `${worst.name}: relative error ${worst.error}, got ${worst.got?.join(', ')}, want ${worst.want.join(', ')}\n${formatProgram(program)}`).toBe(true);
        }),
        { numRuns: Number(process.env.DFLC_RANDOM_RUNS ?? 50) },
      );
    });
  });
}
