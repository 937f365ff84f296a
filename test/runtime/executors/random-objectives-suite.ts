import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../../../runtime/executors/executor.ts';
import { tensor64, type Tensor64 } from '../../../compiler/ir/tensor.ts';
import { compileValueAndGrad } from '../../../compiler/pipeline.ts';
import { FLOAT32_EPSILON } from '../../../compiler/surface/guards.ts';
import { checkObjective } from '../../../runtime/objective.ts';
import { normals } from '../../helpers/linalg64.ts';
import { randomObjective } from '../../helpers/random-dfl.ts';
import { float32Error, referenceWithScale, TOLERANCE } from './helpers.ts';

/**
 * Random DFL objectives (the compiler's generator, stdlib defs included, n < d included),
 * compiled once for float32 engines and run on one executor (tfjs/random-objectives.test.ts,
 * onnx/random-objectives.test.ts): value and every gradient against the float64 reference run of
 * the same program on the same (float32-rounded) inputs, within 2e-3 norm-wise (with the
 * cancellation floor of helpers.ts for outputs that are 0 up to rounding).
 */
export function randomObjectivesSuite(backend: string, open: () => Promise<Executor>): void {
  describe(`random objectives on ${backend}`, () => {
    let executor: Executor;
    beforeAll(async () => {
      executor = await open();
    });
    afterAll(() => executor?.dispose());

    it('match the float64 reference within 2e-3', async () => {
      await fc.assert(
        fc.asyncProperty(randomObjective(2), fc.integer({ min: 1, max: 1e9 }), async ({ source, n, d }, seed) => {
          const checked = checkObjective('random.dfl', source, FLOAT32_EPSILON);
          const forward = checked.program!;
          const sizes = new Map([
            ['n', n],
            ['d', d],
          ]);
          const { program } = compileValueAndGrad(forward, { sizes });
          const next = normals(seed);
          const inputs = new Map<string, Tensor64>(
            forward.inputs.map(({ name, shape }) => {
              const dims = shape.map((dim) => (typeof dim === 'number' ? dim : sizes.get(dim)!));
              return [name, tensor64(dims, Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => next()))];
            }),
          );
          const { outputs: expected, scale } = referenceWithScale(program, inputs, sizes);
          if (![...expected.values()].every((t) => t.data.every(Number.isFinite))) return; // overflow, not a backend question
          const got = await executor.run(
            program,
            new Map([...inputs].map(([name, t]) => [name, { shape: t.shape, data: Float32Array.from(t.data) }])),
            sizes,
          );
          for (const [name, want] of expected) {
            expect(float32Error(got.get(name)!.data, want.data, scale), `${name} of ${source} (n=${n}, d=${d})`).toBeLessThanOrEqual(TOLERANCE);
          }
        }),
        { numRuns: 60 },
      );
    });
  });
}
